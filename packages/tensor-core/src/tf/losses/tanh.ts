// SPDX-License-Identifier: MIT
/** Tanh surrogate ℓ(z) = −(1 + tanh(βz))/2 (= −σ(2βz)). Dense pairs, O(P·N). */
import * as tf from '@tensorflow/tfjs';
import { densePairMean } from './dense-pairs.js';
import type { TfPairwiseLoss } from './types.js';

export const tanhTfLoss: TfPairwiseLoss = Object.freeze({
  kind: 'tanh',
  complexity: 'O(P·N) (pair tensor)',
  meanOverPairs: (s: tf.Tensor, t: tf.Tensor, p: { beta: number }) => densePairMean(s, t, (z) => tf.mul(tf.add(1, tf.tanh(tf.mul(z, p.beta))), -0.5)),
});

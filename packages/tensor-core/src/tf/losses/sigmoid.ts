// SPDX-License-Identifier: MIT
/** Sigmoid surrogate ℓ(z) = −σ(βz): the mean over pairs is −appAUC. Dense pairs, O(P·N). */
import * as tf from '@tensorflow/tfjs';
import { densePairMean } from './dense-pairs.js';
import type { TfPairwiseLoss } from './types.js';

export const sigmoidTfLoss: TfPairwiseLoss = Object.freeze({
  kind: 'sigmoid',
  complexity: 'O(P·N) (pair tensor)',
  meanOverPairs: (s: tf.Tensor, t: tf.Tensor, p: { beta: number }) => densePairMean(s, t, (z) => tf.neg(tf.sigmoid(tf.mul(z, p.beta)))),
});

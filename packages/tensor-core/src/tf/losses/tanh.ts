// SPDX-License-Identifier: MIT
/**
 * Tanh surrogate ℓ(z) = −(1 + tanh(βz))/2, evaluated as the identical −σ(2βz): tfjs's wasm tanh
 * kernel is about 3× slower than its sigmoid (measured in tf-batched.bench.ts), and the tests
 * check the result against Math.tanh directly. Dense pairs, O(P·N).
 */
import * as tf from '@tensorflow/tfjs';
import { densePairMean } from './dense-pairs.js';
import type { TfPairwiseLoss } from './types.js';

export const tanhTfLoss: TfPairwiseLoss = Object.freeze({
  kind: 'tanh',
  complexity: 'O(P·N) (pair tensor)',
  meanOverPairs: (s: tf.Tensor, t: tf.Tensor, p: { beta: number }) => densePairMean(s, t, (z) => tf.neg(tf.sigmoid(tf.mul(z, 2 * p.beta)))),
});

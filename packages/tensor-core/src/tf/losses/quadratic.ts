// SPDX-License-Identifier: MIT
/**
 * Quadratic surrogate ℓ(z) = (m − z)². The pair mean is (m − (s̄ − t̄))² + Var(s) + Var(t)
 * (population variances, computed about the means: no cancellation), O(P + N).
 */
import * as tf from '@tensorflow/tfjs';
import { stagedMean } from '../staged-sum.js';
import type { TfPairwiseLoss } from './types.js';

function variance(x: tf.Tensor, mean: tf.Tensor): tf.Tensor {
  return stagedMean(tf.square(tf.sub(x, tf.expandDims(mean, -1))));
}

export const quadraticTfLoss: TfPairwiseLoss = Object.freeze({
  kind: 'quad',
  complexity: 'O(P + N) (means and variances)',
  meanOverPairs: (s: tf.Tensor, t: tf.Tensor, p: { margin: number }) =>
    tf.tidy(() => {
      const sm = stagedMean(s);
      const tm = stagedMean(t);
      return tf.add(tf.square(tf.sub(p.margin, tf.sub(sm, tm))), tf.add(variance(s, sm), variance(t, tm)));
    }),
});

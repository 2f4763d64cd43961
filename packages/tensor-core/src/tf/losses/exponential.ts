// SPDX-License-Identifier: MIT
/**
 * Exponential surrogate ℓ(z) = e^(−βz). The pair mean factors:
 * mean_ij e^(−β(s_i − t_j)) = exp(lse(−βs) − ln P + lse(βt) − ln N), O(P + N), with
 * log-sum-exp factors so that no intermediate overflows before the true value does (float32
 * overflows at 3.4e38: then the loss is Infinity, as the value truly is).
 */
import * as tf from '@tensorflow/tfjs';
import { stagedLogSumExp } from '../staged-sum.js';
import type { TfPairwiseLoss } from './types.js';

export const exponentialTfLoss: TfPairwiseLoss = Object.freeze({
  kind: 'exp',
  complexity: 'O(P + N) (log-sum-exp factors)',
  meanOverPairs: (s: tf.Tensor, t: tf.Tensor, p: { beta: number }) =>
    tf.tidy(() => {
      const logP = Math.log(s.shape[s.rank - 1]);
      const logN = Math.log(t.shape[t.rank - 1]);
      return tf.exp(tf.add(tf.sub(stagedLogSumExp(tf.mul(s, -p.beta)), logP), tf.sub(stagedLogSumExp(tf.mul(t, p.beta)), logN)));
    }),
});

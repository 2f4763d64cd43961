// SPDX-License-Identifier: MIT
/** The mean of ℓ(s_i − t_j) over all pairs, by forming the [..., P, N] pair tensor. */
import * as tf from '@tensorflow/tfjs';
import { stagedMean } from '../staged-sum.js';

export function densePairMean(s: tf.Tensor, t: tf.Tensor, ell: (z: tf.Tensor) => tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.sub(tf.expandDims(s, -1), tf.expandDims(t, -2)); // [..., P, N]
    const lead = s.shape.slice(0, -1);
    const pairs = s.shape[s.rank - 1] * t.shape[t.rank - 1];
    return stagedMean(tf.reshape(ell(z), [...lead, pairs]));
  });
}

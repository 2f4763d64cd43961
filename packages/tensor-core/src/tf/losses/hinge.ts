// SPDX-License-Identifier: MIT
/**
 * Hinge surrogate ℓ(z) = max(0, m − z). Scores are probabilities, so z ≤ 1: for m ≥ 1 the mean
 * is exactly m − (mean s − mean t), O(P + N). Otherwise dense pairs, O(P·N), with the
 * derivative at the kink z = m taken from below (−1), as the exact kernel does.
 */
import * as tf from '@tensorflow/tfjs';
import { stagedMean } from '../staged-sum.js';
import { densePairMean } from './dense-pairs.js';
import type { TfPairwiseLoss } from './types.js';

export const hingeTfLoss: TfPairwiseLoss = Object.freeze({
  kind: 'hinge',
  complexity: 'O(P + N) for m ≥ 1, else O(P·N)',
  meanOverPairs: (s: tf.Tensor, t: tf.Tensor, p: { margin: number }) => {
    if (p.margin >= 1) return tf.tidy(() => tf.sub(p.margin, tf.sub(stagedMean(s), stagedMean(t))));
    return densePairMean(s, t, (z) => {
      const d = tf.sub(p.margin, z);
      // where() passes d's gradient where d ≥ 0, so at d = 0 the slope is that of m − z.
      return tf.where(tf.greaterEqual(d, 0), d, tf.zerosLike(d));
    });
  },
});

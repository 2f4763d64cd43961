// SPDX-License-Identifier: MIT
/**
 * A pairwise AUC surrogate as TensorFlow.js ops (float32, gradients by autodiff): the mean over
 * every (positive, negative) pair of ℓ(z), z = s_i − t_j, written with differentiable
 * primitives (STYLE R6). The exact float64 definitions in ../../losses are the reference the
 * tests compare with.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LossParameters, PairwiseLossKind } from '../../losses/types.js';

export interface TfPairwiseLoss {
  readonly kind: PairwiseLossKind;
  /**
   * Mean over pairs along the last axis: s [..., P] (positive scores), t [..., N] (negative
   * scores), same leading shape → [...]. Long sums are staged (float32).
   */
  meanOverPairs(s: tf.Tensor, t: tf.Tensor, p: LossParameters): tf.Tensor;
  /** Cost per leading index, for READMEs. */
  readonly complexity: string;
}

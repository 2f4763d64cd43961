// SPDX-License-Identifier: MIT
/**
 * Pairwise AUC surrogates on plain scores, for users with their own models.
 *
 * ```ts
 * const r = pairwiseLossAndGradient({ kind: 'sigmoid', beta: 40 }, positiveScores, negativeScores);
 * r.value;               // mean over all pairs of −σ(β(s_i − t_j))  (= −appAUC)
 * r.positiveGradient;    // ∂value/∂s_i
 * r.negativeGradient;    // ∂value/∂t_j
 * ```
 * No L2 term here. Costs: see each loss (README); sigmoid and tanh are O(N⁺N⁻) with no exp in
 * the pair loop, exp / quad / linear hinge O(N), general-margin hinge O(N log N).
 */
import { LandscapeError, expectedMessage } from '@lossscape/numeric';
import { anyNonFinite, overflowWarning, unscale, unscaleInPlace } from './log-scale.js';
import { pairwiseDirectUnchecked } from './losses/direct.js';
import { resolvePairwiseLoss } from './losses/registry.js';
import type { LossWarning, PairwiseLossSpec } from './losses/types.js';

export interface PairwiseLossResult {
  /** Mean pair loss (no L2). Infinity only where the exponential loss exceeds float64. */
  readonly value: number;
  /** ∂value/∂s_i for each positive score. */
  readonly positiveGradient: Float64Array;
  /** ∂value/∂t_j for each negative score. */
  readonly negativeGradient: Float64Array;
  /** Numerical events (overflow of the exponential loss); empty in normal use. */
  readonly warnings: readonly LossWarning[];
}

/** Checks one score vector: a non-empty Float64Array of finite values. */
export function requireScores(name: string, scores: unknown): Float64Array {
  if (!(scores instanceof Float64Array)) throw new TypeError(expectedMessage('Float64Array', name, scores));
  if (scores.length === 0) {
    throw new LandscapeError(`${expectedMessage('at least one score (a pairwise loss needs both classes)', name, scores)}`, 'ERR_SINGLE_CLASS');
  }
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new LandscapeError(`Expected finite values for ${name} but received ${String(scores[i])} at index ${i}`, 'ERR_NOT_FINITE');
  }
  return scores;
}

/**
 * Mean pair loss over all (positive, negative) pairs, z = s_i − t_j, and its gradient with
 * respect to every score, by the fast path of the loss.
 */
export function pairwiseLossAndGradient(loss: PairwiseLossSpec, positiveScores: Float64Array, negativeScores: Float64Array): PairwiseLossResult {
  const { definition, parameters } = resolvePairwiseLoss(loss);
  const s = requireScores('positiveScores', positiveScores);
  const t = requireScores('negativeScores', negativeScores);
  const g = definition.gradient(s, t, parameters);
  const value = unscale(g.value, g.logScale);
  const positiveGradient = unscaleInPlace(g.positiveGradient, g.logScale);
  const negativeGradient = unscaleInPlace(g.negativeGradient, g.logScale);
  const warnings: LossWarning[] = [];
  if (!Number.isFinite(value)) warnings.push(overflowWarning(definition.kind, 'value', g.value, g.logScale));
  // Without rescaling (logScale 0) every loss's gradient is finite by construction.
  else if (g.logScale !== 0 && (anyNonFinite(positiveGradient) || anyNonFinite(negativeGradient))) {
    warnings.push({ code: 'ERR_OVERFLOW', message: `The ${definition.kind} loss gradient exceeds float64: some entries are ±Infinity` });
  }
  return { value, positiveGradient, negativeGradient, warnings };
}

/**
 * The same quantities by the direct double sum over pairs with the per-pair ℓ and ℓ′
 * (O(N⁺N⁻) with one ℓ evaluation per pair): the reference for checking other
 * implementations (e.g. float32 TensorFlow.js ops).
 */
export function pairwiseLossDirect(loss: PairwiseLossSpec, positiveScores: Float64Array, negativeScores: Float64Array): PairwiseLossResult {
  const { definition, parameters } = resolvePairwiseLoss(loss);
  const s = requireScores('positiveScores', positiveScores);
  const t = requireScores('negativeScores', negativeScores);
  const r = pairwiseDirectUnchecked(definition, parameters, s, t, false);
  const warnings: LossWarning[] = Number.isFinite(r.value)
    ? []
    : [{ code: 'ERR_OVERFLOW', message: `The ${definition.kind} loss value exceeds float64: returned Infinity` }];
  return { value: r.value, positiveGradient: r.positiveGradient, negativeGradient: r.negativeGradient, warnings };
}

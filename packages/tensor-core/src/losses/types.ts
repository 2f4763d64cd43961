// SPDX-License-Identifier: MIT
/**
 * Losses declared as data (STYLE R6): each file exports one frozen definition, and
 * `registry.ts` lists them once. Pairwise definitions work on scores only (the positive-class
 * probabilities s of positives and t of negatives); the network part lives in potential.ts.
 */
import type { PairThreads } from '../kernels/pair-threads.js';

export type LossKind = 'ce' | 'sigmoid' | 'tanh' | 'hinge' | 'exp' | 'quad';
export type PairwiseLossKind = Exclude<LossKind, 'ce'>;
export type LossParameterName = 'beta' | 'margin';

/** A loss as users write it (DESIGN.md defaults fill what is left out). */
export interface LossSpec {
  readonly kind: LossKind;
  /** Sigmoid (default 40), tanh (1), exp (1); > 0. */
  readonly beta?: number;
  /** Hinge (default 1), quad (1); > 0. */
  readonly margin?: number;
  /** Class whose probability is the score; default 1. */
  readonly positiveClass?: number;
}

export interface PairwiseLossSpec {
  readonly kind: PairwiseLossKind;
  readonly beta?: number;
  readonly margin?: number;
}

/** Resolved parameters; the one a loss does not take is NaN. */
export interface LossParameters {
  readonly beta: number;
  readonly margin: number;
}

/** A numerical event the caller should see (libraries never print). */
export interface LossWarning {
  readonly code: 'ERR_OVERFLOW';
  readonly message: string;
}

/** ℓ(z), ℓ′(z), ℓ″(z) for one pair: the reference the direct double sum uses. */
export interface PairFunction {
  value(z: number, p: LossParameters): number;
  first(z: number, p: LossParameters): number;
  second(z: number, p: LossParameters): number;
}

/**
 * Loss and gradient w.r.t. the scores, as a pairwise definition returns them. Every number is
 * the true quantity times e^(−logScale): logScale is 0 except where the true values exceed
 * float64 (exponential loss), so that nothing computed on the way is Infinity·0 = NaN.
 */
export interface ScoreGradient {
  readonly value: number;
  readonly positiveGradient: Float64Array;
  readonly negativeGradient: Float64Array;
  readonly logScale: number;
}

/** What the curvature call should also multiply (k columns; y empty ⇒ no transposed product). */
export interface CrossRequest {
  readonly k: number;
  /** N⁻×k row-major. */
  readonly x: Float64Array;
  /** N⁺×k row-major, or empty. */
  readonly y: Float64Array;
}

/**
 * Score Hessian of the mean pair loss L(s, t): diagonal blocks are diagonal
 * (∂²L/∂s_i², ∂²L/∂t_j²); the off-diagonal block K_ij = ∂²L/∂s_i∂t_j = −ℓ″(z_ij)/M is returned
 * only as the products K·x and Kᵀ·y. Same logScale convention as ScoreGradient.
 */
export interface ScoreCurvature extends ScoreGradient {
  readonly positiveSecond: Float64Array;
  readonly negativeSecond: Float64Array;
  /** N⁺×k: K·x. */
  readonly cross: Float64Array;
  /** N⁻×k: Kᵀ·y (length 0 when y is empty). */
  readonly crossTranspose: Float64Array;
}

/** Optional preallocated gradient outputs (lengths N⁺ and N⁻). */
export interface ScoreGradientBuffers {
  readonly positiveGradient: Float64Array;
  readonly negativeGradient: Float64Array;
}

interface LossDefinitionBase {
  readonly title: string;
  /** The per-pair (or per-sample) formula, for READMEs and reports. */
  readonly formula: string;
  readonly parameters: readonly LossParameterName[];
  readonly defaults: Readonly<Partial<Record<LossParameterName, number>>>;
  /** Cost of value and gradient, and of the Hessian's loss part. */
  readonly complexity: string;
}

export interface PairwiseLossDefinition extends LossDefinitionBase {
  readonly type: 'pairwise';
  readonly kind: PairwiseLossKind;
  readonly pair: PairFunction;
  /**
   * Mean pair loss and its score gradient by the fast path (unchecked inputs, N⁺, N⁻ ≥ 1).
   * `threads` (sigmoid, tanh: the O(N⁺N⁻) losses; the others ignore it) cuts the pair sums into
   * row blocks above its threshold and runs them on its pool; default: the whole range at once.
   */
  gradient(s: Float64Array, t: Float64Array, p: LossParameters, out?: ScoreGradientBuffers, threads?: PairThreads): ScoreGradient;
  /** Gradient plus score Hessian (diagonal and cross products) by the fast path; `threads` as for gradient. */
  curvature(s: Float64Array, t: Float64Array, p: LossParameters, request: CrossRequest, threads?: PairThreads): ScoreCurvature;
}

/** A loss that is a mean over samples of a function of the logits (cross-entropy). */
export interface SampleLossDefinition extends LossDefinitionBase {
  readonly type: 'per-sample';
  readonly kind: 'ce';
  /**
   * Σ_d ℓ_d (not yet divided by N) from log-probabilities, writing φ_d = ∂ℓ_d/∂y_d into
   * `phiOut` (N×C). Unchecked.
   */
  valueAndLogitGradient(logProbabilities: Float64Array, probabilities: Float64Array, labels: Int32Array, count: number, classes: number, phiOut: Float64Array): number;
  /** Writes Φ_d = ∂²ℓ_d/∂y_d² (C×C row-major) for row d into `out`. */
  logitHessian(probabilities: Float64Array, d: number, classes: number, out: Float64Array): void;
}

export type LossDefinition = PairwiseLossDefinition | SampleLossDefinition;

/** Freezes a pairwise definition (a function, so that object literals are typed in context). */
export function definePairwiseLoss(definition: PairwiseLossDefinition): PairwiseLossDefinition {
  return Object.freeze({ ...definition, pair: Object.freeze({ ...definition.pair }), defaults: Object.freeze({ ...definition.defaults }) });
}

export function defineSampleLoss(definition: SampleLossDefinition): SampleLossDefinition {
  return Object.freeze({ ...definition, defaults: Object.freeze({ ...definition.defaults }) });
}

// SPDX-License-Identifier: MIT
/**
 * Pairwise sigmoid (the study's appAUC surrogate): ℓ(z) = −σ(βz), σ(u) = 1/(1 + e^(−u)),
 * β default 40; the mean over pairs is −appAUC.
 *   ℓ′ = −β σ(1 − σ),   ℓ″ = −β² σ(1 − σ)(1 − 2σ).
 * Exact over all N⁺N⁻ pairs with no exp in the pair loop (kernels/sigmoid-pairs.ts); one exp
 * per pair only when β·range > 700.
 */
import { allocatePairSecondOrder } from '../kernels/pair-accumulate.js';
import { pairFactors } from '../kernels/pair-factors.js';
import { sigmoidPairsFirstOrder, sigmoidPairsFirstOrderDirect, sigmoidPairsSecondOrder } from '../kernels/sigmoid-pairs.js';
import { scoreCurvatureFromSums, scoreGradientFromSums } from './pair-scaling.js';
import { definePairwiseLoss } from './types.js';

/** σ(x), σ(1 − σ) and 1 − 2σ without overflow or cancellation, from e = e^(−|x|). */
function logistic(x: number): { sigma: number; slope: number; bend: number } {
  const e = Math.exp(-Math.abs(x));
  const inv = 1 / (1 + e);
  return { sigma: x >= 0 ? inv : e * inv, slope: e * inv * inv, bend: (x >= 0 ? e - 1 : 1 - e) * inv };
}

export const sigmoidLoss = definePairwiseLoss({
  type: 'pairwise',
  kind: 'sigmoid',
  title: 'pairwise sigmoid (appAUC)',
  formula: 'ℓ(z) = −σ(βz), σ(u) = 1/(1 + e^(−u))',
  parameters: ['beta'],
  defaults: { beta: 40 },
  complexity: 'O(N⁺·N⁻) multiplies and divides, no exp per pair (β·range ≤ 700); Hessian loss part O(N⁺·N⁻·W)',
  pair: {
    value: (z, p) => -logistic(p.beta * z).sigma,
    first: (z, p) => -p.beta * logistic(p.beta * z).slope,
    second: (z, p) => {
      const l = logistic(p.beta * z);
      return -p.beta * p.beta * l.slope * l.bend;
    },
  },
  gradient(s, t, p, out) {
    const rows = out?.positiveGradient ?? new Float64Array(s.length);
    const cols = out?.negativeGradient ?? new Float64Array(t.length);
    cols.fill(0);
    const a = new Float64Array(s.length);
    const b = new Float64Array(t.length);
    const sum = pairFactors(p.beta, s, t, a, b)
      ? sigmoidPairsFirstOrder(a, b, 0, s.length, rows, cols)
      : sigmoidPairsFirstOrderDirect(p.beta, s, t, 0, s.length, rows, cols);
    return scoreGradientFromSums(sum, rows, cols, -1, -p.beta);
  },
  curvature(s, t, p, request) {
    const sums = allocatePairSecondOrder(s.length, t.length, request.k, request.y.length > 0);
    const a = new Float64Array(s.length);
    const b = new Float64Array(t.length);
    const factored = pairFactors(p.beta, s, t, a, b);
    const sum = sigmoidPairsSecondOrder(p.beta, s, t, a, b, factored, 0, s.length, request.k, request.x, request.y, sums);
    return scoreCurvatureFromSums(sum, sums, -1, -p.beta, -p.beta * p.beta);
  },
});

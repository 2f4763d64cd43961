// SPDX-License-Identifier: MIT
/**
 * Pairwise sigmoid (the study's appAUC surrogate): ℓ(z) = −σ(βz), σ(u) = 1/(1 + e^(−u)),
 * β default 40; the mean over pairs is −appAUC.
 *   ℓ′ = −β σ(1 − σ),   ℓ″ = −β² σ(1 − σ)(1 − 2σ).
 * Exact over all N⁺N⁻ pairs with no exp in the pair loop (kernels/sigmoid-pairs.ts); one exp
 * per pair only when β·range > 700. Above a PairThreads' threshold the pairs run in row blocks,
 * on its pool when it has one (kernels/pair-threads.ts).
 */
import { sigmoidFirstOrderBlock, sigmoidSecondOrderBlock } from '../kernels/pair-blocks.js';
import { WHOLE_RANGE, pairBlockKernel, type PairKernels } from '../kernels/pair-threads.js';
import { sigmoidPairsFirstOrder, sigmoidPairsFirstOrderDirect, sigmoidPairsSecondOrder } from '../kernels/sigmoid-pairs.js';
import { scoreCurvatureFromSums, scoreGradientFromSums } from './pair-scaling.js';
import { definePairwiseLoss } from './types.js';

/** Factors at rate β; row blocks on worker threads above a PairThreads' threshold. */
const kernels: PairKernels = Object.freeze({
  rate: 1,
  firstOrder: sigmoidPairsFirstOrder,
  firstOrderDirect: sigmoidPairsFirstOrderDirect,
  secondOrder: sigmoidPairsSecondOrder,
  firstOrderBlock: pairBlockKernel('sigmoidFirstOrderBlock', sigmoidFirstOrderBlock),
  secondOrderBlock: pairBlockKernel('sigmoidSecondOrderBlock', sigmoidSecondOrderBlock),
});

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
  gradient(s, t, p, out, threads = WHOLE_RANGE) {
    const rows = out?.positiveGradient ?? new Float64Array(s.length);
    const cols = out?.negativeGradient ?? new Float64Array(t.length);
    const sum = threads.firstOrder(kernels, p.beta, s, t, rows, cols);
    return scoreGradientFromSums(sum, rows, cols, -1, -p.beta);
  },
  curvature(s, t, p, request, threads = WHOLE_RANGE) {
    const { value, sums } = threads.secondOrder(kernels, p.beta, s, t, request);
    return scoreCurvatureFromSums(value, sums, -1, -p.beta, -p.beta * p.beta);
  },
});

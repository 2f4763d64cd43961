// SPDX-License-Identifier: MIT
/**
 * Pairwise tanh: ℓ(z) = −(1 + tanh(βz))/2, β default 1.
 *   ℓ′ = −(β/2)(1 − T²),   ℓ″ = β² T(1 − T²),   T = tanh(βz).
 * Since −(1 + tanh(βz))/2 = −σ(2βz), this landscape at β is the sigmoid landscape at 2β; the
 * code is independent of the sigmoid's (reference: Math.tanh; fast path: its own exp-free
 * kernel in kernels/tanh-pairs.ts), so the identity is a test, not an assumption.
 */
import { tanhFirstOrderBlock, tanhSecondOrderBlock } from '../kernels/pair-blocks.js';
import { WHOLE_RANGE, pairBlockKernel, type PairKernels } from '../kernels/pair-threads.js';
import { tanhPairsFirstOrder, tanhPairsFirstOrderDirect, tanhPairsSecondOrder } from '../kernels/tanh-pairs.js';
import { scoreCurvatureFromSums, scoreGradientFromSums } from './pair-scaling.js';
import { definePairwiseLoss } from './types.js';

/** Factors at rate 2β (u = e^(−2βz)); row blocks on worker threads above a PairThreads' threshold. */
const kernels: PairKernels = Object.freeze({
  rate: 2,
  firstOrder: tanhPairsFirstOrder,
  firstOrderDirect: tanhPairsFirstOrderDirect,
  secondOrder: tanhPairsSecondOrder,
  firstOrderBlock: pairBlockKernel('tanhFirstOrderBlock', tanhFirstOrderBlock),
  secondOrderBlock: pairBlockKernel('tanhSecondOrderBlock', tanhSecondOrderBlock),
});

function sech2(x: number): number {
  const c = Math.cosh(x);
  return 1 / (c * c);
}

export const tanhLoss = definePairwiseLoss({
  type: 'pairwise',
  kind: 'tanh',
  title: 'pairwise tanh',
  formula: 'ℓ(z) = −(1 + tanh(βz))/2',
  parameters: ['beta'],
  defaults: { beta: 1 },
  complexity: 'O(N⁺·N⁻) multiplies and divides, no tanh/exp per pair (2β·range ≤ 700); Hessian loss part O(N⁺·N⁻·W)',
  pair: {
    value: (z, p) => -(1 + Math.tanh(p.beta * z)) / 2,
    first: (z, p) => (-p.beta / 2) * sech2(p.beta * z),
    second: (z, p) => p.beta * p.beta * Math.tanh(p.beta * z) * sech2(p.beta * z),
  },
  gradient(s, t, p, out, threads = WHOLE_RANGE) {
    const rows = out?.positiveGradient ?? new Float64Array(s.length);
    const cols = out?.negativeGradient ?? new Float64Array(t.length);
    const sum = threads.firstOrder(kernels, p.beta, s, t, rows, cols);
    return scoreGradientFromSums(sum, rows, cols, -1, -p.beta / 2);
  },
  curvature(s, t, p, request, threads = WHOLE_RANGE) {
    const { value, sums } = threads.secondOrder(kernels, p.beta, s, t, request);
    return scoreCurvatureFromSums(value, sums, -1, -p.beta / 2, p.beta * p.beta);
  },
});

// SPDX-License-Identifier: MIT
/**
 * Pairwise tanh: ℓ(z) = −(1 + tanh(βz))/2, β default 1.
 *   ℓ′ = −(β/2)(1 − T²),   ℓ″ = β² T(1 − T²),   T = tanh(βz).
 * Since −(1 + tanh(βz))/2 = −σ(2βz), this landscape at β is the sigmoid landscape at 2β; the
 * code is independent of the sigmoid's (reference: Math.tanh; fast path: its own exp-free
 * kernel in kernels/tanh-pairs.ts), so the identity is a test, not an assumption.
 */
import { allocatePairSecondOrder } from '../kernels/pair-accumulate.js';
import { pairFactors } from '../kernels/pair-factors.js';
import { tanhPairsFirstOrder, tanhPairsFirstOrderDirect, tanhPairsSecondOrder } from '../kernels/tanh-pairs.js';
import { scoreCurvatureFromSums, scoreGradientFromSums } from './pair-scaling.js';
import { definePairwiseLoss } from './types.js';

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
  gradient(s, t, p, out) {
    const rows = out?.positiveGradient ?? new Float64Array(s.length);
    const cols = out?.negativeGradient ?? new Float64Array(t.length);
    cols.fill(0);
    const a = new Float64Array(s.length);
    const b = new Float64Array(t.length);
    const sum = pairFactors(2 * p.beta, s, t, a, b)
      ? tanhPairsFirstOrder(a, b, 0, s.length, rows, cols)
      : tanhPairsFirstOrderDirect(p.beta, s, t, 0, s.length, rows, cols);
    return scoreGradientFromSums(sum, rows, cols, -1, -p.beta / 2);
  },
  curvature(s, t, p, request) {
    const sums = allocatePairSecondOrder(s.length, t.length, request.k, request.y.length > 0);
    const a = new Float64Array(s.length);
    const b = new Float64Array(t.length);
    const factored = pairFactors(2 * p.beta, s, t, a, b);
    const sum = tanhPairsSecondOrder(p.beta, s, t, a, b, factored, 0, s.length, request.k, request.x, request.y, sums);
    return scoreCurvatureFromSums(sum, sums, -1, -p.beta / 2, p.beta * p.beta);
  },
});

// SPDX-License-Identifier: MIT
/**
 * Pairwise quadratic: ℓ(z) = (m − z)², m default 1; ℓ′ = −2(m − z), ℓ″ = 2.
 * The mean over pairs is (m − (s̄ − t̄))² + Var(s) + Var(t) (population variances, taken in
 * two passes so nothing cancels), and the gradient is
 *   ∂L/∂s_i = −(2/N⁺)(m − s_i + t̄),   ∂L/∂t_j = (2/N⁻)(m − s̄ + t_j):  O(N).
 * The cross block of the score Hessian is the constant −2/M (rank one).
 */
import { definePairwiseLoss, type CrossRequest, type LossParameters, type ScoreCurvature, type ScoreGradient, type ScoreGradientBuffers } from './types.js';

function meanAndVariance(v: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  const mean = sum / v.length;
  let sq = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v[i] - mean;
    sq += d * d;
  }
  return { mean, variance: sq / v.length };
}

function gradient(s: Float64Array, t: Float64Array, p: LossParameters, out?: ScoreGradientBuffers): ScoreGradient {
  const sm = meanAndVariance(s);
  const tm = meanAndVariance(t);
  const d = p.margin - (sm.mean - tm.mean);
  const rows = out?.positiveGradient ?? new Float64Array(s.length);
  const cols = out?.negativeGradient ?? new Float64Array(t.length);
  const gs = -2 / s.length;
  for (let i = 0; i < s.length; i++) rows[i] = gs * (p.margin - s[i] + tm.mean);
  const gt = 2 / t.length;
  for (let j = 0; j < t.length; j++) cols[j] = gt * (p.margin - sm.mean + t[j]);
  return { value: d * d + sm.variance + tm.variance, positiveGradient: rows, negativeGradient: cols, logScale: 0 };
}

function curvature(s: Float64Array, t: Float64Array, p: LossParameters, request: CrossRequest): ScoreCurvature {
  const g = gradient(s, t, p);
  const m = s.length * t.length;
  const { k, x, y } = request;
  const colSum = new Float64Array(k);
  for (let j = 0; j < t.length; j++) for (let c = 0; c < k; c++) colSum[c] += x[j * k + c];
  const cross = new Float64Array(s.length * k);
  for (let i = 0; i < s.length; i++) for (let c = 0; c < k; c++) cross[i * k + c] = (-2 / m) * colSum[c];
  const crossTranspose = new Float64Array(y.length > 0 ? t.length * k : 0);
  if (y.length > 0) {
    const rowSum = new Float64Array(k);
    for (let i = 0; i < s.length; i++) for (let c = 0; c < k; c++) rowSum[c] += y[i * k + c];
    for (let j = 0; j < t.length; j++) for (let c = 0; c < k; c++) crossTranspose[j * k + c] = (-2 / m) * rowSum[c];
  }
  return {
    ...g,
    positiveSecond: new Float64Array(s.length).fill(2 / s.length),
    negativeSecond: new Float64Array(t.length).fill(2 / t.length),
    cross,
    crossTranspose,
  };
}

export const quadraticLoss = definePairwiseLoss({
  type: 'pairwise',
  kind: 'quad',
  title: 'pairwise quadratic',
  formula: 'ℓ(z) = (m − z)²',
  parameters: ['margin'],
  defaults: { margin: 1 },
  complexity: 'value and gradient O(N) (means and variances); Hessian loss part O(N·W) (constant cross block)',
  pair: {
    value: (z, p) => (p.margin - z) ** 2,
    first: (z, p) => -2 * (p.margin - z),
    second: () => 2,
  },
  gradient,
  curvature,
});

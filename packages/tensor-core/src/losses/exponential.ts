// SPDX-License-Identifier: MIT
/**
 * Pairwise exponential: ℓ(z) = e^(−βz), β default 1; ℓ′ = −βℓ, ℓ″ = β²ℓ.
 * The pair sum factors: (1/M) Σ_ij e^(−βs_i)·e^(βt_j) = (1/M)(Σ_i e^(−βs_i))(Σ_j e^(βt_j)), so
 * value and gradient are O(N). Each sum is taken log-sum-exp style, A_i = e^(−βs_i − mA) ≤ 1
 * and B_j = e^(βt_j − mB) ≤ 1, and the common factor E = e^(mA + mB) carries the magnitude.
 * The cross block of the score Hessian is rank one: K = −(β²/M)·E·A·Bᵀ.
 *
 * Where β·z < −709 the true value exceeds float64: every output is then returned divided by
 * e^(logScale) (ScoreGradient), and the caller turns it into ±Infinity — never NaN.
 */
import { definePairwiseLoss, type CrossRequest, type LossParameters, type ScoreCurvature, type ScoreGradient, type ScoreGradientBuffers } from './types.js';

/** Largest ln of any intermediate kept unscaled (room left below ln(MAX_VALUE) ≈ 709.78 for sums). */
const LOG_SAFE = 650;

interface ExpFactors {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly sumA: number;
  readonly sumB: number;
  /** ln of the scale applied to every output. */
  readonly logScale: number;
  /** e^(mA + mB − logScale). */
  readonly common: number;
}

function expFactors(s: Float64Array, t: Float64Array, beta: number): ExpFactors {
  let mA = -Infinity;
  for (let i = 0; i < s.length; i++) mA = Math.max(mA, -beta * s[i]);
  let mB = -Infinity;
  for (let j = 0; j < t.length; j++) mB = Math.max(mB, beta * t[j]);
  const a = new Float64Array(s.length);
  let sumA = 0;
  for (let i = 0; i < s.length; i++) sumA += a[i] = Math.exp(-beta * s[i] - mA);
  const b = new Float64Array(t.length);
  let sumB = 0;
  for (let j = 0; j < t.length; j++) sumB += b[j] = Math.exp(beta * t[j] - mB);
  // Largest intermediate: β²·E (second derivatives); value ≤ E since sumA·sumB ≤ M.
  const logLargest = mA + mB + Math.max(0, 2 * Math.log(beta));
  const logScale = logLargest > LOG_SAFE ? logLargest - LOG_SAFE : 0;
  return { a, b, sumA, sumB, logScale, common: Math.exp(mA + mB - logScale) };
}

function gradient(s: Float64Array, t: Float64Array, p: LossParameters, out?: ScoreGradientBuffers): ScoreGradient {
  return gradientFrom(expFactors(s, t, p.beta), s, t, p, out);
}

function gradientFrom(f: ExpFactors, s: Float64Array, t: Float64Array, p: LossParameters, out?: ScoreGradientBuffers): ScoreGradient {
  const m = s.length * t.length;
  const rows = out?.positiveGradient ?? new Float64Array(s.length);
  const cols = out?.negativeGradient ?? new Float64Array(t.length);
  const gs = (-p.beta / m) * f.sumB * f.common;
  for (let i = 0; i < s.length; i++) rows[i] = gs * f.a[i];
  const gt = (p.beta / m) * f.sumA * f.common;
  for (let j = 0; j < t.length; j++) cols[j] = gt * f.b[j];
  return { value: ((f.sumA * f.sumB) / m) * f.common, positiveGradient: rows, negativeGradient: cols, logScale: f.logScale };
}

function curvature(s: Float64Array, t: Float64Array, p: LossParameters, request: CrossRequest): ScoreCurvature {
  const f = expFactors(s, t, p.beta);
  const g = gradientFrom(f, s, t, p);
  const m = s.length * t.length;
  const b2 = p.beta * p.beta;
  const positiveSecond = new Float64Array(s.length);
  const hs = (b2 / m) * f.sumB * f.common;
  for (let i = 0; i < s.length; i++) positiveSecond[i] = hs * f.a[i];
  const negativeSecond = new Float64Array(t.length);
  const ht = (b2 / m) * f.sumA * f.common;
  for (let j = 0; j < t.length; j++) negativeSecond[j] = ht * f.b[j];
  const { k, x, y } = request;
  const kScale = (-b2 / m) * f.common;
  // K·x = kScale·A·(Bᵀx): one O(N⁻k) contraction, then an outer product.
  const bx = new Float64Array(k);
  for (let j = 0; j < t.length; j++) for (let c = 0; c < k; c++) bx[c] += f.b[j] * x[j * k + c];
  const cross = new Float64Array(s.length * k);
  for (let i = 0; i < s.length; i++) for (let c = 0; c < k; c++) cross[i * k + c] = kScale * f.a[i] * bx[c];
  const crossTranspose = new Float64Array(y.length > 0 ? t.length * k : 0);
  if (y.length > 0) {
    const ay = new Float64Array(k);
    for (let i = 0; i < s.length; i++) for (let c = 0; c < k; c++) ay[c] += f.a[i] * y[i * k + c];
    for (let j = 0; j < t.length; j++) for (let c = 0; c < k; c++) crossTranspose[j * k + c] = kScale * f.b[j] * ay[c];
  }
  return { ...g, positiveSecond, negativeSecond, cross, crossTranspose };
}

export const exponentialLoss = definePairwiseLoss({
  type: 'pairwise',
  kind: 'exp',
  title: 'pairwise exponential',
  formula: 'ℓ(z) = e^(−βz)',
  parameters: ['beta'],
  defaults: { beta: 1 },
  complexity: 'value and gradient O(N) (factored log-sum-exp); Hessian loss part O(N·W) (rank-one cross block)',
  pair: {
    value: (z, p) => Math.exp(-p.beta * z),
    first: (z, p) => -p.beta * Math.exp(-p.beta * z),
    second: (z, p) => p.beta * p.beta * Math.exp(-p.beta * z),
  },
  gradient,
  curvature,
});

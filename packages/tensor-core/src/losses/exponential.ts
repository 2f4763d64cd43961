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
  /** A_i = e^(−βs_i − mA) ≤ 1 and B_j = e^(βt_j − mB) ≤ 1, for sums and contractions. */
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly sumA: number;
  readonly sumB: number;
  /** ln of the scale every output is divided by (0 unless something would overflow). */
  readonly logScale: number;
  /** e^(mA + mB − logScale). */
  readonly common: number;
  /** e^(−βs_i + mB − logScale) = A_i·common, taken without underflow in A_i. */
  readonly aScaled: Float64Array;
  /** e^(βt_j + mA − logScale) = B_j·common. */
  readonly bScaled: Float64Array;
}

/**
 * A_i·common as one product when A_i cannot underflow (β·range(s) ≤ 700, the usual case:
 * no second exp), else one exp per element so that a tiny A_i times a huge common factor
 * is not lost as 0.
 */
function scaledFactors(normalised: Float64Array, exponent: (i: number) => number, range: number, common: number): Float64Array {
  const out = new Float64Array(normalised.length);
  if (range <= 700) for (let i = 0; i < out.length; i++) out[i] = normalised[i] * common;
  else for (let i = 0; i < out.length; i++) out[i] = Math.exp(exponent(i));
  return out;
}

interface ExpBounds {
  readonly mA: number;
  readonly mB: number;
  /** β·(max s − min s) and β·(max t − min t): beyond 700 a normalised factor may underflow. */
  readonly spreadA: number;
  readonly spreadB: number;
  readonly logScale: number;
  readonly common: number;
}

function expBounds(s: Float64Array, t: Float64Array, beta: number): ExpBounds {
  let sMin = Infinity;
  let sMax = -Infinity;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (v < sMin) sMin = v;
    if (v > sMax) sMax = v;
  }
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let j = 0; j < t.length; j++) {
    const v = t[j];
    if (v < tMin) tMin = v;
    if (v > tMax) tMax = v;
  }
  const mA = -beta * sMin;
  const mB = beta * tMax;
  // Largest intermediate: β²·e^(mA + mB) (second derivatives); the value is at most e^(mA + mB).
  const logLargest = mA + mB + Math.max(0, 2 * Math.log(beta));
  const logScale = logLargest > LOG_SAFE ? logLargest - LOG_SAFE : 0;
  return { mA, mB, spreadA: beta * (sMax - sMin), spreadB: beta * (tMax - tMin), logScale, common: Math.exp(mA + mB - logScale) };
}

function expFactors(s: Float64Array, t: Float64Array, beta: number): ExpFactors {
  const { mA, mB, spreadA, spreadB, logScale, common } = expBounds(s, t, beta);
  const a = new Float64Array(s.length);
  let sumA = 0;
  for (let i = 0; i < s.length; i++) sumA += a[i] = Math.exp(-beta * s[i] - mA);
  const b = new Float64Array(t.length);
  let sumB = 0;
  for (let j = 0; j < t.length; j++) sumB += b[j] = Math.exp(beta * t[j] - mB);
  const aScaled = scaledFactors(a, (i) => -beta * s[i] + mB - logScale, spreadA, common);
  const bScaled = scaledFactors(b, (j) => beta * t[j] + mA - logScale, spreadB, common);
  return { a, b, sumA, sumB, logScale, common, aScaled, bScaled };
}

/**
 * ∂L/∂s_i = −(β/M)·e^(−βs_i)·Σ_j e^(βt_j),  ∂L/∂t_j = (β/M)·e^(βt_j)·Σ_i e^(−βs_i).
 * One exp per score, written straight into the outputs (no temporary arrays): the hot O(N) path.
 */
function gradient(s: Float64Array, t: Float64Array, p: LossParameters, out?: ScoreGradientBuffers): ScoreGradient {
  const beta = p.beta;
  const { mA, mB, spreadA, spreadB, logScale, common } = expBounds(s, t, beta);
  const m = s.length * t.length;
  const rows = out?.positiveGradient ?? new Float64Array(s.length);
  const cols = out?.negativeGradient ?? new Float64Array(t.length);
  let sumA = 0;
  for (let i = 0; i < s.length; i++) sumA += rows[i] = Math.exp(-beta * s[i] - mA);
  let sumB = 0;
  for (let j = 0; j < t.length; j++) sumB += cols[j] = Math.exp(beta * t[j] - mB);
  const gs = (-beta / m) * sumB;
  const gt = (beta / m) * sumA;
  if (spreadA <= 700) {
    const c = gs * common;
    for (let i = 0; i < s.length; i++) rows[i] *= c;
  } else {
    for (let i = 0; i < s.length; i++) rows[i] = gs * Math.exp(-beta * s[i] + mB - logScale);
  }
  if (spreadB <= 700) {
    const c = gt * common;
    for (let j = 0; j < t.length; j++) cols[j] *= c;
  } else {
    for (let j = 0; j < t.length; j++) cols[j] = gt * Math.exp(beta * t[j] + mA - logScale);
  }
  return { value: ((sumA * sumB) / m) * common, positiveGradient: rows, negativeGradient: cols, logScale };
}

function gradientFrom(f: ExpFactors, s: Float64Array, t: Float64Array, p: LossParameters): ScoreGradient {
  const m = s.length * t.length;
  const rows = new Float64Array(s.length);
  const cols = new Float64Array(t.length);
  const gs = (-p.beta / m) * f.sumB;
  for (let i = 0; i < s.length; i++) rows[i] = gs * f.aScaled[i];
  const gt = (p.beta / m) * f.sumA;
  for (let j = 0; j < t.length; j++) cols[j] = gt * f.bScaled[j];
  return { value: ((f.sumA * f.sumB) / m) * f.common, positiveGradient: rows, negativeGradient: cols, logScale: f.logScale };
}

function curvature(s: Float64Array, t: Float64Array, p: LossParameters, request: CrossRequest): ScoreCurvature {
  const f = expFactors(s, t, p.beta);
  const g = gradientFrom(f, s, t, p);
  const m = s.length * t.length;
  const b2 = p.beta * p.beta;
  const positiveSecond = new Float64Array(s.length);
  const hs = (b2 / m) * f.sumB;
  for (let i = 0; i < s.length; i++) positiveSecond[i] = hs * f.aScaled[i];
  const negativeSecond = new Float64Array(t.length);
  const ht = (b2 / m) * f.sumA;
  for (let j = 0; j < t.length; j++) negativeSecond[j] = ht * f.bScaled[j];
  const { k, x, y } = request;
  // K_ij = −(β²/M)·e^(−βs_i + βt_j) = −(β²/M)·aScaled_i·B_j = −(β²/M)·A_i·bScaled_j: rank one,
  // so K·x is one O(N⁻k) contraction and an outer product.
  const kScale = -b2 / m;
  const bx = new Float64Array(k);
  for (let j = 0; j < t.length; j++) for (let c = 0; c < k; c++) bx[c] += f.b[j] * x[j * k + c];
  const cross = new Float64Array(s.length * k);
  for (let i = 0; i < s.length; i++) for (let c = 0; c < k; c++) cross[i * k + c] = kScale * f.aScaled[i] * bx[c];
  const crossTranspose = new Float64Array(y.length > 0 ? t.length * k : 0);
  if (y.length > 0) {
    const ay = new Float64Array(k);
    for (let i = 0; i < s.length; i++) for (let c = 0; c < k; c++) ay[c] += f.a[i] * y[i * k + c];
    for (let j = 0; j < t.length; j++) for (let c = 0; c < k; c++) crossTranspose[j * k + c] = kScale * f.bScaled[j] * ay[c];
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

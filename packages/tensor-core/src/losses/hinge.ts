// SPDX-License-Identifier: MIT
/**
 * Pairwise hinge: ℓ(z) = max(0, m − z), m default 1; ℓ′ = −1 where z ≤ m (at the kink z = m
 * the one-sided derivative from below), else 0; ℓ″ = 0 (the loss part of the Hessian is the
 * per-sample term only).
 *
 * When every pair is active (max s − min t ≤ m, always so for probabilities and m ≥ 1) the
 * mean is exactly linear, m − (s̄ − t̄): O(N). Otherwise sort s and t (radix argsort, O(N);
 * O(N log N) for comparison sorts); for each positive i the active negatives
 * {j : s_i − t_j ≤ m} are a suffix of sorted t, whose count and sum come from compensated
 * suffix sums, and for each negative j the active positives are a prefix of sorted s. The
 * merges test the same floating-point predicate `s_i − t_j ≤ m` as the direct double sum
 * (monotone in both s and t), so both agree exactly at the kink.
 */
import { argsortFloat64 } from '../sort.js';
import { definePairwiseLoss, type CrossRequest, type LossParameters, type ScoreCurvature, type ScoreGradient, type ScoreGradientBuffers } from './types.js';

function mean(v: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  return sum / v.length;
}

/** suffix[f] = Σ_{j ≥ f} sorted[j] with Neumaier compensation; length n + 1. */
function suffixSums(sorted: Float64Array): Float64Array {
  const n = sorted.length;
  const out = new Float64Array(n + 1);
  let sum = 0;
  let comp = 0;
  for (let j = n - 1; j >= 0; j--) {
    const v = sorted[j];
    const next = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - next + v : v - next + sum;
    sum = next;
    out[j] = sum + comp;
  }
  return out;
}

function linear(s: Float64Array, t: Float64Array, p: LossParameters, rows: Float64Array, cols: Float64Array): number {
  rows.fill(-1 / s.length);
  cols.fill(1 / t.length);
  return p.margin - (mean(s) - mean(t));
}

/**
 * O(N log N) in principle, O(N) after the radix argsort: walking the positives in ascending
 * order, the first active negative f (s − ts[f] ≤ m along sorted t) only moves right; walking
 * the negatives in ascending order, the number of active positives g only grows.
 */
function general(s: Float64Array, t: Float64Array, p: LossParameters, rows: Float64Array, cols: Float64Array): number {
  const m = p.margin;
  const nP = s.length;
  const nN = t.length;
  const total = nP * nN;
  const { sorted: ss, order: os } = argsortFloat64(s);
  const { sorted: ts, order: ot } = argsortFloat64(t);
  const suffix = suffixSums(ts);
  let value = 0;
  let f = 0;
  for (let k = 0; k < nP; k++) {
    const si = ss[k];
    while (f < nN && !(si - ts[f] <= m)) f++;
    const active = nN - f;
    value += active * (m - si) + suffix[f];
    rows[os[k]] = -active / total;
  }
  let g = 0;
  for (let k = 0; k < nN; k++) {
    const tj = ts[k];
    while (g < nP && ss[g] - tj <= m) g++;
    cols[ot[k]] = g / total;
  }
  return value / total;
}

function gradient(s: Float64Array, t: Float64Array, p: LossParameters, out?: ScoreGradientBuffers): ScoreGradient {
  const rows = out?.positiveGradient ?? new Float64Array(s.length);
  const cols = out?.negativeGradient ?? new Float64Array(t.length);
  let maxS = -Infinity;
  for (let i = 0; i < s.length; i++) maxS = Math.max(maxS, s[i]);
  let minT = Infinity;
  for (let j = 0; j < t.length; j++) minT = Math.min(minT, t[j]);
  // Floating-point subtraction is monotone, so the extreme pair decides for all pairs.
  const value = maxS - minT <= p.margin ? linear(s, t, p, rows, cols) : general(s, t, p, rows, cols);
  return { value, positiveGradient: rows, negativeGradient: cols, logScale: 0 };
}

function curvature(s: Float64Array, t: Float64Array, p: LossParameters, request: CrossRequest): ScoreCurvature {
  return {
    ...gradient(s, t, p),
    positiveSecond: new Float64Array(s.length),
    negativeSecond: new Float64Array(t.length),
    cross: new Float64Array(s.length * request.k),
    crossTranspose: new Float64Array(request.y.length > 0 ? t.length * request.k : 0),
  };
}

export const hingeLoss = definePairwiseLoss({
  type: 'pairwise',
  kind: 'hinge',
  title: 'pairwise hinge',
  formula: 'ℓ(z) = max(0, m − z)',
  parameters: ['margin'],
  defaults: { margin: 1 },
  complexity: 'value and gradient O(N) when all pairs are active (m ≥ 1 on probabilities), else O(N log N); Hessian loss part 0',
  pair: {
    value: (z, p) => Math.max(0, p.margin - z),
    first: (z, p) => (z <= p.margin ? -1 : 0),
    second: () => 0,
  },
  gradient,
  curvature,
});

// SPDX-License-Identifier: MIT
// Every fast path of every pairwise loss against the direct double sum (DESIGN.md contract:
// 1e-12 relative, 1e-15 absolute floor), the tanh/sigmoid identity, and overflow behaviour.
import { TOL, createRng, isLandscapeError } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { allocatePairSecondOrder } from './kernels/pair-accumulate.js';
import { FACTOR_RANGE_LIMIT, pairFactors } from './kernels/pair-factors.js';
import { sigmoidPairsFirstOrder, sigmoidPairsFirstOrderDirect, sigmoidPairsSecondOrder } from './kernels/sigmoid-pairs.js';
import { tanhPairsFirstOrder } from './kernels/tanh-pairs.js';
import { pairwiseDirectUnchecked } from './losses/direct.js';
import { resolvePairwiseLoss } from './losses/registry.js';
import type { PairwiseLossSpec } from './losses/types.js';
import { pairwiseLossAndGradient, pairwiseLossDirect } from './pairwise.js';
import { contractError, matMul, matTMul, randomVector, uniformScores } from './test-utils/problems.js';

const REL = TOL.F64_FAST_PATH;
const ABS = TOL.F64_ABS_FLOOR;

/** Settings that reach every branch: factored and exp-per-pair sigmoid/tanh, linear and sorted hinge, scaled exp. */
const FAST_PATH_CASES: readonly { loss: PairwiseLossSpec; path: string; lo?: number; hi?: number }[] = [
  { loss: { kind: 'sigmoid' }, path: 'factored (β = 40)' },
  { loss: { kind: 'sigmoid', beta: 1 }, path: 'factored (β = 1)' },
  { loss: { kind: 'sigmoid', beta: 160 }, path: 'factored (β = 160)' },
  { loss: { kind: 'sigmoid', beta: 2000 }, path: 'exp per pair (β·range > 700)' },
  { loss: { kind: 'tanh' }, path: 'factored (β = 1)' },
  { loss: { kind: 'tanh', beta: 20 }, path: 'factored (β = 20)' },
  { loss: { kind: 'tanh', beta: 1000 }, path: 'Math.tanh per pair (2β·range > 700)' },
  { loss: { kind: 'hinge' }, path: 'linear (m = 1)' },
  { loss: { kind: 'hinge', margin: 0.3 }, path: 'sorted prefix sums (m = 0.3)' },
  { loss: { kind: 'hinge', margin: 1 }, path: 'sorted prefix sums (scores beyond [0, 1])', lo: -1, hi: 2 },
  { loss: { kind: 'exp' }, path: 'log-sum-exp factors (β = 1)' },
  { loss: { kind: 'exp', beta: 8 }, path: 'log-sum-exp factors (β = 8)' },
  { loss: { kind: 'exp', beta: 690 }, path: 'log-scaled outputs (β = 690, value near e^690)' },
  { loss: { kind: 'quad' }, path: 'means and variances (m = 1)' },
  { loss: { kind: 'quad', margin: 0.25 }, path: 'means and variances (m = 0.25)' },
];

// Sizes include 1×1 and row counts that are not multiples of the 4-row unrolling.
const SIZES: readonly [number, number][] = [
  [1, 1],
  [1, 7],
  [6, 1],
  [13, 29],
  [64, 37],
];

describe.each(FAST_PATH_CASES)('$loss.kind $path', ({ loss, lo = 0, hi = 1 }) => {
  const rng = createRng(0xfa57);
  const { definition, parameters } = resolvePairwiseLoss(loss);

  it.each(SIZES)('value and gradient equal the direct double sum (%i × %i)', (nPos, nNeg) => {
    const s = uniformScores(rng, nPos, lo, hi);
    const t = uniformScores(rng, nNeg, lo, hi);
    if (loss.kind === 'exp' && (loss.beta ?? 1) > 100) {
      // Put every pair deep in the tail: z ≈ −1, value ≈ e^(β), still finite in float64.
      s.forEach((_, i) => (s[i] = 0.001 * s[i]));
      t.forEach((_, j) => (t[j] = 1 - 0.001 * t[j]));
    }
    const fast = pairwiseLossAndGradient(loss, s, t);
    const direct = pairwiseDirectUnchecked(definition, parameters, s, t, false);
    expect(Number.isFinite(fast.value)).toBe(true);
    expect(contractError(fast.value, direct.value, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.positiveGradient, direct.positiveGradient, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.negativeGradient, direct.negativeGradient, REL, ABS)).toBeLessThanOrEqual(1);
    expect(fast.warnings).toEqual([]);
  });

  it('score Hessian (diagonal and cross products K·x, Kᵀ·y) equals the direct double sum', () => {
    const [nPos, nNeg] = [23, 17];
    const s = uniformScores(rng, nPos, lo, hi);
    const t = uniformScores(rng, nNeg, lo, hi);
    const k = 3;
    const x = randomVector(rng, nNeg * k);
    const y = randomVector(rng, nPos * k);
    const fast = definition.curvature(s, t, parameters, { k, x, y });
    const direct = pairwiseDirectUnchecked(definition, parameters, s, t, true);
    expect(fast.logScale).toBe(0);
    expect(contractError(fast.value, direct.value, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.positiveGradient, direct.positiveGradient, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.negativeGradient, direct.negativeGradient, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.positiveSecond, direct.positiveSecond, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.negativeSecond, direct.negativeSecond, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.cross, matMul(direct.crossMatrix, nPos, nNeg, x, k), REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.crossTranspose, matTMul(direct.crossMatrix, nPos, nNeg, y, k), REL, ABS)).toBeLessThanOrEqual(1);
  });
});

describe('hinge at its kink', () => {
  it('takes the derivative from below (−1) exactly where s_i − t_j = m, like the direct sum', () => {
    // Dyadic scores make many differences exactly equal to m = 0.25.
    const s = new Float64Array([0.25, 0.5, 0.75, 0.5, 1]);
    const t = new Float64Array([0, 0.25, 0.5, 0.25, 0.75, 0]);
    const fast = pairwiseLossAndGradient({ kind: 'hinge', margin: 0.25 }, s, t);
    const direct = pairwiseLossDirect({ kind: 'hinge', margin: 0.25 }, s, t);
    expect(fast.positiveGradient).toEqual(direct.positiveGradient);
    expect(fast.negativeGradient).toEqual(direct.negativeGradient);
    expect(contractError(fast.value, direct.value, REL, ABS)).toBeLessThanOrEqual(1);
    // s = 0.5 against t = 0.25 sits on the kink and counts as active.
    const hand = pairwiseLossAndGradient({ kind: 'hinge', margin: 0.25 }, new Float64Array([0.5]), new Float64Array([0.25]));
    expect(hand.value).toBe(0);
    expect(hand.positiveGradient[0]).toBe(-1);
    expect(hand.negativeGradient[0]).toBe(1);
  });
});

describe('pair kernels as row blocks (how @lossscape/parallel will split them)', () => {
  it('blocks with separate column buffers, added in block order, equal one whole pass', () => {
    const rng = createRng(11);
    const s = uniformScores(rng, 37);
    const t = uniformScores(rng, 41);
    const a = new Float64Array(s.length);
    const b = new Float64Array(t.length);
    expect(pairFactors(40, s, t, a, b)).toBe(true);
    const wholeRows = new Float64Array(s.length);
    const wholeCols = new Float64Array(t.length);
    const whole = sigmoidPairsFirstOrder(a, b, 0, s.length, wholeRows, wholeCols);
    const rows = new Float64Array(s.length);
    const cols = new Float64Array(t.length);
    let value = 0;
    for (const [i0, i1] of [[0, 5], [5, 18], [18, 37]]) {
      const part = new Float64Array(t.length);
      value += sigmoidPairsFirstOrder(a, b, i0, i1, rows, part);
      for (let j = 0; j < t.length; j++) cols[j] += part[j];
    }
    expect(rows).toEqual(wholeRows); // rows are assigned, never shared
    expect(contractError(cols, wholeCols, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(value, whole, REL, ABS)).toBeLessThanOrEqual(1);
  });

  it('second-order blocks equal one whole pass', () => {
    const rng = createRng(12);
    const s = uniformScores(rng, 19);
    const t = uniformScores(rng, 23);
    const a = new Float64Array(s.length);
    const b = new Float64Array(t.length);
    pairFactors(40, s, t, a, b);
    const k = 2;
    const x = randomVector(rng, t.length * k);
    const y = randomVector(rng, s.length * k);
    const whole = allocatePairSecondOrder(s.length, t.length, k, true);
    const wholeValue = sigmoidPairsSecondOrder(40, s, t, a, b, true, 0, s.length, k, x, y, whole);
    const parts = allocatePairSecondOrder(s.length, t.length, k, true);
    const value = sigmoidPairsSecondOrder(40, s, t, a, b, true, 0, 7, k, x, y, parts) + sigmoidPairsSecondOrder(40, s, t, a, b, true, 7, 19, k, x, y, parts);
    expect(parts.rowSecond).toEqual(whole.rowSecond);
    expect(parts.cross).toEqual(whole.cross);
    expect(contractError(parts.colSecond, whole.colSecond, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(parts.crossTranspose, whole.crossTranspose, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(value, wholeValue, REL, ABS)).toBeLessThanOrEqual(1);
  });

  it('factors are refused beyond the range limit, and the exp-per-pair kernel then agrees with the factored one below it', () => {
    const rng = createRng(13);
    const s = uniformScores(rng, 9);
    const t = uniformScores(rng, 10);
    const a = new Float64Array(s.length);
    const b = new Float64Array(t.length);
    expect(pairFactors(1e4, s, t, a, b)).toBe(false);
    expect(pairFactors(FACTOR_RANGE_LIMIT, new Float64Array([0]), new Float64Array([1]), a, b)).toBe(true);
    pairFactors(40, s, t, a, b);
    const r1 = new Float64Array(s.length);
    const c1 = new Float64Array(t.length);
    const r2 = new Float64Array(s.length);
    const c2 = new Float64Array(t.length);
    const v1 = sigmoidPairsFirstOrder(a, b, 0, s.length, r1, c1);
    const v2 = sigmoidPairsFirstOrderDirect(40, s, t, 0, s.length, r2, c2);
    expect(contractError(v1, v2, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(r1, r2, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(c1, c2, REL, ABS)).toBeLessThanOrEqual(1);
  });
});

describe('tanh', () => {
  const rng = createRng(0x7a4);

  it('matches a double sum written here with Math.tanh (independent of the loss code)', () => {
    const beta = 1.7;
    const s = uniformScores(rng, 21);
    const t = uniformScores(rng, 18);
    const m = s.length * t.length;
    let value = 0;
    const gs = new Float64Array(s.length);
    const gt = new Float64Array(t.length);
    for (let i = 0; i < s.length; i++) {
      for (let j = 0; j < t.length; j++) {
        const th = Math.tanh(beta * (s[i] - t[j]));
        value += -(1 + th) / 2;
        const d = (-beta / 2) * (1 - th * th);
        gs[i] += d / m;
        gt[j] -= d / m;
      }
    }
    const fast = pairwiseLossAndGradient({ kind: 'tanh', beta }, s, t);
    expect(contractError(fast.value, value / m, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.positiveGradient, gs, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.negativeGradient, gt, REL, ABS)).toBeLessThanOrEqual(1);
  });

  it.each([0.5, 1, 5, 40, 400])('at β = %f equals the sigmoid at 2β (values and gradients, fast and direct)', (beta) => {
    const s = uniformScores(rng, 15);
    const t = uniformScores(rng, 26);
    const tanhFast = pairwiseLossAndGradient({ kind: 'tanh', beta }, s, t);
    const tanhDirect = pairwiseLossDirect({ kind: 'tanh', beta }, s, t);
    const sigmoidFast = pairwiseLossAndGradient({ kind: 'sigmoid', beta: 2 * beta }, s, t);
    const sigmoidDirect = pairwiseLossDirect({ kind: 'sigmoid', beta: 2 * beta }, s, t);
    for (const [a, b] of [
      [tanhDirect, sigmoidFast],
      [tanhFast, sigmoidDirect],
    ]) {
      expect(contractError(a.value, b.value, REL, ABS)).toBeLessThanOrEqual(1);
      expect(contractError(a.positiveGradient, b.positiveGradient, REL, ABS)).toBeLessThanOrEqual(1);
      expect(contractError(a.negativeGradient, b.negativeGradient, REL, ABS)).toBeLessThanOrEqual(1);
    }
  });

  it('the tanh kernel is its own code: it reports 1 − T², four times the sigmoid kernel’s σ(1 − σ)', () => {
    const s = uniformScores(rng, 5);
    const t = uniformScores(rng, 6);
    const a = new Float64Array(5);
    const b = new Float64Array(6);
    pairFactors(2, s, t, a, b);
    const rows = new Float64Array(5);
    const cols = new Float64Array(6);
    tanhPairsFirstOrder(a, b, 0, 5, rows, cols);
    const direct = pairwiseDirectUnchecked(resolvePairwiseLoss({ kind: 'tanh', beta: 1 }).definition, { beta: 1, margin: NaN }, s, t, false);
    // ∂L/∂s_i = −(β/2)·(1/M)·Σ_j (1 − T²)
    const expected = direct.positiveGradient.map((g) => (g * -2 * 30) / 1);
    expect(contractError(rows, expected, REL, ABS)).toBeLessThanOrEqual(1);
  });
});

describe('numerical safety of pairwise losses', () => {
  const rng = createRng(0x5afe);

  it.each([
    { kind: 'sigmoid', beta: 1e4 },
    { kind: 'tanh', beta: 1e4 },
    { kind: 'hinge', margin: 1e-3 },
    { kind: 'quad', margin: 1e3 },
  ] as const)('$kind stays finite at extreme parameters, also on tied and saturated scores', (loss) => {
    for (const [s, t] of [
      [uniformScores(rng, 33), uniformScores(rng, 31)],
      [new Float64Array(8).fill(0), new Float64Array(9).fill(1)],
      [new Float64Array(8).fill(1), new Float64Array(9).fill(0)],
      [new Float64Array(8).fill(0.5), new Float64Array(9).fill(0.5)],
    ]) {
      const r = pairwiseLossAndGradient(loss, s, t);
      const all = [r.value, ...r.positiveGradient, ...r.negativeGradient];
      expect(all.every(Number.isFinite)).toBe(true);
      expect(r.warnings).toEqual([]);
    }
  });

  it('sigmoid at β = 1e4 still equals the direct sum', () => {
    const s = uniformScores(rng, 17);
    const t = uniformScores(rng, 12);
    const fast = pairwiseLossAndGradient({ kind: 'sigmoid', beta: 1e4 }, s, t);
    const direct = pairwiseLossDirect({ kind: 'sigmoid', beta: 1e4 }, s, t);
    expect(contractError(fast.value, direct.value, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(fast.positiveGradient, direct.positiveGradient, REL, ABS)).toBeLessThanOrEqual(1);
  });

  it('exponential returns Infinity (never NaN) with a warning where the value exceeds float64', () => {
    const s = new Float64Array([0, 0.001, 0.5]);
    const t = new Float64Array([1, 0.999]);
    const r = pairwiseLossAndGradient({ kind: 'exp', beta: 2000 }, s, t);
    expect(r.value).toBe(Infinity);
    expect([...r.positiveGradient, ...r.negativeGradient].some(Number.isNaN)).toBe(false);
    expect(r.positiveGradient[0]).toBe(-Infinity);
    expect(r.negativeGradient[0]).toBe(Infinity);
    // The pair (0.5, ·) is only e^(1000) large: still Infinity, never 0 or NaN.
    expect(r.positiveGradient[2]).toBe(-Infinity);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ code: 'ERR_OVERFLOW' });
    expect(r.warnings[0].message).toMatch(/^The exp loss value exceeds float64 \(ln \|value\| ≈ 199\d\.\d > 709\.8\): returned Infinity$/);
  });

  it('exponential just below overflow is finite and equals the direct sum', () => {
    const s = new Float64Array([0.001, 0.002]);
    const t = new Float64Array([0.999, 1]);
    // value ≈ e^(698.6), gradient ≈ e^(704.5): both finite, above the internal rescaling threshold.
    const r = pairwiseLossAndGradient({ kind: 'exp', beta: 700 }, s, t);
    const d = pairwiseLossDirect({ kind: 'exp', beta: 700 }, s, t);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(contractError(r.value, d.value, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(r.positiveGradient, d.positiveGradient, REL, ABS)).toBeLessThanOrEqual(1);
    expect(contractError(r.negativeGradient, d.negativeGradient, REL, ABS)).toBeLessThanOrEqual(1);
    expect(r.warnings).toEqual([]);
  });
});

describe('pairwiseLossAndGradient validation', () => {
  const s = new Float64Array([0.2, 0.7]);
  const t = new Float64Array([0.1]);

  it.each([
    [() => pairwiseLossAndGradient({ kind: 'sigmoid' }, s, new Float64Array(0)), 'ERR_SINGLE_CLASS', /^Expected at least one score \(a pairwise loss needs both classes\) for negativeScores but received Float64Array\(0\)/],
    [() => pairwiseLossAndGradient({ kind: 'sigmoid' }, new Float64Array([NaN]), t), 'ERR_NOT_FINITE', /^Expected finite values for positiveScores but received NaN at index 0/],
    [() => pairwiseLossAndGradient({ kind: 'ce' } as never, s, t), 'ERR_INVALID_ARGUMENT', /^Expected one of 'sigmoid', 'tanh', 'hinge', 'exp', 'quad' for loss.kind but received 'ce'/],
    [() => pairwiseLossAndGradient({ kind: 'hinge', beta: 3 } as never, s, t), 'ERR_INVALID_ARGUMENT', /^Expected no beta for loss 'hinge' \(it takes margin\) for loss.beta but received 3 of type number/],
  ])('%#: throws %s', (fn, code, message) => {
    let caught: unknown;
    try {
      fn();
    } catch (err) {
      caught = err;
    }
    expect(isLandscapeError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe(code);
    expect((caught as Error).message).toMatch(message);
  });

  it('β ≤ 0 and margin ≤ 0 are RangeErrors, NaN β a TypeError, a plain array a TypeError', () => {
    expect(() => pairwiseLossAndGradient({ kind: 'sigmoid', beta: 0 }, s, t)).toThrow(RangeError);
    expect(() => pairwiseLossAndGradient({ kind: 'sigmoid', beta: -2 }, s, t)).toThrow(/^Expected positive finite number for loss.beta but received -2 of type number/);
    expect(() => pairwiseLossAndGradient({ kind: 'quad', margin: 0 }, s, t)).toThrow(/^Expected positive finite number for loss.margin but received 0 of type number/);
    expect(() => pairwiseLossAndGradient({ kind: 'exp', beta: NaN }, s, t)).toThrow(TypeError);
    expect(() => pairwiseLossAndGradient({ kind: 'exp' }, [0.1] as never, t)).toThrow(/^Expected Float64Array for positiveScores but received Array\(1\)/);
  });
});

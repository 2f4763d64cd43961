// SPDX-License-Identifier: MIT
// The loss potential: analytic derivatives against central differences for every loss, the
// Hessian-vector product against H·v, softmax's H+1 flat directions, numerical safety, and
// validation at the edge.
import { TOL, asymmetry, checkGradient, checkHessian, createRng, isLandscapeError, matVec, maxAbs, maxAbsDiff } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { predictScores } from './forward.js';
import type { LossSpec, LossWarning } from './losses/types.js';
import { randomWeights, weightCount, weightLayout, type ModelSpec } from './model.js';
import { pairwiseLossAndGradient } from './pairwise.js';
import { createLossPotential } from './potential.js';
import { softmaxFlatDirections } from './flat-directions.js';
import { LOSS_CASES, contractError, lossName, randomDataset, randomVector } from './test-utils/problems.js';

const L2 = 1e-5;

/** Several sizes, C = 2 and 3, and a positive class other than 1. */
const NETWORKS: readonly { model: ModelSpec; count: number; positiveClass: number }[] = [
  { model: { inputs: 2, hidden: 3, classes: 2 }, count: 24, positiveClass: 1 },
  { model: { inputs: 3, hidden: 4, classes: 3 }, count: 36, positiveClass: 1 },
  { model: { inputs: 4, hidden: 6, classes: 2 }, count: 40, positiveClass: 0 },
  { model: { inputs: 2, hidden: 5, classes: 3 }, count: 30, positiveClass: 2 },
];

const CASES = LOSS_CASES.flatMap((loss) => NETWORKS.map((net) => ({ name: `${lossName(loss)} on ${net.model.inputs}-${net.model.hidden}-${net.model.classes} (positive class ${net.positiveClass})`, loss, ...net })));

function setup(loss: LossSpec, model: ModelSpec, count: number, positiveClass: number, seed: number) {
  const rng = createRng(seed);
  const data = randomDataset(rng, model, count);
  const potential = createLossPotential({ model, data, loss: { ...loss, positiveClass }, l2: L2 });
  const w = randomWeights(model, rng, { scale: 1 });
  return { rng, data, potential, w };
}

describe.each(CASES)('$name', ({ loss, model, count, positiveClass }) => {
  const { rng, data, potential, w } = setup(loss, model, count, positiveClass, 0xc0ffee + count);

  it('gradient matches central differences (max-norm ≤ 1e-6 × max-norm of reference)', () => {
    expect(checkGradient(potential, w).relativeError).toBeLessThanOrEqual(TOL.F64_FD_DERIVATIVE);
  });

  it('Hessian matches central differences of the gradient, and is symmetric', () => {
    const check = checkHessian(potential, w);
    expect(check.relativeError).toBeLessThanOrEqual(TOL.F64_FD_DERIVATIVE);
    expect(asymmetry(check.analytic, potential.dimension)).toBe(0);
  });

  it('Hessian-vector product (R-operator, independent code) equals H·v', () => {
    const h = potential.hessian(w);
    for (let trial = 0; trial < 3; trial++) {
      const v = randomVector(rng, potential.dimension);
      const out = new Float64Array(potential.dimension);
      potential.hessianVectorProduct(w, v, out);
      expect(maxAbsDiff(out, matVec(h, potential.dimension, v))).toBeLessThanOrEqual(TOL.F64 * maxAbs(h) * potential.dimension);
    }
  });

  it('the H+1 flat directions of softmax satisfy H·u = 2λ·u to rounding', () => {
    const h = potential.hessian(w);
    const flat = softmaxFlatDirections(model);
    expect(flat).toHaveLength(model.hidden + 1);
    const scale = TOL.F64 * maxAbs(h);
    for (const u of flat) {
      const hu = matVec(h, potential.dimension, u);
      const hv = new Float64Array(potential.dimension);
      potential.hessianVectorProduct(w, u, hv);
      const expected = u.map((x) => 2 * L2 * x);
      expect(maxAbsDiff(hu, expected)).toBeLessThanOrEqual(scale);
      expect(maxAbsDiff(hv, expected)).toBeLessThanOrEqual(scale);
    }
  });

  it('energy = dataLoss + λ‖w‖², and energyGradient returns the same energy', () => {
    const g = new Float64Array(potential.dimension);
    const e = potential.energyGradient(w, g);
    expect(e).toBe(potential.energy(w));
    const sq = w.reduce((s, x) => s + x * x, 0);
    expect(contractError(potential.dataLoss(w) + L2 * sq, e, TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
    if (loss.kind !== 'ce') {
      // The pairwise data loss is the score-level loss of the predicted positive-class probabilities.
      const scores = predictScores(model, w, data.features, positiveClass);
      const pos = scores.filter((_, d) => data.labels[d] === positiveClass);
      const neg = scores.filter((_, d) => data.labels[d] !== positiveClass);
      const r = pairwiseLossAndGradient({ kind: loss.kind, beta: loss.beta, margin: loss.margin }, pos, neg);
      expect(contractError(potential.dataLoss(w), r.value, TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
    }
  });
});

describe('tanh(β) = sigmoid(2β) through the whole network', () => {
  it.each([0.5, 1, 20])('β = %f: energies and weight gradients agree to rounding', (beta) => {
    const model = { inputs: 3, hidden: 4, classes: 3 };
    const rng = createRng(0x7a);
    const data = randomDataset(rng, model, 30);
    const w = randomWeights(model, rng, { scale: 1 });
    const tanh = createLossPotential({ model, data, loss: { kind: 'tanh', beta, positiveClass: 2 } });
    const sigmoid = createLossPotential({ model, data, loss: { kind: 'sigmoid', beta: 2 * beta, positiveClass: 2 } });
    const gt = new Float64Array(tanh.dimension);
    const gs = new Float64Array(tanh.dimension);
    expect(contractError(tanh.energyGradient(w, gt), sigmoid.energyGradient(w, gs), TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
    expect(contractError(gt, gs, TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
  });
});

describe('cross-entropy value', () => {
  it('equals −(1/N) Σ ln p_c written out by hand', () => {
    const model = { inputs: 2, hidden: 3, classes: 3 };
    const { data, potential, w } = setup({ kind: 'ce' }, model, 20, 1, 5);
    let sum = 0;
    for (let c = 0; c < 3; c++) {
      const p = predictScores(model, w, data.features, c);
      for (let d = 0; d < 20; d++) if (data.labels[d] === c) sum -= Math.log(p[d]);
    }
    expect(contractError(potential.dataLoss(w), sum / 20, TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
  });
});

describe('numerical safety', () => {
  const model = { inputs: 3, hidden: 4, classes: 2 };

  function allFinite(loss: LossSpec, features: Float64Array, labels: Int32Array, w: Float64Array): void {
    const potential = createLossPotential({ model, data: { features, labels }, loss });
    const g = new Float64Array(potential.dimension);
    const e = potential.energyGradient(w, g);
    const h = potential.hessian(w);
    const hv = new Float64Array(potential.dimension);
    potential.hessianVectorProduct(w, g, hv);
    expect(Number.isFinite(e)).toBe(true);
    expect(g.every(Number.isFinite)).toBe(true);
    expect(h.every(Number.isFinite)).toBe(true);
    expect(hv.every(Number.isFinite)).toBe(true);
  }

  const BOUNDED: readonly LossSpec[] = [
    { kind: 'ce' },
    { kind: 'sigmoid', beta: 1e4 },
    { kind: 'tanh', beta: 1e4 },
    { kind: 'sigmoid' },
    { kind: 'hinge', margin: 0.1 },
    { kind: 'quad' },
  ];

  it.each(BOUNDED.map((loss) => ({ loss, name: lossName(loss) })))('$name: finite energy, gradient and Hessian on a saturated softmax', ({ loss }) => {
    const rng = createRng(21);
    const data = randomDataset(rng, model, 30);
    const w = randomWeights(model, rng, { scale: 2 });
    // Output weights × 1000: logit gaps of order ±1000, far beyond exp's range (±745).
    const layout = weightLayout(model);
    for (let a = layout.w2; a < layout.count; a++) w[a] *= 1000;
    // The setup must really saturate: some probabilities exactly 0 and exactly 1.
    const p = predictScores(model, w, data.features);
    expect(p.some((x) => x === 0) && p.some((x) => x === 1)).toBe(true);
    allFinite(loss, data.features, data.labels, w);
  });

  it.each(BOUNDED.map((loss) => ({ loss, name: lossName(loss) })))('$name: finite on constant features and at large β with random weights', ({ loss }) => {
    const rng = createRng(22);
    const data = randomDataset(rng, model, 25);
    allFinite(loss, new Float64Array(data.features.length).fill(0.7), data.labels, randomWeights(model, rng, { scale: 2 }));
    allFinite(loss, data.features, data.labels, randomWeights(model, rng, { scale: 3 }));
  });

  it('exponential: Infinity (never NaN) with a visible warning where the loss exceeds float64', () => {
    // One input, one hidden unit: positives at x = +1 get p ≈ e^(−152), negatives p ≈ 1.
    const m1 = { inputs: 1, hidden: 1, classes: 2 };
    const features = new Float64Array([1, 1, -1, -1]);
    const labels = new Int32Array([1, 1, 0, 0]);
    const w = new Float64Array([1, 0, 100, -100, 0, 0]); // W1, b1, W2 (class 0, class 1), b2
    const warnings: LossWarning[] = [];
    const potential = createLossPotential({ model: m1, data: { features, labels }, loss: { kind: 'exp', beta: 1000 }, onWarning: (x) => warnings.push(x) });
    const g = new Float64Array(potential.dimension);
    expect(potential.energyGradient(w, g)).toBe(Infinity);
    expect(g.some(Number.isNaN)).toBe(false);
    expect(g.some((x) => !Number.isFinite(x))).toBe(true);
    const h = potential.hessian(w);
    expect(h.some(Number.isNaN)).toBe(false);
    const hv = new Float64Array(potential.dimension);
    potential.hessianVectorProduct(w, new Float64Array(potential.dimension).fill(1), hv);
    expect(hv.some(Number.isNaN)).toBe(false);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings[0]).toMatchObject({ code: 'ERR_OVERFLOW' });
    expect(warnings[0].message).toMatch(/^The exp loss value exceeds float64/);
    // At β = 1 the same point is finite and silent.
    const quiet: LossWarning[] = [];
    const mild = createLossPotential({ model: m1, data: { features, labels }, loss: { kind: 'exp' }, onWarning: (x) => quiet.push(x) });
    expect(Number.isFinite(mild.energy(w))).toBe(true);
    expect(quiet).toEqual([]);
  });
});

describe('validation', () => {
  const model = { inputs: 2, hidden: 3, classes: 2 };
  const features = new Float64Array([0, 1, 1, 0, 0.5, 0.5, 1, 1]);
  const labels = new Int32Array([0, 1, 0, 1]);
  const data = { features, labels };
  const ok = { model, data, loss: { kind: 'sigmoid' as const } };

  function codeOf(fn: () => unknown): { code?: string; message: string; error: unknown } {
    try {
      fn();
    } catch (error) {
      return { code: isLandscapeError(error) ? error.code : undefined, message: (error as Error).message, error };
    }
    throw new Error('expected a throw');
  }

  it('dimension mismatch of weights and gradient buffers', () => {
    const p = createLossPotential(ok);
    expect(p.dimension).toBe(weightCount(model));
    const r = codeOf(() => p.energy(new Float64Array(p.dimension - 1)));
    expect(r.code).toBe('ERR_DIMENSION_MISMATCH');
    expect(r.message).toMatch(/^Expected Float64Array of length 17 for x but received Float64Array\(16\)/);
    expect(codeOf(() => p.energyGradient(new Float64Array(17), new Float64Array(3))).message).toMatch(/^Expected Float64Array of length 17 for gradientOut/);
  });

  it('NaN in weights or data', () => {
    const p = createLossPotential(ok);
    const w = new Float64Array(17);
    w[4] = NaN;
    expect(codeOf(() => p.energy(w))).toMatchObject({ code: 'ERR_NOT_FINITE', message: expect.stringMatching(/^Expected finite values for x but received NaN at index 4/) });
    const bad = Float64Array.from(features);
    bad[3] = NaN;
    expect(codeOf(() => createLossPotential({ ...ok, data: { features: bad, labels } }))).toMatchObject({
      code: 'ERR_NOT_FINITE',
      message: expect.stringMatching(/^Expected finite values for data\.features but received NaN at row 1, column 1/),
    });
  });

  it('labels outside 0..C−1, labels of the wrong length or type', () => {
    expect(codeOf(() => createLossPotential({ ...ok, data: { features, labels: new Int32Array([0, 1, 2, 1]) } }))).toMatchObject({
      code: 'ERR_LABEL_RANGE',
      message: expect.stringMatching(/^Expected integer label between 0 and 1 for data\.labels\[2\] but received 2/),
    });
    expect(codeOf(() => createLossPotential({ ...ok, data: { features, labels: new Int32Array([0, 1]) } })).code).toBe('ERR_DIMENSION_MISMATCH');
    expect(codeOf(() => createLossPotential({ ...ok, data: { features, labels: [0, 1, 0, 1] as never } })).error).toBeInstanceOf(TypeError);
  });

  it('features whose length is not a multiple of inputs', () => {
    expect(codeOf(() => createLossPotential({ ...ok, data: { features: new Float64Array(7), labels } }))).toMatchObject({
      code: 'ERR_DIMENSION_MISMATCH',
      message: expect.stringMatching(/^Expected a length that is a multiple of inputs = 2 for data\.features/),
    });
  });

  it('positiveClass out of range, and a pairwise loss with a single class', () => {
    expect(codeOf(() => createLossPotential({ ...ok, loss: { kind: 'sigmoid', positiveClass: 2 } })).message).toMatch(
      /^Expected integer between 0 and 1 for loss\.positiveClass but received 2 of type number/,
    );
    expect(codeOf(() => createLossPotential({ ...ok, data: { features, labels: new Int32Array([1, 1, 1, 1]) } }))).toMatchObject({
      code: 'ERR_SINGLE_CLASS',
      message: expect.stringMatching(/^Expected at least one positive \(label 1\) and one negative example for loss 'sigmoid' but received 4 positives and 0 negatives/),
    });
    // Cross-entropy needs no second class.
    expect(() => createLossPotential({ ...ok, loss: { kind: 'ce' }, data: { features, labels: new Int32Array([1, 1, 1, 1]) } })).not.toThrow();
  });

  it('β ≤ 0, margin ≤ 0, unknown kinds, parameters a loss does not take, bad models and λ', () => {
    expect(codeOf(() => createLossPotential({ ...ok, loss: { kind: 'sigmoid', beta: 0 } })).error).toBeInstanceOf(RangeError);
    expect(codeOf(() => createLossPotential({ ...ok, loss: { kind: 'exp', beta: -1 } })).message).toMatch(/^Expected positive finite number for loss\.beta but received -1/);
    expect(codeOf(() => createLossPotential({ ...ok, loss: { kind: 'hinge', margin: 0 } })).message).toMatch(/^Expected positive finite number for loss\.margin but received 0/);
    expect(codeOf(() => createLossPotential({ ...ok, loss: { kind: 'logistic' } as never }))).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message: expect.stringMatching(/^Expected one of 'ce', 'sigmoid', 'tanh', 'hinge', 'exp', 'quad' for loss\.kind but received 'logistic'/),
    });
    expect(codeOf(() => createLossPotential({ ...ok, loss: { kind: 'ce', beta: 2 } })).message).toMatch(/^Expected no beta for loss 'ce' \(it takes no parameters\)/);
    expect(codeOf(() => createLossPotential({ ...ok, model: { inputs: 2, hidden: 3, classes: 1 } })).message).toMatch(/^Expected integer between 2 and 65536 for model\.classes but received 1/);
    expect(codeOf(() => createLossPotential({ ...ok, l2: -1 })).message).toMatch(/^Expected non-negative finite number for l2 but received -1/);
  });
});

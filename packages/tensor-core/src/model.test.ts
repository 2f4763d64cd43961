// SPDX-License-Identifier: MIT
import { TOL, createRng } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { forward, predictScores } from './forward.js';
import { randomWeights, weightCount, weightLayout } from './model.js';
import { contractError, randomDataset } from './test-utils/problems.js';

describe('weight layout', () => {
  it('is [W1 (H×I), b1, W2 (C×H), b2] with H(I+1) + C(H+1) weights', () => {
    expect(weightCount({ inputs: 2, hidden: 10, classes: 2 })).toBe(52);
    expect(weightCount({ inputs: 30, hidden: 10, classes: 2 })).toBe(332);
    expect(weightLayout({ inputs: 2, hidden: 10, classes: 2 })).toEqual({ inputs: 2, hidden: 10, classes: 2, w1: 0, b1: 20, w2: 30, b2: 50, count: 52 });
  });

  it('random weights are reproducible from the rng, Glorot-bounded, with zero biases by default', () => {
    const model = { inputs: 3, hidden: 5, classes: 2 };
    const a = randomWeights(model, createRng(9));
    expect(randomWeights(model, createRng(9))).toEqual(a);
    const L = weightLayout(model);
    expect(a.subarray(L.b1, L.w2).every((x) => x === 0)).toBe(true);
    expect(a.subarray(L.b2).every((x) => x === 0)).toBe(true);
    expect(a.subarray(0, L.b1).every((x) => Math.abs(x) <= Math.sqrt(6 / 8))).toBe(true);
    const scaled = randomWeights(model, createRng(9), { scale: 0.1 });
    expect(scaled.every((x) => Math.abs(x) <= 0.1) && scaled.some((x) => x !== 0)).toBe(true);
  });
});

describe('forward', () => {
  it('matches the network written out by hand, with softmax rows summing to 1', () => {
    const rng = createRng(3);
    const model = { inputs: 2, hidden: 3, classes: 3 };
    const w = randomWeights(model, rng, { scale: 1 });
    const { features } = randomDataset(rng, model, 6);
    const f = forward(model, w, features);
    for (let d = 0; d < 6; d++) {
      const h = [0, 1, 2].map((j) => Math.tanh(w[j * 2] * features[d * 2] + w[j * 2 + 1] * features[d * 2 + 1] + w[6 + j]));
      const y = [0, 1, 2].map((k) => w[9 + k * 3] * h[0] + w[10 + k * 3] * h[1] + w[11 + k * 3] * h[2] + w[18 + k]);
      const z = y.reduce((s, v) => s + Math.exp(v), 0);
      for (let k = 0; k < 3; k++) {
        expect(contractError(f.logits[d * 3 + k], y[k], TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
        expect(contractError(f.probabilities[d * 3 + k], Math.exp(y[k]) / z, TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
      }
      const row = f.probabilities.subarray(d * 3, d * 3 + 3);
      expect(Math.abs(row[0] + row[1] + row[2] - 1)).toBeLessThanOrEqual(TOL.F64);
    }
    expect(predictScores(model, w, features, 2)).toEqual(Float64Array.from({ length: 6 }, (_, d) => f.probabilities[d * 3 + 2]));
  });

  it('log-softmax stays finite where the softmax saturates to exactly 0 and 1', () => {
    const model = { inputs: 1, hidden: 1, classes: 2 };
    const w = new Float64Array([1, 0, 0, 2000, 0, 0]);
    const f = forward(model, w, new Float64Array([1]));
    expect(f.probabilities[0]).toBe(0);
    expect(f.probabilities[1]).toBe(1);
    expect(Number.isFinite(f.logProbabilities[0])).toBe(true);
    expect(f.logProbabilities[0]).toBeLessThan(-1000);
  });

  it('validates model, weights and features', () => {
    const model = { inputs: 2, hidden: 1, classes: 2 };
    expect(() => forward(model, new Float64Array(6), new Float64Array(4))).toThrow(/^Expected Float64Array of length 7 for weights/);
    expect(() => forward(model, new Float64Array(7), new Float64Array(3))).toThrow(/^Expected a length that is a multiple of inputs = 2 for features/);
    expect(() => forward({ inputs: 0, hidden: 1, classes: 2 }, new Float64Array(7), new Float64Array(4))).toThrow(RangeError);
    expect(() => predictScores(model, new Float64Array(7), new Float64Array(4), 2)).toThrow(/^Expected integer between 0 and 1 for positiveClass but received 2/);
  });
});

// SPDX-License-Identifier: MIT
import { TOL, createRng } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { auc } from './auc.js';
import { evaluateMinimum } from './evaluate.js';
import { predictScores } from './forward.js';
import { randomWeights } from './model.js';
import { createLossPotential } from './potential.js';
import { contractError, randomDataset } from './test-utils/problems.js';

describe('evaluateMinimum', () => {
  const rng = createRng(0xe7a1);
  const model = { inputs: 2, hidden: 4, classes: 2 };
  const train = randomDataset(rng, model, 40);
  const test = randomDataset(rng, model, 15);
  const w = randomWeights(model, rng, { scale: 1 });

  it('gives energy, data loss, CE with the same λ, and train/test AUC', () => {
    const r = evaluateMinimum({ model, data: train, test, loss: { kind: 'sigmoid' }, l2: 1e-3 }, w);
    const sigmoid = createLossPotential({ model, data: train, loss: { kind: 'sigmoid' }, l2: 1e-3 });
    const ce = createLossPotential({ model, data: train, loss: { kind: 'ce' }, l2: 1e-3 });
    expect(r.energy).toBe(sigmoid.energy(w));
    expect(contractError(r.dataLoss, sigmoid.dataLoss(w), TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
    expect(r.ceLoss).toBe(ce.energy(w));
    expect(r.trainAuc).toBe(auc(predictScores(model, w, train.features), train.labels));
    expect(r.testAuc).toBe(auc(predictScores(model, w, test.features), test.labels));
    expect(r.warnings).toEqual([]);
  });

  it('−dataLoss of the sigmoid loss (appAUC) tends to the training AUC as β grows (σ(0) = ½ matches ties ½)', () => {
    const beta = 1e6;
    const r = evaluateMinimum({ model, data: train, loss: { kind: 'sigmoid', beta } }, w);
    // Pairs with |βz| > 37 are saturated exactly in float64; only the others can differ, by < ½ each.
    const scores = predictScores(model, w, train.features);
    let open = 0;
    let pairs = 0;
    for (let i = 0; i < scores.length; i++) {
      for (let j = 0; j < scores.length; j++) {
        if (train.labels[i] !== 1 || train.labels[j] === 1) continue;
        pairs++;
        if (Math.abs(beta * (scores[i] - scores[j])) <= 37) open++;
      }
    }
    expect(Math.abs(-r.dataLoss - r.trainAuc)).toBeLessThanOrEqual((0.5 * open) / pairs + TOL.F64);
  });

  it('for a CE run, ceLoss is the energy, and testAuc is absent without test data', () => {
    const r = evaluateMinimum({ model, data: train, loss: { kind: 'ce' } }, w);
    expect(r.ceLoss).toBe(r.energy);
    expect('testAuc' in r).toBe(false);
  });

  it('validates the test split like the training data', () => {
    const bad = { features: test.features, labels: new Int32Array(test.labels.length).fill(5) };
    expect(() => evaluateMinimum({ model, data: train, test: bad, loss: { kind: 'ce' } }, w)).toThrow(/^Expected integer label between 0 and 1 for test\.labels\[0\] but received 5/);
  });
});

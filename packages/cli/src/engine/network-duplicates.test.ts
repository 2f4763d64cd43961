// SPDX-License-Identifier: MIT
// Issue 6's symmetry test on the real network landscape: the sampler's duplicate detection, fed
// with tensor-core's comparator, stores a minimum and its permuted, sign-flipped copy once, and
// keeps apart two different minima.
import { describe, expect, it } from 'vitest';
import { createRng } from '@lossscape/numeric';
import { createMemoryStore } from '@lossscape/landscape';
import { duplicateTest, lbfgs } from '@lossscape/sampler';
import { generateSpirals } from '@lossscape/data';
import { createLossPotential, permuteHiddenUnits, randomWeights } from '@lossscape/tensor-core';

const model = { inputs: 2, hidden: 4, classes: 2 };
const spirals = generateSpirals({ pointsPerSpiral: 25, noise: 0.1, seed: 3 });
const potential = createLossPotential({ model, data: { features: spirals.features, labels: spirals.labels }, loss: { kind: 'sigmoid' }, l2: 1e-5 });
const test = duplicateTest(potential, { energyTolerance: 1e-9, useSymmetry: true });

function quench(seed: number) {
  const r = lbfgs(potential, randomWeights(model, createRng(seed)), { memory: 30, maxIterations: 100_000 });
  expect(r.converged).toBe(true);
  return r;
}

describe('network minima in the sampler store', () => {
  it('a permuted, sign-flipped copy of a minimum is the same minimum', async () => {
    const store = createMemoryStore();
    const m = quench(1);
    const copy = permuteHiddenUnits(model, m.x, [2, 0, 3, 1], [-1, 1, -1, 1]);
    expect(Math.abs(potential.energy(copy) - m.energy)).toBeLessThanOrEqual(1e-12 * Math.abs(m.energy));
    const first = await store.addMinimum({ energy: m.energy, coordinates: m.x, rmsGradient: m.rmsGradient, step: 0, chain: 0 }, test);
    const again = await store.addMinimum({ energy: potential.energy(copy), coordinates: copy, rmsGradient: m.rmsGradient, step: 1, chain: 0 }, test);
    expect(first.isNew).toBe(true);
    expect(again.isNew).toBe(false);
    expect(again.minimum.id).toBe(first.minimum.id);
    expect(again.minimum.hits).toBe(2);
  });

  it('energy alone would merge what the comparator keeps apart', async () => {
    const a = quench(1);
    const b = quench(2);
    expect(potential.sameMinimum(a.x, b.x)).toBe(false);
    // Two distinct minima offered with the same energy (as near-degenerate minima can be):
    const store = createMemoryStore();
    await store.addMinimum({ energy: a.energy, coordinates: a.x, rmsGradient: a.rmsGradient, step: 0, chain: 0 }, test);
    const second = await store.addMinimum({ energy: a.energy, coordinates: b.x, rmsGradient: b.rmsGradient, step: 1, chain: 0 }, test);
    expect(second.isNew).toBe(true);
    const energyOnly = createMemoryStore();
    await energyOnly.addMinimum({ energy: a.energy, coordinates: a.x, rmsGradient: a.rmsGradient, step: 0, chain: 0 }, { energyTolerance: 1e-9 });
    expect((await energyOnly.addMinimum({ energy: a.energy, coordinates: b.x, rmsGradient: b.rmsGradient, step: 1, chain: 0 }, { energyTolerance: 1e-9 })).isNew).toBe(false);
  });
});

// SPDX-License-Identifier: MIT
import { TOL, createRng, type Rng } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { minimumCostAssignment } from './hungarian.js';
import { randomWeights } from './model.js';
import { createLossPotential } from './potential.js';
import { alignWeights, permuteHiddenUnits } from './symmetry.js';
import { LOSS_CASES, contractError, lossName, randomDataset } from './test-utils/problems.js';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

function randomPermutation(rng: Rng, n: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

describe('minimumCostAssignment (Hungarian)', () => {
  it('finds the optimum of every permutation for n ≤ 6, including tied costs', () => {
    const rng = createRng(0x4a);
    for (let n = 1; n <= 6; n++) {
      for (let trial = 0; trial < 8; trial++) {
        const cost = Float64Array.from({ length: n * n }, () => (trial % 2 ? rng.int(3) : rng.uniformIn(-1, 5)));
        const best = Math.min(...permutations(n).map((p) => p.reduce((s, c, r) => s + cost[r * n + c], 0)));
        const assignment = minimumCostAssignment(cost, n);
        expect([...assignment].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        const total = [...assignment].reduce((s, c, r) => s + cost[r * n + c], 0);
        expect(contractError(total, best, TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('symmetry alignment', () => {
  const model = { inputs: 3, hidden: 7, classes: 3 };
  const rng = createRng(0x5e7);
  const data = randomDataset(rng, model, 40);

  it.each(LOSS_CASES.map((loss) => ({ loss, name: lossName(loss) })))(
    '$name: a permuted, sign-flipped copy has the same energy and is the same minimum',
    ({ loss }) => {
      const potential = createLossPotential({ model, data, loss });
      const a = randomWeights(model, rng, { scale: 1 });
      const signs = Int8Array.from({ length: model.hidden }, () => (rng.uniform() < 0.5 ? -1 : 1));
      const b = permuteHiddenUnits(model, a, randomPermutation(rng, model.hidden), signs);
      expect(b).not.toEqual(a);
      // Same function, summed in another order: equal to rounding.
      expect(contractError(potential.energy(b), potential.energy(a), TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
      expect(potential.sameMinimum(a, b)).toBe(true);
      expect(potential.alignedDistance(a, b)).toBe(0);
      expect(potential.align(a, b)).toEqual(a);
    },
  );

  it('different points are not the same minimum; small perturbations below the tolerance are', () => {
    const potential = createLossPotential({ model, data, loss: { kind: 'sigmoid' } });
    const a = randomWeights(model, rng, { scale: 1 });
    const other = randomWeights(model, rng, { scale: 1 });
    expect(potential.sameMinimum(a, other)).toBe(false);
    expect(potential.alignedDistance(a, other)).toBeGreaterThan(TOL.DUPLICATE_DISTANCE);
    const shifted = Float64Array.from(a, (x, i) => (i === 0 ? x + 1e-2 : x));
    expect(potential.sameMinimum(a, shifted)).toBe(false);
    const nudged = permuteHiddenUnits(model, Float64Array.from(a, (x) => x + 1e-5), randomPermutation(rng, model.hidden), new Int8Array(model.hidden).fill(-1));
    expect(potential.sameMinimum(a, nudged)).toBe(true);
    // Aligned back, the copy is a + 1e-5 in every coordinate: distance 1e-5·√W up to rounding of |a| ≤ 1.
    const w = potential.dimension;
    expect(Math.abs(potential.alignedDistance(a, nudged) - 1e-5 * Math.sqrt(w))).toBeLessThanOrEqual(TOL.F64 * Math.sqrt(w));
  });

  it('the tolerance is configurable, and alignment never increases the plain distance', () => {
    const a = randomWeights(model, rng, { scale: 1 });
    const b = Float64Array.from(a, (x) => x + 0.01);
    const strict = createLossPotential({ model, data, loss: { kind: 'ce' }, duplicateDistance: 1e-6 });
    const loose = createLossPotential({ model, data, loss: { kind: 'ce' }, duplicateDistance: 1 });
    expect(strict.sameMinimum(a, b)).toBe(false);
    expect(loose.sameMinimum(a, b)).toBe(true);
    for (let trial = 0; trial < 10; trial++) {
      const x = randomWeights(model, rng, { scale: 1 });
      const y = randomWeights(model, rng, { scale: 1 });
      const r = alignWeights(model, x, y);
      const plain = Math.hypot(...x.map((v, i) => v - y[i]));
      expect(r.distance).toBeLessThanOrEqual(plain * (1 + TOL.F64));
      // The aligned copy is the same network as y.
      expect(contractError(strict.energy(r.aligned), strict.energy(y), TOL.F64, TOL.F64_ABS_FLOOR)).toBeLessThanOrEqual(1);
    }
  });

  it('alignment recovers the exact permutation and signs it was given', () => {
    const a = randomWeights(model, rng, { scale: 1 });
    const perm = randomPermutation(rng, model.hidden);
    const signs = Int8Array.from({ length: model.hidden }, (_, h) => (h % 2 ? -1 : 1));
    const b = permuteHiddenUnits(model, a, perm, signs);
    const r = alignWeights(model, a, b);
    // Unit perm[h] of a is unit h of b, times signs[h]: so unit h of a is unit perm⁻¹(h) of b.
    for (let h = 0; h < model.hidden; h++) {
      const g = perm.indexOf(h);
      expect(r.permutation[h]).toBe(g);
      expect(r.signs[h]).toBe(signs[g]);
    }
  });

  it('rejects a bad permutation', () => {
    const a = randomWeights(model, rng);
    expect(() => permuteHiddenUnits(model, a, [0, 0, 1, 2, 3, 4, 5], new Int8Array(7).fill(1))).toThrow(/^Expected a permutation of 0\.\.6 for permutation but received 0 at index 1/);
  });
});

// SPDX-License-Identifier: MIT
import { createRng, LandscapeError } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { classCounts, type LabelledSet } from './labelled-set.js';
import { applySplit, stratifiedSplit, type SplitRecord } from './split.js';

/** n rows; class k has counts[k] rows, shuffled; feature = row index (to trace rows). */
function setWith(counts: readonly number[], seed = 1): LabelledSet {
  const labels: number[] = counts.flatMap((c, k) => new Array<number>(c).fill(k));
  const rng = createRng(seed);
  for (let i = labels.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
  const n = labels.length;
  return { features: Float64Array.from({ length: n }, (_, i) => i), labels: Int32Array.from(labels), rows: n, featureCount: 1, classes: counts.length };
}

describe('stratifiedSplit', () => {
  it('partitions the rows: disjoint, complete, ascending', () => {
    const set = setWith([97, 97]);
    const s = stratifiedSplit(set);
    const all = [...s.train, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: set.rows }, (_, i) => i));
    for (const part of [s.train, s.test]) expect(part.every((v, k) => k === 0 || part[k - 1] < v)).toBe(true);
    expect(s).toMatchObject({ kind: 'stratified-split', version: 1, testFraction: 0.2, seed: 1, rows: 194 });
  });

  it('splits each class in proportion: floor or ceil of f·n_c per class, round(f·N) in all', () => {
    for (const [counts, f] of [[[97, 97], 0.2], [[4428, 473], 0.2], [[10, 30, 7], 0.25], [[50, 50], 0.5], [[3, 1000], 0.1]] as const) {
      const set = setWith(counts);
      const s = stratifiedSplit(set, { testFraction: f, seed: 5 });
      const testCounts = classCounts(Int32Array.from(s.test, (i) => set.labels[i]), set.classes);
      counts.forEach((n, k) => {
        expect(testCounts[k]).toBeGreaterThanOrEqual(Math.max(1, Math.floor(f * n)));
        expect(testCounts[k]).toBeLessThanOrEqual(Math.min(n - 1, Math.ceil(f * n)));
      });
      // The total is round(f·N) unless a class needed its minimum of one test row.
      if (counts.every((n) => f * n >= 1)) expect(s.test.length).toBe(Math.round(f * set.rows));
      else expect(s.test.length).toBe(Math.round(f * set.rows) + 1);
    }
  });

  it('keeps at least one row of each class on each side', () => {
    const set = setWith([2, 3, 100]);
    const s = stratifiedSplit(set, { testFraction: 0.05 });
    const testCounts = classCounts(Int32Array.from(s.test, (i) => set.labels[i]), 3);
    const trainCounts = classCounts(Int32Array.from(s.train, (i) => set.labels[i]), 3);
    expect(testCounts.every((c) => c >= 1)).toBe(true);
    expect(trainCounts.every((c) => c >= 1)).toBe(true);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const set = setWith([60, 40]);
    expect(stratifiedSplit(set, { seed: 9 })).toEqual(stratifiedSplit(set, { seed: 9 }));
    expect(stratifiedSplit(set, { seed: 9 }).test).not.toEqual(stratifiedSplit(set, { seed: 10 }).test);
    const rng = createRng(9).stream(1);
    expect(stratifiedSplit(set, { rng })).toEqual({ ...stratifiedSplit(set, { seed: 9 }), seed: null });
  });

  it('puts every row in the test set about f of the time over many seeds', () => {
    const set = setWith([20, 20]);
    const hits = new Array<number>(set.rows).fill(0);
    const seeds = 400;
    for (let seed = 0; seed < seeds; seed++) for (const i of stratifiedSplit(set, { seed, testFraction: 0.25 }).test) hits[i]++;
    // Binomial(400, 0.25): sd ≈ 8.7; 45 is more than 5 sd from the mean of 100.
    for (const h of hits) expect(Math.abs(h - 100)).toBeLessThan(45);
  });

  it('round-trips through JSON: applySplit rebuilds the same sets', () => {
    const set = setWith([30, 12]);
    const split = stratifiedSplit(set, { seed: 3 });
    const saved = JSON.parse(JSON.stringify(split)) as SplitRecord;
    const a = applySplit(set, split);
    const b = applySplit(set, saved);
    expect(Array.from(b.train.features)).toEqual(Array.from(a.train.features));
    expect(Array.from(b.test.labels)).toEqual(Array.from(a.test.labels));
    expect(Array.from(a.test.features)).toEqual(split.test); // feature = row index
    expect(a.train.rows + a.test.rows).toBe(set.rows);
  });

  it('rejects bad fractions, tiny classes and tampered records', () => {
    const set = setWith([5, 5]);
    expect(() => stratifiedSplit(set, { testFraction: 0 })).toThrow(RangeError);
    expect(() => stratifiedSplit(set, { testFraction: 1 })).toThrow(/Expected number greater than 0 and less than 1 for testFraction but received 1/);
    expect(() => stratifiedSplit(set, { testFraction: Number.NaN })).toThrow(TypeError);
    expect(() => stratifiedSplit(setWith([5, 1]))).toThrow(/at least 2 rows in every class for a stratified split for class 1/);
    expect(() => stratifiedSplit({ ...setWith([5, 0]), classes: 2 })).toThrow(LandscapeError);
    const split = stratifiedSplit(set);
    expect(() => applySplit(setWith([5, 6]), split)).toThrow(/split of 11 rows/);
    expect(() => applySplit(set, { ...split, test: [...split.test, split.train[0]] })).toThrow(/distinct row indices/);
    expect(() => applySplit(set, { ...split, train: [99] })).toThrow(/distinct row indices in 0..9/);
    expect(() => applySplit(set, { ...split, kind: 'other' } as unknown as SplitRecord)).toThrow(TypeError);
  });
});

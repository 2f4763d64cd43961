// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng, distance, type Potential } from '@lossscape/numeric';
import type { MinimumRecord } from '@lossscape/landscape';
import { choosePairs } from './jobs.js';

const flat: Potential = { dimension: 2, energy: () => 0, energyGradient: () => 0 };
const minimum = (id: number, x: number[]): MinimumRecord => ({ id, energy: -id, coordinates: Float64Array.from(x), rmsGradient: 0, hits: 1, firstStep: 0, chain: 0, properties: {} });

describe('choosePairs', () => {
  it('pairs each minimum with its k nearest neighbours, each pair once, as a direct search over all pairs', () => {
    const rng = createRng(3);
    const minima = Array.from({ length: 40 }, (_, i) => minimum(i + 1, [rng.uniform(), rng.uniform()]));
    const k = 3;
    const pairs = choosePairs(flat, minima, { neighbours: k, maxAttempts: 10_000 });
    const keys = pairs.map(([a, b]) => `${a}-${b}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(pairs.every(([a, b]) => a < b)).toBe(true);
    // Direct: for each minimum, its k nearest by distance (ties by id).
    const expected = new Set<string>();
    for (const m of minima) {
      const near = minima
        .filter((o) => o.id !== m.id)
        .sort((p, q) => distance(m.coordinates, p.coordinates) - distance(m.coordinates, q.coordinates) || p.id - q.id)
        .slice(0, k);
      for (const n of near) expected.add(`${Math.min(m.id, n.id)}-${Math.max(m.id, n.id)}`);
    }
    expect(new Set(keys)).toEqual(expected);
  });

  it('skips given pairs and stops at maxAttempts', () => {
    const minima = [minimum(1, [0, 0]), minimum(2, [1, 0]), minimum(3, [3, 0]), minimum(4, [6, 0])];
    expect(choosePairs(flat, minima, { neighbours: 1, maxAttempts: 10 })).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(choosePairs(flat, minima, { neighbours: 1, maxAttempts: 10, skip: new Set(['1-2']) })).toEqual([
      [2, 3],
      [3, 4],
    ]);
    expect(choosePairs(flat, minima, { neighbours: 2, maxAttempts: 2 })).toHaveLength(2);
  });

  it('uses the potential’s aligned distance when it has one', () => {
    const aligned: Potential = { ...flat, alignedDistance: (a, b) => Math.abs(Math.abs(a[0]) - Math.abs(b[0])) };
    const minima = [minimum(1, [1, 0]), minimum(2, [-1.05, 0]), minimum(3, [0.5, 0])];
    expect(choosePairs(aligned, minima, { neighbours: 1, maxAttempts: 10 })[0]).toEqual([1, 2]);
    expect(choosePairs(flat, minima, { neighbours: 1, maxAttempts: 10 })[0]).toEqual([1, 3]);
  });
});

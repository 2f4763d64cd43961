// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng } from '@lossscape/numeric';
import { advanceSeries, emptySeries, insertLowestBounded, prependBounded, updateByKey, updateWhere } from './bounded.js';

interface Item {
  readonly id: number;
  readonly energy: number;
}
const energyOf = (i: Item): number => i.energy;
const sameId = (a: Item, b: Item): boolean => a.id === b.id;

describe('prependBounded', () => {
  it('keeps the newest `capacity` items, newest first, without touching the input', () => {
    let items: readonly number[] = [];
    for (let i = 0; i < 25; i++) {
      const before = items;
      const copy = [...before];
      items = prependBounded(items, i, 10);
      expect(before).toEqual(copy);
    }
    expect(items).toEqual([24, 23, 22, 21, 20, 19, 18, 17, 16, 15]);
  });
});

describe('insertLowestBounded', () => {
  it('equals sorting everything and keeping the lowest (fast path vs direct)', () => {
    const rng = createRng(11);
    const all: Item[] = [];
    let kept: readonly Item[] = [];
    for (let id = 1; id <= 3000; id++) {
      // Quantised energies so that ties happen.
      const item = { id, energy: Math.round(rng.normal() * 200) / 100 };
      all.push(item);
      kept = insertLowestBounded(kept, item, 50, energyOf, sameId);
    }
    // Stable for ties: an equal energy goes after those already there, i.e. in id order.
    const direct = [...all].sort((a, b) => a.energy - b.energy || a.id - b.id).slice(0, 50);
    expect(kept).toEqual(direct);
  });

  it('returns the same array for an item above the kept range, a re-sent item or a non-finite key', () => {
    let kept: readonly Item[] = [];
    for (let i = 0; i < 5; i++) kept = insertLowestBounded(kept, { id: i, energy: i }, 5, energyOf, sameId);
    expect(insertLowestBounded(kept, { id: 9, energy: 7 }, 5, energyOf, sameId)).toBe(kept);
    expect(insertLowestBounded(kept, { id: 2, energy: 2 }, 5, energyOf, sameId)).toBe(kept);
    expect(insertLowestBounded(kept, { id: 8, energy: NaN }, 5, energyOf, sameId)).toBe(kept);
    expect(insertLowestBounded(kept, { id: 8, energy: -Infinity }, 5, energyOf, sameId)).toBe(kept);
  });
});

describe('updateWhere', () => {
  it('replaces the first match and returns the same array when none matches', () => {
    const items = [1, 2, 3, 2];
    expect(updateWhere(items, (x) => x === 2, (x) => x * 10)).toEqual([1, 20, 3, 2]);
    expect(updateWhere(items, (x) => x === 5, (x) => x)).toBe(items);
  });
});

describe('updateByKey', () => {
  it('finds the same item as a linear scan, among ties too (fast path vs direct)', () => {
    const items: Item[] = Array.from({ length: 60 }, (_, i) => ({ id: i, energy: Math.floor(i / 3) }));
    for (const target of [0, 1, 2, 31, 59]) {
      const e = items[target].energy;
      const fast = updateByKey(items, e, (x) => x.id === target, (x) => ({ ...x, energy: x.energy }));
      const direct = updateWhere(items, (x) => x.id === target, (x) => ({ ...x, energy: x.energy }));
      expect(fast).toEqual(direct);
      expect(fast).not.toBe(items);
    }
    expect(updateByKey(items, 5, (x) => x.id === 59, (x) => x)).toBe(items); // wrong energy: not found
  });
});

describe('advanceSeries', () => {
  it('holds, for every closed bucket, the value at that bucket’s end (vs a direct replay), in bounded memory', () => {
    const rng = createRng(5);
    const history: { t: number; v: number }[] = [];
    let series = emptySeries(10, 16);
    let t = 0;
    let v = 0;
    for (let k = 0; k < 5000; k++) {
      t += rng.int(7) + (k % 500 === 0 ? 400 : 0); // occasional long gaps
      series = advanceSeries(series, t, v);
      v += rng.int(3);
      history.push({ t, v });
      expect(series.values.length).toBeLessThanOrEqual(series.capacity);
    }
    // Direct: value at end of bucket i = last value recorded at a time < (i+1)·bucketMs.
    const valueAt = (end: number): number => {
      let last = 0;
      for (const h of history) if (h.t < end) last = h.v;
      return last;
    };
    expect(series.bucketMs).toBeGreaterThan(10);
    series.values.forEach((value, i) => expect(value).toBe(valueAt((i + 1) * series.bucketMs)));
    expect(series.values.length).toBe(Math.min(series.capacity, Math.floor(t / series.bucketMs)));
  });

  it('returns the same series while the current bucket stays open', () => {
    const s = advanceSeries(emptySeries(100, 8), 250, 3);
    expect(s.values).toEqual([3, 3]);
    expect(advanceSeries(s, 299, 4)).toBe(s);
  });
});

// SPDX-License-Identifier: MIT
import { createRng } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { argsortFloat64 } from './sort.js';

describe('argsortFloat64', () => {
  it('sorts like Float64Array.prototype.sort, and order maps sorted back to the input', () => {
    const rng = createRng(0x50f7);
    const special = [0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 1, 1, 0.5, -0.5];
    for (const n of [0, 1, 2, 7, 100, 5000]) {
      const values = Float64Array.from({ length: n }, (_, k) => (k < special.length && n > 50 ? special[k] : rng.uniform() < 0.2 ? Math.round(rng.normal()) : rng.normal() * 10 ** rng.int(12)));
      const { sorted, order } = argsortFloat64(values);
      expect(sorted).toEqual(Float64Array.from(values).sort());
      expect(Object.is(sorted[0], values[order[0]]) || n === 0).toBe(true);
      for (let k = 0; k < n; k++) expect(Object.is(sorted[k], values[order[k]])).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, k) => k));
    }
  });

  it('is stable (equal values keep their input order) and leaves the input untouched', () => {
    const values = new Float64Array([0.5, 0.25, 0.5, 0.25, 0.5]);
    const copy = Float64Array.from(values);
    expect([...argsortFloat64(values).order]).toEqual([1, 3, 0, 2, 4]);
    expect(values).toEqual(copy);
  });

  it('handles subarray views (byteOffset ≠ 0)', () => {
    const base = new Float64Array([9, 3, 1, 2, 9]);
    const { sorted, order } = argsortFloat64(base.subarray(1, 4));
    expect([...sorted]).toEqual([1, 2, 3]);
    expect([...order]).toEqual([1, 2, 0]);
  });
});

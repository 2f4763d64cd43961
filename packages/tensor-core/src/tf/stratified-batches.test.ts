// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng } from '@lossscape/numeric';
import { stratifiedBatches } from './stratified-batches.js';

describe('stratifiedBatches', () => {
  const labels = Int32Array.from({ length: 1003 }, (_, d) => (d % 10 === 3 ? 1 : 0)); // 100 positives
  it('covers every row once, balances sizes and positives, and leaves no batch without pairs', () => {
    const batches = stratifiedBatches(labels, 64, createRng(5));
    expect(batches).toHaveLength(Math.ceil(1003 / 64));
    const seen = new Int32Array(labels.length);
    for (const b of batches) for (const i of b) seen[i]++;
    expect(seen.every((c) => c === 1)).toBe(true);
    const sizes = batches.map((b) => b.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const positives = batches.map((b) => b.reduce((n, i) => n + labels[i], 0));
    expect(Math.min(...positives)).toBeGreaterThanOrEqual(Math.floor(100 / batches.length));
    expect(Math.max(...positives)).toBeLessThanOrEqual(Math.ceil(100 / batches.length));
    expect(batches.every((b, k) => positives[k] > 0 && positives[k] < b.length)).toBe(true);
  });

  it('is reproducible from the seed and differs between seeds', () => {
    const a = stratifiedBatches(labels, 100, createRng(9)).map((b) => Array.from(b));
    expect(stratifiedBatches(labels, 100, createRng(9)).map((b) => Array.from(b))).toEqual(a);
    expect(stratifiedBatches(labels, 100, createRng(10)).map((b) => Array.from(b))).not.toEqual(a);
  });

  it('validates at the edge', () => {
    expect(() => stratifiedBatches(labels, 0, createRng(1))).toThrow(/^Expected integer between 1 and/);
    expect(() => stratifiedBatches(new Int32Array(0), 4, createRng(1))).toThrow(/^Expected at least one label/);
  });
});

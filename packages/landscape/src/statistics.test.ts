// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng, meanAndStd, TOL } from '@lossscape/numeric';
import type { MinimumRecord, MinimumProperties } from './records.js';
import { bootstrapDifference, bootstrapInterval, pearson, spread, summariseLandscape } from './statistics.js';

function minimum(id: number, energy: number, properties: MinimumProperties): MinimumRecord {
  return { id, energy, coordinates: new Float64Array(0), rmsGradient: 0, hits: 1, firstStep: id, chain: 0, properties };
}

describe('statistics', () => {
  it('pearson: ±1 on lines, 0 on a symmetric pattern, NaN when undefined', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 14);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 14);
    expect(pearson([-1, 0, 1], [1, 0, 1])).toBe(0);
    expect(pearson([1, 2], [3, 4])).toBeNaN();
    expect(pearson([1, 1, 1], [3, 4, 5])).toBeNaN();
  });
  it('spread: median, min, max and sample σ', () => {
    const s = spread([4, 1, 3, 2, NaN]);
    expect(s).toMatchObject({ count: 4, min: 1, max: 4, median: 2.5, mean: 2.5 });
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 14);
  });
  it('summarises a landscape by hand, leaving out flagged minima', () => {
    const minima = [
      minimum(1, -0.9, { testAuc: 0.8, lpphe: -100, trainAuc: 0.9 }),
      minimum(2, -0.8, { testAuc: 0.7, lpphe: -110, trainAuc: 0.85 }),
      minimum(3, -0.7, { testAuc: 0.6, lpphe: -120, trainAuc: 0.8 }),
      minimum(4, -1.5, { testAuc: 0.99, flag: 'index 1: not a minimum' }),
    ];
    const s = summariseLandscape(minima, 2);
    expect(s).toMatchObject({ minima: 4, transitionStates: 2, flaggedMinima: 1 });
    expect(s.testAuc.best).toBe(0.8);
    expect(s.testAuc.bestMinimumId).toBe(1);
    expect(s.testAuc.mean).toBeCloseTo(0.7, 14);
    expect(s.lpphe.mean).toBeCloseTo(-110, 12);
    expect(s.energyTestAucCorrelation).toBeCloseTo(-1, 12);
    expect(s.globalMinimum).toEqual({ id: 1, energy: -0.9, testAuc: 0.8 });
  });
  it('bootstrap interval covers the mean and narrows with more data', () => {
    const rng = createRng(5);
    const small = Array.from({ length: 20 }, () => rng.normal());
    const large = Array.from({ length: 2000 }, () => rng.normal());
    const mean = (v: readonly number[]) => meanAndStd(v).mean;
    const a = bootstrapInterval(small, mean, { rng: createRng(1), resamples: 500 });
    const b = bootstrapInterval(large, mean, { rng: createRng(1), resamples: 500 });
    expect(a.low).toBeLessThanOrEqual(a.estimate);
    expect(a.high).toBeGreaterThanOrEqual(a.estimate);
    expect(b.high - b.low).toBeLessThan((a.high - a.low) / 4);
    expect(Math.abs(b.estimate)).toBeLessThan(b.high - b.low);
    expect(bootstrapInterval([1], mean, { rng: createRng(1) }).low).toBeNaN();
  });
  it('bootstrap difference separates shifted samples and is reproducible', () => {
    const rng = createRng(9);
    const x = Array.from({ length: 200 }, () => rng.normal() + 1);
    const y = Array.from({ length: 200 }, () => rng.normal());
    const diff = (p: readonly number[], q: readonly number[]) => meanAndStd(p).mean - meanAndStd(q).mean;
    const i1 = bootstrapDifference(x, y, diff, { rng: createRng(3), resamples: 400 });
    const i2 = bootstrapDifference(x, y, diff, { rng: createRng(3), resamples: 400 });
    expect(i1).toEqual(i2);
    expect(i1.low).toBeGreaterThan(0.5);
    expect(i1.high).toBeLessThan(1.5);
    expect(Math.abs(i1.estimate - diff(x, y))).toBeLessThan(TOL.F64);
  });
});

// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng } from '@lossscape/numeric';
import { assessFindings, correlationInterval, fmt, judgeDirection, judgeValue, PUBLISHED, type FindingInputs, type PooledNumbers } from './findings.js';

const options = () => ({ rng: createRng(7), resamples: 1000 });

/** n minima with energies and test AUCs on a line of slope `slope` plus a small deterministic wobble. */
function pooled(n: number, lpphe: number, slope: number): PooledNumbers {
  const energy = Array.from({ length: n }, (_, i) => -1 + i / n);
  return {
    lpphe: Array.from({ length: n }, (_, i) => lpphe + ((i * 7) % 5) - 2),
    energy,
    testAuc: energy.map((e, i) => 0.6 + slope * e + 0.01 * (((i * 3) % 7) - 3)),
  };
}

function inputs(overrides: Partial<FindingInputs> = {}): FindingInputs {
  return {
    commonQuenches: 100,
    perSeed: {
      ce: { reached: [20, 22, 21], totalMinima: [40, 41, 44], bestTestAuc: [0.61, 0.6, 0.62] },
      sigmoid: { reached: [60, 58, 63], totalMinima: [90, 95, 99], bestTestAuc: [0.71, 0.7, 0.72] },
      hinge: { reached: [10, 12, 11], totalMinima: [15, 16, 14], bestTestAuc: [0.5, 0.51, 0.49] },
      exp: { reached: [30, 31, 29], totalMinima: [30, 31, 29], bestTestAuc: [0.65, 0.66, 0.64] },
    },
    pooled: { ce: pooled(40, -300, -0.1), sigmoid: pooled(60, -250, -0.2), hinge: pooled(20, -400, 0), exp: pooled(30, -280, -0.1) },
    ceAtSigmoidMinima: Array.from({ length: 50 }, (_, i) => 0.4 + (i % 10) * 0.16),
    ...overrides,
  };
}

const byId = (findings: ReturnType<typeof assessFindings>) => new Map(findings.map((f) => [f.id, f]));

describe('verdict rules', () => {
  it('a direction holds, does not hold, or is not tested', () => {
    expect(judgeDirection({ low: 0.1, high: 0.5, estimate: 0.3 }, true, 1, 'n').verdict).toBe('holds');
    expect(judgeDirection({ low: -0.5, high: -0.1, estimate: -0.3 }, true, 1, 'n').verdict).toBe('does not hold');
    expect(judgeDirection({ low: -0.1, high: 0.5, estimate: 0.2 }, true, 1, 'n').verdict).toBe('not tested');
    expect(judgeDirection({ low: -0.5, high: -0.1, estimate: -0.3 }, true, -1, 'n').verdict).toBe('holds');
    expect(judgeDirection({ low: 0.1, high: 0.5, estimate: 0.3 }, false, 1, '2 vs 2 seeds')).toEqual({ verdict: 'not tested', reason: 'too few samples (2 vs 2 seeds)' });
    expect(judgeDirection({ low: NaN, high: NaN, estimate: 1 }, true, 1, 'n').verdict).toBe('not tested');
    expect(judgeDirection(undefined, true, 1, 'n').verdict).toBe('not tested');
  });

  it('a published value holds inside the interval and not outside', () => {
    expect(judgeValue({ low: 1.0, high: 1.4, estimate: 1.2 }, 1.2, true, 'n').verdict).toBe('holds');
    expect(judgeValue({ low: 1.5, high: 2.0, estimate: 1.7 }, 1.2, true, 'n').verdict).toBe('does not hold');
    expect(judgeValue({ low: 1.0, high: 1.4, estimate: 1.2 }, 1.2, false, 'n').verdict).toBe('not tested');
  });

  it('the correlation interval brackets r and excludes 0 for a clean line', () => {
    const x = Array.from({ length: 40 }, (_, i) => i);
    const y = x.map((v, i) => -2 * v + ((i * 5) % 3));
    const ci = correlationInterval(x, y, options());
    expect(ci.estimate).toBeLessThan(-0.99);
    expect(ci.high).toBeLessThan(0);
    expect(ci.low).toBeLessThanOrEqual(ci.estimate);
    expect(ci.high).toBeGreaterThanOrEqual(ci.low);
  });
});

describe('assessFindings', () => {
  it('every finding holds on statistics built to agree with the study', () => {
    const ce = 1.2;
    const f = byId(
      assessFindings(
        inputs({
          // mean 1.2, median 0.8: a right-skewed sample built around the published numbers.
          ceAtSigmoidMinima: [...Array(30).fill(0.8), ...Array(10).fill(0.7), ...Array(10).fill(3.3)].map((v, i) => v + 0.01 * (i % 3) - 0.01),
        }),
        options(),
      ),
    );
    for (const id of ['more-minima', 'better-best-auc', 'larger-lpphe', 'negative-correlation', 'hinge-worst-best', 'hinge-worst-mean', 'ce-at-sigmoid-mean', 'ce-at-sigmoid-median']) {
      expect(f.get(id)?.verdict, `${id}: ${f.get(id)?.reason}`).toBe('holds');
    }
    expect(f.get('more-minima')!.estimate).toBeCloseTo((60 + 58 + 63) / 3 - 21, 12);
    expect(f.get('ce-at-sigmoid-mean')!.interval!.low).toBeLessThanOrEqual(ce);
    expect(f.get('more-minima')!.measured).toContain('first 100 quenches');
  });

  it('reversed statistics give "does not hold"', () => {
    const base = inputs();
    const f = byId(
      assessFindings(
        {
          ...base,
          perSeed: {
            ce: base.perSeed.sigmoid,
            sigmoid: base.perSeed.ce,
            hinge: { reached: [1, 2, 3], totalMinima: [1, 2, 3], bestTestAuc: [0.9, 0.91, 0.92] },
          },
          pooled: { ce: pooled(40, -250, -0.2), sigmoid: pooled(60, -300, 0.3), hinge: { ...pooled(20, -300, 0), testAuc: Array.from({ length: 20 }, (_, i) => 0.95 - i * 1e-3) } },
          ceAtSigmoidMinima: Array.from({ length: 40 }, (_, i) => 2.5 + (i % 4) * 0.1),
        },
        options(),
      ),
    );
    for (const id of ['more-minima', 'better-best-auc', 'larger-lpphe', 'negative-correlation', 'hinge-worst-best', 'hinge-worst-mean', 'ce-at-sigmoid-mean', 'ce-at-sigmoid-median']) {
      expect(f.get(id)?.verdict, `${id}: ${f.get(id)?.reason}`).toBe('does not hold');
    }
  });

  it('too few seeds or minima, or overlapping samples, give "not tested"', () => {
    const twoSeeds = byId(
      assessFindings(
        inputs({
          perSeed: {
            ce: { reached: [20, 22], totalMinima: [40, 41], bestTestAuc: [0.61, 0.6] },
            sigmoid: { reached: [60, 58], totalMinima: [90, 95], bestTestAuc: [0.71, 0.7] },
          },
          pooled: { ce: pooled(5, -300, -0.1), sigmoid: pooled(6, -250, -0.2) },
          ceAtSigmoidMinima: [1.2, 0.8],
        }),
        options(),
      ),
    );
    for (const id of ['more-minima', 'better-best-auc', 'larger-lpphe', 'negative-correlation', 'hinge-worst-best', 'hinge-worst-mean', 'ce-at-sigmoid-mean', 'ce-at-sigmoid-median']) {
      expect(twoSeeds.get(id)?.verdict, id).toBe('not tested');
    }
    expect(twoSeeds.get('more-minima')!.reason).toMatch(/^too few samples \(2 vs 2 seeds/);

    const overlapping = byId(
      assessFindings(
        inputs({
          perSeed: {
            ce: { reached: [20, 40, 30], totalMinima: [1, 2, 3], bestTestAuc: [0.5, 0.7, 0.6] },
            sigmoid: { reached: [25, 35, 31], totalMinima: [1, 2, 3], bestTestAuc: [0.55, 0.66, 0.6] },
          },
        }),
        options(),
      ),
    );
    expect(overlapping.get('more-minima')!.verdict).toBe('not tested');
    expect(overlapping.get('more-minima')!.reason).toMatch(/includes 0/);
    expect(overlapping.get('better-best-auc')!.verdict).toBe('not tested');
  });

  it('no quench in common means the minima count is not tested', () => {
    const f = byId(assessFindings(inputs({ commonQuenches: 0 }), options()));
    expect(f.get('more-minima')!.verdict).toBe('not tested');
  });

  it('is reproducible for a given generator and quotes the published values', () => {
    const a = assessFindings(inputs(), { rng: createRng(3), resamples: 500 });
    const b = assessFindings(inputs(), { rng: createRng(3), resamples: 500 });
    expect(a).toEqual(b);
    expect(a.find((f) => f.id === 'ce-at-sigmoid-mean')!.published).toContain(String(PUBLISHED.ceAtSigmoidMinimaMean));
    expect(a.find((f) => f.id === 'ce-at-sigmoid-median')!.published).toContain(String(PUBLISHED.ceAtSigmoidMinimaMedian));
  });

  it('formats numbers for reading', () => {
    expect(fmt(-0.123456)).toBe('−0.123');
    expect(fmt(2e-7)).toBe('2.00e-7');
    expect(fmt(NaN)).toBe('–');
  });
});

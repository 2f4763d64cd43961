// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng, TOL } from '@lossscape/numeric';
import type { MinimumProperties, MinimumRecord } from '@lossscape/landscape';
import { analyseStudy, loggedQuenches, mappingRows, minimaWithin, poolMinima, reachedCurve, reachedIds, MAPPING_PREFIX, type LandscapeData } from './analysis.js';
import { DEFAULT_L2, planStudy, SMOKE_BUDGET, type LandscapeSpec } from './plan.js';
import type { QuenchLogEntry } from './runner.js';

function minimum(id: number, energy: number, properties: MinimumProperties = {}, extra: Partial<MinimumRecord> = {}): MinimumRecord {
  return { id, energy, coordinates: new Float64Array([energy, id]), rmsGradient: 1e-11, hits: 1, firstStep: id - 1, chain: 0, properties, ...extra };
}

function log(ids: readonly (number | null)[], iterations = 100): QuenchLogEntry[] {
  return ids.map((minimumId, step) => ({ step, minimumId, iterations: iterations + step, converged: minimumId !== null }));
}

function spec(id: string, overrides: Partial<LandscapeSpec> = {}): LandscapeSpec {
  return { id, group: 'main', loss: 'ce', l2: DEFAULT_L2, seed: 1, steps: 10, transitionStates: true, ...overrides };
}

function landscape(s: LandscapeSpec, minima: MinimumRecord[], quenchLog: QuenchLogEntry[], ts = 0): LandscapeData {
  return {
    spec: s,
    minima,
    transitionStates: Array.from({ length: ts }, (_, k) => ({ id: k + 1, energy: 10, coordinates: new Float64Array(2), rmsGradient: 0, negativeEigenvalue: -1, lpphe: 0, minimum1: 1, minimum2: 2 })),
    discovery: [],
    quenchLog,
    quenches: loggedQuenches(quenchLog),
  };
}

describe('quench logs', () => {
  const entries = log([3, 3, null, 5, 3, 7, 5]);

  it('distinct minima reached, within a number of quenches', () => {
    expect(reachedIds(entries)).toEqual([3, 5, 7]);
    expect(reachedIds(entries, 4)).toEqual([3, 5]);
    expect(reachedIds(entries, 0)).toEqual([]);
    expect(loggedQuenches(entries)).toBe(7);
  });

  it('the curve rises by one at each first visit and ends at the last quench', () => {
    expect(reachedCurve(entries)).toEqual([
      { quenches: 1, distinct: 1 },
      { quenches: 4, distinct: 2 },
      { quenches: 6, distinct: 3 },
      { quenches: 7, distinct: 3 },
    ]);
    expect(reachedCurve([])).toEqual([]);
  });

  it('minima within q quenches: from the log, else by first step (quench-found only)', () => {
    const minima = [minimum(3, 0.1), minimum(5, 0.2), minimum(7, 0.3), minimum(8, 0.05, {}, { chain: -1, firstStep: 0 })];
    expect(minimaWithin(landscape(spec('a'), minima, entries), 4).map((m) => m.id)).toEqual([3, 5]);
    // firstStep is id − 1 here: within 3 quenches only minimum 3 (found at step 2); 8 came from a connection search.
    expect(minimaWithin(landscape(spec('a'), minima, []), 3).map((m) => m.id)).toEqual([3]);
    expect(minimaWithin(landscape(spec('a'), minima, []), 5).map((m) => m.id)).toEqual([3, 5]);
  });
});

describe('poolMinima', () => {
  const same = (a: Float64Array, b: Float64Array) => Math.abs(a[1] - b[1]) < 0.5;

  it('merges minima that agree in energy (relative tolerance) and identity, keeps the rest', () => {
    const run1 = [minimum(1, -1), minimum(2, -0.5)];
    const run2 = [
      { ...minimum(1, -1 * (1 + 0.5 * TOL.DUPLICATE_ENERGY)), id: 1 }, // same point, energy within tolerance
      { ...minimum(2, -0.5), coordinates: new Float64Array([-0.5, 9]) }, // same energy, different point
      minimum(3, 0.7),
    ];
    const pooled = poolMinima([run1, run2], same, TOL.DUPLICATE_ENERGY);
    expect(pooled).toHaveLength(4);
    expect(pooled.map((m) => m.energy)).toEqual([...pooled.map((m) => m.energy)].sort((a, b) => a - b));
  });

  it('without an identity test, energy alone decides (as GMIN does)', () => {
    expect(poolMinima([[minimum(1, 2)], [minimum(9, 2 + 1e-12)]], undefined, TOL.DUPLICATE_ENERGY)).toHaveLength(1);
    expect(poolMinima([[minimum(1, 2)], [minimum(9, 2 + 1e-6)]], undefined, TOL.DUPLICATE_ENERGY)).toHaveLength(2);
  });
});

describe('analyseStudy', () => {
  const plan = planStudy({ ...SMOKE_BUDGET, seeds: 2 });
  const auc = (testAuc: number, extra: MinimumProperties = {}): MinimumProperties => ({ testAuc, trainAuc: 0.8, lpphe: -300 + testAuc * 10, ceLoss: 1 + testAuc, dataLoss: -0.75, flatCount: 11, ...extra });

  function studyData(): LandscapeData[] {
    return plan.landscapes.map((s) => {
      const n = s.loss === 'sigmoid' ? 4 : 2;
      const minima = Array.from({ length: n }, (_, k) => minimum(k + 1, -k - s.seed / 10, auc(0.4 + 0.05 * k + 0.01 * s.seed)));
      return landscape(s, minima, log(minima.map((m) => m.id)), s.group === 'main' ? 1 : 0);
    });
  }

  it('per-seed numbers, pooled statistics and the finding inputs', () => {
    const a = analyseStudy(studyData(), { lambdaGrid: plan.lambdaGrid, betaGrid: plan.betaGrid, variantSteps: 2, energyTolerance: TOL.DUPLICATE_ENERGY, rng: createRng(1), resamples: 200 });
    expect(a.commonQuenches).toBe(2); // CE landscapes logged two quenches
    const sigmoid = a.losses.find((l) => l.loss === 'sigmoid')!;
    expect(sigmoid.seeds).toEqual([1, 2]);
    expect(sigmoid.perSeed.minima).toEqual([4, 4]);
    expect(sigmoid.perSeed.reachedAtCommon).toEqual([2, 2]);
    expect(sigmoid.pooledMinima).toHaveLength(8); // seeds' energies differ: nothing merged
    expect(sigmoid.perSeed.bestTestAuc[0]).toBeCloseTo(0.4 + 0.15 + 0.01, 12);
    // ΔAUC = |−(−0.75) − 0.8| = 0.05 for every minimum.
    expect(sigmoid.deltaAuc!.median).toBeCloseTo(0.05, 12);
    expect(a.losses.find((l) => l.loss === 'ce')!.deltaAuc).toBeUndefined();
    // Energy falls as test AUC rises by construction: r = −1.
    expect(sigmoid.correlation.r).toBeLessThan(-0.9);
    expect(a.findingInputs.perSeed.sigmoid!.reached).toEqual([2, 2]);
    expect(a.findingInputs.ceAtSigmoidMinima).toHaveLength(8);
    expect(a.landscapes.every((l) => l.flatCount.mean === 11)).toBe(true);
  });

  it('a main landscape not yet started does not pull the equal budget down to 0; finding 1 uses the sigmoid–CE budget', () => {
    const data = studyData().map((d) => {
      if (d.spec.group !== 'main') return d;
      if (d.spec.loss === 'quad') return landscape(d.spec, [], log([])); // a partial study has not reached quad yet
      if (d.spec.loss === 'hinge') return landscape(d.spec, [...d.minima], log(d.minima.slice(0, 1).map((m) => m.id))); // hinge: 1 quench
      return d;
    });
    const a = analyseStudy(data, { lambdaGrid: plan.lambdaGrid, betaGrid: plan.betaGrid, variantSteps: 2, energyTolerance: TOL.DUPLICATE_ENERGY, rng: createRng(1), resamples: 200 });
    expect(a.commonQuenches).toBe(1); // hinge has done one quench; quad (not started) is left out
    expect(a.findingInputs.commonQuenches).toBe(2); // sigmoid and CE have both done two
    expect(a.findingInputs.perSeed.sigmoid!.reached).toEqual([2, 2]);
    expect(a.findingInputs.perSeed.quad!.reached).toEqual([]); // no started seed: no per-seed count
  });

  it('grid rows use the first variantSteps quenches and name their landscape', () => {
    const a = analyseStudy(studyData(), { lambdaGrid: plan.lambdaGrid, betaGrid: plan.betaGrid, variantSteps: 1, energyTolerance: TOL.DUPLICATE_ENERGY, rng: createRng(1), resamples: 200 });
    expect(a.lambdaRows.map((r) => `${r.loss}:${r.value}:${r.landscape}`)).toEqual(plan.lambdaGrid.map((g) => `${g.loss}:${g.value}:${g.landscape}`));
    for (const r of [...a.lambdaRows, ...a.betaRows]) {
      expect(r.quenches).toBe(1);
      expect(r.minima).toBe(1);
      expect(r.lbfgsMean).toBe(100);
    }
    const sigmoidBeta = a.betaRows.find((r) => r.loss === 'sigmoid')!;
    expect(sigmoidBeta.medianDeltaAuc).toBeCloseTo(0.05, 12);
    expect(Number.isNaN(a.betaRows.find((r) => r.loss === 'exp')!.medianDeltaAuc)).toBe(true);
  });

  it('reads the mapping from the sigmoid minima extras', () => {
    const k = (s: string) => `${MAPPING_PREFIX}${s}`;
    const ce = landscape(spec('main-ce-s1'), [minimum(4, 0.5, { testAuc: 0.61 })], log([4]));
    const sig = landscape(spec('main-sigmoid-s1', { loss: 'sigmoid' }), [
      minimum(1, -0.9, { extra: { [k('landscape')]: 'main-ce-s1', [k('startEnergy')]: 1.3, [k('energy')]: 0.5, [k('converged')]: 1, [k('targetId')]: 4, [k('distance')]: 2.5, [k('steps')]: 321 } }),
      minimum(2, -0.8, { extra: { [k('landscape')]: 'main-ce-s1', [k('startEnergy')]: 0.9, [k('energy')]: 0.45, [k('converged')]: 1, [k('targetId')]: -1, [k('distance')]: 3, [k('steps')]: 100 } }),
      minimum(3, -0.7),
    ], log([1, 2, 3]));
    const rows = mappingRows([sig], new Map([['main-ce-s1', ce]]));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ sourceId: 1, ceValue: 1.3, ceEnergy: 0.5, targetId: 4, targetTestAuc: 0.61, distance: 2.5, steps: 321, converged: true });
    expect(rows[1].targetId).toBeUndefined();
  });
});

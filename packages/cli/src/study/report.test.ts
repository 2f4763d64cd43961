// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng, TOL } from '@lossscape/numeric';
import type { MinimumRecord } from '@lossscape/landscape';
import { analyseStudy, type LandscapeData } from './analysis.js';
import { assessFindings } from './findings.js';
import { planManifest } from './manifest.js';
import { planStudy, SMOKE_BUDGET } from './plan.js';
import { csvTable, gridTable, markdownTable, nearestNeighbourBaseline, renderReportMarkdown, table1, table2, type SettingFacts } from './report.js';

function labelled(points: number[][], labels: number[]) {
  return { features: Float64Array.from(points.flat()), labels: Int32Array.from(labels), rows: labels.length, featureCount: points[0].length, classes: 2 };
}

describe('nearestNeighbourBaseline', () => {
  it('classifies by the nearest training point and ranks by the distance gap', () => {
    const train = labelled([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1]);
    // Two test points near their class, one near the wrong one.
    const test = labelled([[0.2, 0.1], [4.8, 5.2], [0.1, 0.9]], [0, 1, 1]);
    const b = nearestNeighbourBaseline(train, test, 1);
    expect(b.accuracy).toBeCloseTo(2 / 3, 12);
    // Scores d(nearest negative) − d(nearest positive): (4.8,5.2) ≈ +6.1, (0.1,0.9) ≈ −6.25, and the
    // negative (0.2,0.1) ≈ −6.64 — misclassified, yet both positives outrank the negative.
    expect(b.auc).toBe(1);
  });

  it('separable data: accuracy and AUC 1', () => {
    const train = labelled([[0], [1], [10], [11]], [0, 0, 1, 1]);
    const test = labelled([[0.5], [10.5], [2], [9]], [0, 1, 0, 1]);
    expect(nearestNeighbourBaseline(train, test, 1)).toEqual({ accuracy: 1, auc: 1 });
  });
});

describe('tables', () => {
  it('markdown escapes pipes; CSV quotes commas and leaves NaN empty', () => {
    expect(markdownTable(['a|b', 'c'], [[1, 'x|y']])).toBe('| a\\|b | c |\n| --- | --- |\n| 1 | x\\|y |');
    expect(csvTable(['k', 'v'], [['a,b', NaN], ['c', 2]])).toBe('k,v\n"a,b",\nc,2\n');
  });

  const plan = planStudy({ ...SMOKE_BUDGET, seeds: 3 });
  const minima = (seed: number, n: number): MinimumRecord[] =>
    Array.from({ length: n }, (_, k) => ({
      id: k + 1,
      energy: -k - seed / 7,
      coordinates: new Float64Array([k, seed]),
      rmsGradient: 1e-11,
      hits: 1,
      firstStep: k,
      chain: k === n - 1 ? -1 : 0,
      properties: { testAuc: 0.3 + 0.02 * k, trainAuc: 0.8, lpphe: -300, ceLoss: 1.1, dataLoss: -0.7, flatCount: 11, index: 0 },
    }));
  const data: LandscapeData[] = plan.landscapes.map((s) => {
    const m = minima(s.seed, s.loss === 'sigmoid' ? 5 : 3);
    const log = m.filter((x) => x.chain >= 0).map((x, step) => ({ step, minimumId: x.id, iterations: 50, converged: true }));
    return { spec: s, minima: m, transitionStates: [], discovery: [], quenchLog: log, quenches: s.group === 'main' ? log.length : 0 };
  });
  const analysis = analyseStudy(data, { lambdaGrid: plan.lambdaGrid, betaGrid: plan.betaGrid, variantSteps: 2, energyTolerance: TOL.DUPLICATE_ENERGY, rng: createRng(2), resamples: 200 });

  it('table 1 splits minima by how they were found, per seed', () => {
    const t = table1(analysis);
    const sigmoid = t.rows.find((r) => r[0] === 'sigmoid')!;
    expect(sigmoid[1]).toBe(3); // seeds
    expect(sigmoid[3]).toBe('5 ± 0'); // minima stored per seed
    expect(sigmoid[4]).toBe('4 ± 0'); // by quenches
    expect(sigmoid[5]).toBe('1 ± 0'); // by connection searches
    expect(t.headers[6]).toBe(`reached in first ${analysis.commonQuenches} quenches`);
  });

  it('table 2 reports the pooled best and the per-seed spread of the best', () => {
    const t = table2(analysis);
    const ce = t.rows.find((r) => r[0] === 'CE')!;
    expect(ce[1]).toBe(9); // 3 seeds × 3 minima, none merged (different coordinates)
    expect(ce[2]).toBe('0.34');
  });

  it('grid tables show ΔAUC for β only', () => {
    expect(gridTable(analysis.betaRows, 'β').headers).toContain('median ΔAUC');
    expect(gridTable(analysis.lambdaRows, 'λ').headers).not.toContain('median ΔAUC');
  });

  const setting: SettingFacts = {
    dataLabel: 'two spirals (97 per spiral, noise ±0.1, seed 1): train 155, test 39',
    network: '2-10-2 (52 weights)',
    nearestNeighbour: { accuracy: 0.69, auc: 0.8 },
    calibrations: [{ id: 'main-ce-s1', temperature: 0.01, stepSize: 0.5, calibrated: true }],
    gitCommits: ['0123456789abcdef'],
    lbfgsMemory: 30,
    gradientTolerance: 1e-10,
    energyTolerance: 1e-9,
    distanceTolerance: 1e-3,
  };

  function render(complete: boolean): string {
    const base = planManifest(undefined, { preset: 'quick', smoke: true, dataset: { kind: 'spiral' }, budget: { ...SMOKE_BUDGET, seeds: 3 } }, 't0');
    const manifest = { ...base, landscapes: base.landscapes.map((e, i) => ({ ...e, complete: complete || i > 0 })) };
    return renderReportMarkdown({
      manifest,
      analysis,
      findings: assessFindings(analysis.findingInputs, { rng: createRng(1), resamples: 200 }),
      figures: [{ name: 'fig-minima', caption: 'Minima' }],
      setting,
      generatedAt: 't1',
    });
  }

  it('the report marks a partial study and states the settings and the tanh identity', () => {
    const partial = render(false);
    expect(partial).toMatch(/\*\*PARTIAL\*\*: \d+ of \d+ landscapes/);
    expect(render(true)).not.toContain('PARTIAL');
    expect(partial).toContain('tanh landscape at β is exactly the sigmoid landscape at 2β');
    expect(partial).toContain('2-10-2 (52 weights)');
    expect(partial).toContain('69 %');
    expect(partial).toContain('![fig-minima](figures/fig-minima.svg)');
    // Every finding is a table row with its verdict.
    const rows = partial.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(8);
    for (const r of rows) expect(r).toMatch(/\*\*holds\*\*|\*\*does not hold\*\*|\*not tested\*/);
  });
});

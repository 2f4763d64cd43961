// SPDX-License-Identifier: MIT
/**
 * The study's figures as SVG strings, from its analysis and data: minima and test AUC per loss,
 * disconnectivity graphs coloured by test AUC (figures 2, 3, 8), energy against test AUC per
 * loss (figure 4), CE loss against test AUC (figure 5), the β ablations (figures 6, 7), test AUC
 * against λ (table 4), discovery curves, and the sigmoid → CE mapping.
 */
import { computeDisconnectivity, layoutDisconnectivity, minimumValues, renderDisconnectivitySvg, spread } from '@lossscape/landscape';
import type { LossKind } from '../config/schema.js';
import { barChart, lineChart, panelGrid, scatterChart, type Series } from './charts.js';
import { fmt, fmtInterval } from './findings.js';
import { reachedCurve, type GridRow, type LandscapeData, type StudyAnalysis } from './analysis.js';

export interface Figure {
  /** File name without extension. */
  readonly name: string;
  readonly caption: string;
  readonly svg: string;
}

export const LOSS_COLOURS: Readonly<Record<LossKind, string>> = {
  ce: '#222222',
  sigmoid: '#1f77b4',
  tanh: '#17becf',
  hinge: '#d62728',
  exp: '#ff7f0e',
  quad: '#2ca02c',
};

export const LOSS_LABELS: Readonly<Record<LossKind, string>> = {
  ce: 'CE',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  hinge: 'hinge',
  exp: 'exp',
  quad: 'quad',
};

function seedBar(values: readonly number[]) {
  const s = spread(values);
  return s.count === 0 ? undefined : { value: s.mean, ...(s.count > 1 ? { low: s.min, high: s.max } : {}) };
}

function minimaFigure(a: StudyAnalysis): Figure {
  const groups = a.losses.map((l) => ({
    label: LOSS_LABELS[l.loss],
    bars: [seedBar(l.perSeed.reachedAtCommon), seedBar(l.perSeed.minima), seedBar(l.perSeed.transitionStates)],
  }));
  return {
    name: 'fig-minima',
    caption: `Minima and transition states per loss (mean over seeds; bars span the seeds' min–max): distinct minima reached by the first ${a.commonQuenches} quenches, all minima stored (incl. those found by connection searches), and transition states.`,
    svg: barChart(groups, {
      title: 'Minima and transition states per loss',
      series: [{ label: `reached in ${a.commonQuenches} quenches` }, { label: 'minima stored' }, { label: 'transition states' }],
      y: { label: 'count per seed' },
    }),
  };
}

function aucFigure(a: StudyAnalysis): Figure {
  const groups = a.losses.map((l) => ({
    label: LOSS_LABELS[l.loss],
    bars: [
      seedBar(l.perSeed.bestTestAuc),
      l.pooled.testAuc.count ? { value: l.pooled.testAuc.mean, low: l.pooled.testAuc.mean - l.pooled.testAuc.std, high: l.pooled.testAuc.mean + l.pooled.testAuc.std } : undefined,
    ],
  }));
  return {
    name: 'fig-test-auc',
    caption: 'Best test AUC per seed (mean, bars span the seeds) and mean test AUC of the minima (± σ over minima), per loss.',
    svg: barChart(groups, { title: 'Test AUC per loss', series: [{ label: 'best (per seed)' }, { label: 'mean over minima' }], y: { label: 'test AUC', range: [0, 1] } }),
  };
}

function disconnectivityFigures(data: readonly LandscapeData[]): Figure[] {
  const out: Figure[] = [];
  for (const d of data) {
    if (d.spec.group !== 'main' || d.spec.seed !== 1 || d.minima.length === 0) continue;
    const connected = d.transitionStates.length > 0;
    const tree = computeDisconnectivity({ minima: d.minima, transitionStates: d.transitionStates }, { includeIsolated: !connected, ...(connected ? {} : { maxMinima: 200 }) });
    const layout = layoutDisconnectivity(tree);
    const values = minimumValues(d.minima, 'testAuc');
    const title = `${LOSS_LABELS[d.spec.loss]} (seed 1): ${d.minima.length} minima, ${d.transitionStates.length} transition states`;
    out.push({
      name: `fig-disconnectivity-${d.spec.loss}`,
      caption: `Disconnectivity graph of the ${LOSS_LABELS[d.spec.loss]} landscape (seed 1), minima coloured by test AUC${connected ? '; minima that no transition state reaches are left out' : '; no transition states: the lowest 200 minima as isolated leaves'}.`,
      svg: renderDisconnectivitySvg(layout, { title, energyLabel: 'loss', ...(values.size > 0 ? { colour: { label: 'test AUC', values } } : {}) }),
    });
  }
  return out;
}

function energyAucFigure(a: StudyAnalysis): Figure {
  const panels = a.losses.map((l) => {
    const pts = l.pooledMinima.filter((m) => m.properties.flag === undefined && m.properties.testAuc !== undefined).map((m) => ({ x: m.energy, y: m.properties.testAuc! }));
    return scatterChart([{ label: '', points: pts, colour: LOSS_COLOURS[l.loss] }], {
      title: `${LOSS_LABELS[l.loss]}`,
      width: 420,
      height: 320,
      x: { label: 'loss at the minimum' },
      y: { label: 'test AUC' },
      referenceY: 0.5,
      notes: [`r = ${fmt(l.correlation.r)} ${fmtInterval(l.correlation.interval)}`, `n = ${l.correlation.n}`],
    });
  });
  return {
    name: 'fig4-energy-vs-test-auc',
    caption: 'Loss against test AUC at every minimum (seeds pooled), with Pearson r and its 95 % bootstrap interval (figure 4); dashed: AUC 0.5.',
    svg: panelGrid(panels, { columns: 3, title: 'Loss against test AUC at the minima' }),
  };
}

function ceAucFigure(a: StudyAnalysis): Figure {
  const series: Series[] = [];
  for (const loss of ['ce', 'sigmoid'] as const) {
    const l = a.losses.find((x) => x.loss === loss);
    if (!l) continue;
    series.push({
      label: `${LOSS_LABELS[loss]} minima`,
      colour: LOSS_COLOURS[loss],
      points: l.pooledMinima.filter((m) => m.properties.flag === undefined).map((m) => ({ x: m.properties.ceLoss ?? NaN, y: m.properties.testAuc ?? NaN })),
    });
  }
  return {
    name: 'fig5-ce-vs-test-auc',
    caption: 'CE loss (with λ) against test AUC for the minima of the CE and the sigmoid landscapes (figure 5).',
    svg: scatterChart(series, { title: 'CE loss against test AUC', x: { label: 'CE loss at the minimum', scale: 'log' }, y: { label: 'test AUC' }, referenceY: 0.5 }),
  };
}

function gridPanels(rows: readonly GridRow[], colour: string, withDelta: boolean): string[] {
  const line = (label: string, pick: (r: GridRow) => number, yLabel: string) =>
    lineChart([{ label: '', colour, points: rows.map((r) => ({ x: r.value, y: pick(r) })) }], { title: label, width: 420, height: 300, x: { label: 'β', scale: 'log' }, y: { label: yLabel } });
  return [
    line('Best test AUC', (r) => r.bestTestAuc, 'test AUC'),
    line('Distinct minima reached', (r) => r.minima, 'minima'),
    ...(withDelta ? [line('Median ΔAUC = |−pair loss − train AUC|', (r) => r.medianDeltaAuc, 'ΔAUC')] : []),
    line('L-BFGS steps per quench (mean)', (r) => r.lbfgsMean, 'steps'),
  ];
}

function betaFigures(a: StudyAnalysis): Figure[] {
  const out: Figure[] = [];
  const sig = a.betaRows.filter((r) => r.loss === 'sigmoid');
  const exp = a.betaRows.filter((r) => r.loss === 'exp');
  if (sig.length) {
    out.push({
      name: 'fig6-beta-sigmoid',
      caption: `β ablation of the sigmoid surrogate (figure 6): each point from the first ${sig[0].quenches} quenches of one landscape.`,
      svg: panelGrid(gridPanels(sig, LOSS_COLOURS.sigmoid, true), { columns: 2, title: 'Sigmoid surrogate against β' }),
    });
  }
  if (exp.length) {
    out.push({
      name: 'fig7-beta-exp',
      caption: `β ablation of the exponential surrogate (figure 7); ΔAUC is meaningless for exp and left out.`,
      svg: panelGrid(gridPanels(exp, LOSS_COLOURS.exp, false), { columns: 3, title: 'Exponential surrogate against β' }),
    });
  }
  return out;
}

function lambdaFigure(a: StudyAnalysis): Figure | undefined {
  if (a.lambdaRows.length === 0) return undefined;
  const series: Series[] = [];
  for (const loss of ['ce', 'sigmoid'] as const) {
    const rows = a.lambdaRows.filter((r) => r.loss === loss);
    if (!rows.length) continue;
    series.push({ label: `${LOSS_LABELS[loss]} best`, colour: LOSS_COLOURS[loss], points: rows.map((r) => ({ x: r.value, y: r.bestTestAuc })) });
    series.push({ label: `${LOSS_LABELS[loss]} mean`, colour: LOSS_COLOURS[loss], dashed: true, points: rows.map((r) => ({ x: r.value, y: r.meanTestAuc })) });
  }
  return {
    name: 'fig-table4-lambda',
    caption: 'Best (solid) and mean (dashed) test AUC against the L2 coefficient λ (table 4).',
    svg: lineChart(series, { title: 'Test AUC against λ', x: { label: 'λ', scale: 'log' }, y: { label: 'test AUC' }, referenceY: 0.5 }),
  };
}

function discoveryFigure(data: readonly LandscapeData[]): Figure {
  const main = data.filter((d) => d.spec.group === 'main');
  const stored: Series[] = main.map((d) => ({
    label: d.spec.seed === 1 ? LOSS_LABELS[d.spec.loss] : '',
    colour: LOSS_COLOURS[d.spec.loss],
    markers: false,
    points: d.discovery.map((p) => ({ x: p.quenches, y: p.distinctMinima })),
  }));
  const reached: Series[] = main.map((d) => ({
    label: d.spec.seed === 1 ? LOSS_LABELS[d.spec.loss] : '',
    colour: LOSS_COLOURS[d.spec.loss],
    markers: false,
    points: reachedCurve(d.quenchLog).map((p) => ({ x: p.quenches, y: p.distinct })),
  }));
  return {
    name: 'fig-discovery',
    caption:
      'Discovery curves, one line per seed: left, minima in the database (store.discoveryCurve(): includes minima found by connection searches) against quenches; right, distinct minima reached by the quenches themselves. A flat tail means the count has converged for this sampling.',
    svg: panelGrid(
      [
        lineChart(stored, { title: 'Minima stored against quenches', width: 560, height: 380, x: { label: 'quenches' }, y: { label: 'minima' } }),
        lineChart(reached, { title: 'Distinct minima reached against quenches', width: 560, height: 380, x: { label: 'quenches' }, y: { label: 'minima' } }),
      ],
      { columns: 2 },
    ),
  };
}

function histogram(values: readonly number[], bins: number): { edges: number[]; counts: number[] } {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { edges: [], counts: [] };
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), counts };
}

function mappingFigure(a: StudyAnalysis): Figure | undefined {
  const ce = a.findingInputs.ceAtSigmoidMinima;
  if (ce.length === 0) return undefined;
  const h = histogram(ce, Math.min(20, Math.max(5, Math.ceil(Math.sqrt(ce.length)))));
  const hist = barChart(
    h.counts.map((c, i) => ({ label: i % 2 === 0 ? fmt((h.edges[i] + h.edges[i + 1]) / 2, 2) : '', bars: [{ value: c }] })),
    {
      title: 'CE value at the sigmoid minima',
      width: 560,
      height: 380,
      series: [{ label: 'minima', colour: LOSS_COLOURS.sigmoid }],
      y: { label: 'minima' },
      xLabel: 'CE (with λ)',
      notes: [`mean ${fmt(a.mapping.ceValue.mean)} (study 1.2)`, `median ${fmt(a.mapping.ceValue.median)} (study 0.8)`, `n = ${a.mapping.ceValue.count}`],
    },
  );
  const rows = a.mapping.rows.filter((r) => r.converged);
  const scatter = scatterChart(
    [
      { label: 'CE minimum known', colour: LOSS_COLOURS.ce, points: rows.filter((r) => r.targetId !== undefined).map((r) => ({ x: r.distance, y: r.steps })) },
      { label: 'not in the CE database', colour: '#aaaaaa', points: rows.filter((r) => r.targetId === undefined).map((r) => ({ x: r.distance, y: r.steps })) },
    ],
    { title: 'Quenching sigmoid minima in the CE landscape', width: 560, height: 380, x: { label: 'aligned distance travelled' }, y: { label: 'L-BFGS steps', scale: 'log' } },
  );
  return {
    name: 'fig-mapping',
    caption: 'Sigmoid minima in the CE landscape: the CE value at each sigmoid minimum (left) and, for the mapped ones, the distance to the CE minimum each quenches to and the L-BFGS steps it takes (right).',
    svg: panelGrid([hist, scatter], { columns: 2 }),
  };
}

/** Every figure the report shows, in its order. */
export function studyFigures(a: StudyAnalysis, data: readonly LandscapeData[]): Figure[] {
  const out: Figure[] = [];
  if (a.losses.length) out.push(minimaFigure(a), aucFigure(a));
  out.push(...disconnectivityFigures(data));
  if (a.losses.length) out.push(energyAucFigure(a), ceAucFigure(a));
  out.push(...betaFigures(a));
  const lambda = lambdaFigure(a);
  if (lambda) out.push(lambda);
  if (data.some((d) => d.spec.group === 'main')) out.push(discoveryFigure(data));
  const mapping = mappingFigure(a);
  if (mapping) out.push(mapping);
  return out;
}

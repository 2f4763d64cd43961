// SPDX-License-Identifier: MIT
/**
 * The study report: REPORT.md (findings beside the published ones, settings, tables 1–4, the
 * ablations, the mapping, figures), CSV tables, report.json, and every figure as SVG and PNG.
 * `renderReportMarkdown` is pure; `writeStudyReport` writes the folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDisconnectivityPng, spread, type Spread } from '@lossscape/landscape';
import type { LabelledSet } from '@lossscape/data';
import { csvField, toJson } from '../database.js';
import type { LossKind } from '../config/schema.js';
import type { GridRow, LandscapeSummary, LossSummary, StudyAnalysis } from './analysis.js';
import { fmt, fmtInterval, type Finding } from './findings.js';
import { LOSS_LABELS, type Figure } from './figures.js';
import type { StudyManifest } from './manifest.js';

/** What the report says about the setting, read from the landscapes' manifests and data. */
export interface SettingFacts {
  /** e.g. "two spirals (97 per spiral, noise ±0.1, seed 1): train 155, test 39". */
  readonly dataLabel: string;
  /** e.g. "2-10-2 (52 weights)". */
  readonly network: string;
  readonly classCounts?: { readonly train: readonly number[]; readonly test: readonly number[] };
  readonly nearestNeighbour?: { readonly accuracy: number; readonly auc: number };
  /** Basin-hopping temperature and step size per landscape (calibrated or fixed). */
  readonly calibrations: ReadonlyArray<{ readonly id: string; readonly temperature: number; readonly stepSize: number; readonly calibrated: boolean }>;
  readonly gitCommits: readonly string[];
  readonly packageVersions?: Readonly<Record<string, string>>;
  readonly backends?: Readonly<Record<string, string | number>>;
  readonly lbfgsMemory: number;
  readonly gradientTolerance: number;
  readonly energyTolerance: number;
  readonly distanceTolerance: number;
}

export interface ReportInput {
  readonly manifest: StudyManifest;
  readonly analysis: StudyAnalysis;
  readonly findings: readonly Finding[];
  readonly figures: readonly Pick<Figure, 'name' | 'caption'>[];
  readonly setting: SettingFacts;
  readonly generatedAt: string;
}

/**
 * 1-nearest-neighbour baseline on the test split (Euclidean, in the features as the network
 * sees them): accuracy, and AUC with the score d(nearest negative) − d(nearest positive).
 * Cost O(N_test · N_train · F).
 */
export function nearestNeighbourBaseline(train: LabelledSet, test: LabelledSet, positiveClass: number): { accuracy: number; auc: number } {
  const F = train.featureCount;
  let correct = 0;
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < test.rows; i++) {
    let best = Infinity;
    let label = -1;
    let dPos = Infinity;
    let dNeg = Infinity;
    for (let j = 0; j < train.rows; j++) {
      let d = 0;
      for (let f = 0; f < F; f++) {
        const t = test.features[i * F + f] - train.features[j * F + f];
        d += t * t;
      }
      if (d < best) {
        best = d;
        label = train.labels[j];
      }
      if (train.labels[j] === positiveClass) dPos = Math.min(dPos, d);
      else dNeg = Math.min(dNeg, d);
    }
    if (label === test.labels[i]) correct++;
    (test.labels[i] === positiveClass ? pos : neg).push(Math.sqrt(dNeg) - Math.sqrt(dPos));
  }
  // Mann–Whitney with ties counted ½ (the project's AUC convention).
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return { accuracy: test.rows ? correct / test.rows : NaN, auc: pos.length && neg.length ? wins / (pos.length * neg.length) : NaN };
}

const pm = (s: Spread, digits = 3) => (s.count === 0 ? '–' : s.count === 1 ? fmt(s.mean, digits) : `${fmt(s.mean, digits)} ± ${fmt(s.std, 2)}`);
const pmValues = (v: readonly number[], digits = 3) => pm(spread(v), digits);

function lossName(l: { loss: LossKind; beta?: number; margin?: number }): string {
  const p = l.beta !== undefined ? ` β=${l.beta}` : l.margin !== undefined ? ` m=${l.margin}` : '';
  return `${LOSS_LABELS[l.loss]}${p}`;
}

/** A Markdown table; cells are escaped for pipes. */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
  const cell = (c: string | number) => String(c).replace(/\|/g, '\\|');
  return [`| ${headers.map(cell).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

export function csvTable(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [headers.map(csvField).join(','), ...rows.map((r) => r.map((v) => csvField(typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? '' : String(v)) : v)).join(','))].join('\n') + '\n';
}

function mainSpec(m: StudyManifest, loss: LossKind) {
  return m.landscapes.find((e) => e.spec.group === 'main' && e.spec.loss === loss)?.spec;
}

/** Table 1: counts. */
export function table1(a: StudyAnalysis): { headers: string[]; rows: (string | number)[][] } {
  return {
    headers: ['loss', 'seeds', 'quenches per seed', 'minima stored', 'of which by quenches', 'by connection searches', `reached in first ${a.commonQuenches} quenches`, 'transition states'],
    rows: a.losses.map((l) => {
      const seeds = a.landscapes.filter((s) => s.group === 'main' && s.loss === l.loss);
      return [
        LOSS_LABELS[l.loss],
        l.seeds.length,
        pmValues(l.perSeed.quenches, 4),
        pmValues(l.perSeed.minima, 4),
        pmValues(seeds.map((s) => s.minimaFromQuenches), 4),
        pmValues(seeds.map((s) => s.minimaFromConnections), 4),
        pmValues(l.perSeed.reachedAtCommon, 4),
        pmValues(l.perSeed.transitionStates, 4),
      ];
    }),
  };
}

/** Table 2: test AUC. */
export function table2(a: StudyAnalysis): { headers: string[]; rows: (string | number)[][] } {
  return {
    headers: ['loss', 'distinct minima (seeds pooled)', 'best test AUC (pooled)', 'best test AUC per seed', 'mean test AUC ± σ (minima)', 'mean train AUC ± σ', 'test AUC of the global minimum'],
    rows: a.losses.map((l) => [
      LOSS_LABELS[l.loss],
      l.pooledMinima.length,
      fmt(l.pooled.testAuc.best),
      pmValues(l.perSeed.bestTestAuc),
      pm(l.pooled.testAuc),
      pm(l.pooled.trainAuc),
      fmt(l.pooled.globalMinimum?.testAuc ?? NaN),
    ]),
  };
}

/** Table 3: Hessian and correlation. */
export function table3(a: StudyAnalysis, byId: ReadonlyMap<string, LandscapeSummary>): { headers: string[]; rows: (string | number)[][] } {
  return {
    headers: ['loss', 'mean LPPHE ± σ', 'minima with a negative eigenvalue', 'eigenvalues = 2λ per minimum', 'median ΔAUC', 'L-BFGS steps per quench (median)', 'Pearson r (loss, test AUC) [95 % CI]', 'n'],
    rows: a.losses.map((l) => {
      const seeds = [...byId.values()].filter((s) => s.group === 'main' && s.loss === l.loss);
      return [
        LOSS_LABELS[l.loss],
        pm(l.pooled.lpphe, 4),
        seeds.reduce((n, s) => n + s.notMinima, 0),
        pmValues(seeds.flatMap((s) => (s.flatCount.count ? [s.flatCount.mean] : [])), 3),
        l.deltaAuc ? fmt(l.deltaAuc.median) : '–',
        fmt(l.lbfgsPerQuench.median, 4),
        `${fmt(l.correlation.r)} ${fmtInterval(l.correlation.interval)}`,
        l.correlation.n,
      ];
    }),
  };
}

export function gridTable(rows: readonly GridRow[], parameter: 'λ' | 'β'): { headers: string[]; rows: (string | number)[][] } {
  return {
    headers: ['loss', parameter, 'landscape', 'quenches', 'distinct minima', 'best test AUC', 'mean test AUC ± σ', ...(parameter === 'β' ? ['median ΔAUC'] : []), 'L-BFGS steps per quench (mean / median)'],
    rows: rows.map((r) => [
      LOSS_LABELS[r.loss],
      fmt(r.value),
      r.landscape,
      r.quenches,
      r.minima,
      fmt(r.bestTestAuc),
      !Number.isFinite(r.meanTestAuc) ? '–' : Number.isFinite(r.stdTestAuc) ? `${fmt(r.meanTestAuc)} ± ${fmt(r.stdTestAuc, 2)}` : fmt(r.meanTestAuc),
      ...(parameter === 'β' ? [Number.isFinite(r.medianDeltaAuc) ? fmt(r.medianDeltaAuc) : '–'] : []),
      `${fmt(r.lbfgsMean, 4)} / ${fmt(r.lbfgsMedian, 4)}`,
    ]),
  };
}

function landscapeTable(landscapes: readonly LandscapeSummary[]): { headers: string[]; rows: (string | number)[][] } {
  return {
    headers: ['landscape', 'loss', 'λ', 'seed', 'quenches / target', 'minima', 'transition states (attempts)', 'best test AUC', 'mean test AUC', 'mean LPPHE', 'status'],
    rows: landscapes.map((s) => [
      s.id,
      lossName(s),
      fmt(s.l2),
      s.seed,
      `${s.quenches} / ${s.steps}`,
      s.minima,
      `${s.transitionStates} (${s.connectionAttempts})`,
      fmt(s.statistics.testAuc.best),
      fmt(s.statistics.testAuc.mean),
      fmt(s.statistics.lpphe.mean, 4),
      s.complete ? 'complete' : 'partial',
    ]),
  };
}

const VERDICT_MARK: Record<Finding['verdict'], string> = { holds: '**holds**', 'does not hold': '**does not hold**', 'not tested': '*not tested*' };

function settingsSection(input: ReportInput): string[] {
  const m = input.manifest;
  const s = input.setting;
  const b = m.budget;
  const params = (['ce', 'sigmoid', 'tanh', 'hinge', 'exp', 'quad'] as const).map((k) => mainSpec(m, k)).filter((x) => x !== undefined).map((x) => lossName(x!));
  const temps = s.calibrations.filter((c) => m.landscapes.some((e) => e.spec.id === c.id && e.spec.group === 'main' && e.spec.seed === 1));
  const out = [
    '## Settings',
    '',
    `- **Data**: ${s.dataLabel}${s.classCounts ? ` (class counts train ${s.classCounts.train.join('/')}, test ${s.classCounts.test.join('/')})` : ''}. The same data split for every landscape (data seed 1).`,
    `- **Network**: ${s.network}, tanh hidden layer, softmax output; L2 term λ‖w‖² over every weight (biases included), λ = 1e-5 unless stated.`,
    `- **Losses** (each a mean, so LPPHE values compare at the same normalisation): ${params.join(', ')}. The tanh landscape at β is exactly the sigmoid landscape at 2β (−(1+tanh(βz))/2 = −σ(2βz)), so tanh β=1 is sigmoid β=2 of the β ablation.`,
    `- **Budget** (preset \`${m.preset}\`${m.smoke ? ', smoke budget' : ''}): ${b.seeds} sampler seed(s) per main landscape, ${b.mainSteps} basin-hopping quenches each, transition states from each new minimum to its ${b.transitionStates.neighbours} nearest neighbour(s) (at most ${b.transitionStates.maxAttempts} attempts per landscape); λ and β variants: ${b.variantSteps} quenches, one seed, no transition states; session caps ${b.sessionMinutes.main} / ${b.sessionMinutes.variant} min per landscape (a capped landscape continues in the next session).`,
    `- **Sampler**: basin-hopping, one chain per landscape, Glorot-uniform start; temperature and step size ${b.fixedSampler ? `fixed (T = ${b.fixedSampler.temperature}, step ${b.fixedSampler.stepSize})` : 'calibrated once per loss, by its main landscape of seed 1, towards acceptance 0.5 (8 quenches a round); the other seeds and the λ / β variants of that loss start from the same temperature and step size, and the step size then adapts towards acceptance 0.5'}; L-BFGS memory ${s.lbfgsMemory}, converged at RMS gradient ≤ ${s.gradientTolerance}. Duplicates: energy ${s.energyTolerance} relative and aligned weight distance ${s.distanceTolerance} (hidden-unit permutations and sign flips).`,
    ...(temps.length ? [`- **Temperature / step size** (seed 1): ${temps.map((c) => `${c.id.replace(/^main-|-s1$/g, '')} T=${fmt(c.temperature)}, s=${fmt(c.stepSize)}`).join('; ')}.`] : []),
    `- **Per minimum**: train/test AUC (exact Mann–Whitney, ties ½), CE value with λ, loss without L2, dense Hessian spectrum (LAPACK): LPPHE = Σ ln λᵢ over positive eigenvalues, index, eigenvalues equal to 2λ (softmax's H+1 flat directions turned by L2: for 10 hidden units 11 of them, contributing 11·ln(2λ) ≈ ${fmt(11 * Math.log(2e-5), 4)} to every LPPHE at λ = 1e-5).`,
    `- **Statistics**: minima of all seeds pooled with duplicates across seeds merged; 95 % percentile-bootstrap intervals with ${b.bootstrapResamples} resamples; minimum samples for a verdict: 3 seeds per side, or 10 minima per side.`,
    `- **Code**: git ${s.gitCommits.length ? s.gitCommits.map((c) => c.slice(0, 12)).join(', ') : 'unknown'}; ${s.packageVersions ? Object.entries(s.packageVersions).map(([k, v]) => `${k} ${v}`).join(', ') : ''}${s.backends ? `; backends: ${Object.entries(s.backends).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}.`,
    `- **Manifests**: [study.json](study.json) lists every landscape, its database and quench log, and every session; each database holds its own run manifest (\`lossscape report landscapes/<id>.sqlite\`).`,
    '',
  ];
  return out;
}

function sessionsLine(m: StudyManifest): string {
  const done = m.sessions.filter((s) => s.wallSeconds !== undefined);
  const wall = done.reduce((t, s) => t + (s.wallSeconds ?? 0), 0);
  const q = done.reduce((t, s) => t + (s.quenches ?? 0), 0);
  const lanes = [...new Set(done.map((s) => s.lanes))].join('/');
  return `${m.sessions.length} session(s), ${fmt(wall / 60, 3)} min of wall time, ${q} quenches, ${lanes || '–'} landscape(s) at a time on ${done[0]?.cores ?? '?'} cores`;
}

function generalisationSection(input: ReportInput): string[] {
  const a = input.analysis;
  const ce = a.losses.find((l) => l.loss === 'ce');
  const nn = input.setting.nearestNeighbour;
  const lines = ['## How well do the minima generalise here?', ''];
  const rows = a.losses.map((l) => {
    const below = l.pooledMinima.filter((m) => (m.properties.testAuc ?? NaN) < 0.5).length;
    return [LOSS_LABELS[l.loss], pm(l.pooled.trainAuc), pm(l.pooled.testAuc), `${below} / ${l.pooled.testAuc.count}`];
  });
  lines.push(markdownTable(['loss', 'train AUC ± σ', 'test AUC ± σ', 'minima with test AUC < 0.5'], rows), '');
  if (nn) lines.push(`A 1-nearest-neighbour classifier on the same split reaches test accuracy ${fmt(nn.accuracy * 100, 3)} % and test AUC ${fmt(nn.auc)}.`);
  if (ce && ce.pooled.trainAuc.count && ce.pooled.testAuc.count) {
    const gap = ce.pooled.trainAuc.mean - ce.pooled.testAuc.mean;
    lines.push(
      `The CE minima fit the training data (mean train AUC ${fmt(ce.pooled.trainAuc.mean)}) far better than the held-out data (mean test AUC ${fmt(ce.pooled.testAuc.mean)}, a gap of ${fmt(gap)}).` +
        (ce.pooled.testAuc.mean < 0.5
          ? ' A mean test AUC below 0.5 means the typical minimum ranks held-out points worse than chance: with this network and this split, minima do not generalise, and statements about test AUC below describe that regime, not the study\'s.'
          : ''),
    );
  }
  lines.push('');
  return lines;
}

/** REPORT.md as a string. */
export function renderReportMarkdown(input: ReportInput): string {
  const { manifest: m, analysis: a, findings } = input;
  const complete = m.landscapes.filter((e) => e.complete).length;
  const partial = complete < m.landscapes.length;
  const byId = new Map(a.landscapes.map((s) => [s.id, s]));
  const dataName = m.dataset.kind === 'csv' ? (m.dataset.path ?? 'csv') : m.dataset.kind === 'credit' ? 'credit-card fraud' : 'two spirals';
  const out: string[] = [
    `# AUC-landscape study, reproduced: ${dataName} (\`${m.preset}\`${m.smoke ? ', smoke budget' : ''})`,
    '',
    partial
      ? `> **PARTIAL**: ${complete} of ${m.landscapes.length} landscapes have reached their step budgets. Numbers below are from what exists; run the same command again to continue every database from its checkpoint and rebuild this report.`
      : `> Complete: all ${m.landscapes.length} landscapes reached their step budgets.`,
    '',
    `Generated ${input.generatedAt} by \`lossscape study\` · ${sessionsLine(m)}.`,
    '',
    'Reference: M. P. Niroomand, C. T. Cafolla, J. W. R. Morgan, D. J. Wales, "Characterising the area under the curve loss function landscape", *Mach. Learn.: Sci. Technol.* 3 (2022) 015019. ' +
      "The paper's tables 1–4 were not available to this project; the published column quotes its findings as its abstract and the project's issue 10 state them (numbers only where they give numbers: the CE values at the sigmoid minima).",
    '',
    '## Findings',
    '',
    'A directional claim **holds** when the whole 95 % bootstrap interval of the difference lies on its side of 0 and **does not hold** when it lies wholly on the other side; a published value holds when it lies inside this run\'s interval. *Not tested* means the samples are too small to tell (too few seeds or minima, or an interval that includes 0).',
    '',
    markdownTable(
      ['#', 'claim', 'published', 'this run', 'sample', 'estimate [95 % CI]', 'verdict'],
      findings.map((f, i) => [i + 1, f.claim, f.published, f.measured, f.sample, `${fmt(f.estimate)} ${fmtInterval(f.interval)}`, `${VERDICT_MARK[f.verdict]}: ${f.reason}`]),
    ),
    '',
    ...generalisationSection(input),
    ...settingsSection(input),
    '## Tables 1–3: the landscapes of each loss',
    '',
    `Per-seed numbers are mean ± σ over seeds; "pooled" numbers are over the minima of all seeds, duplicates merged. Minimum counts are compared at an equal budget: the distinct minima reached by the first ${a.commonQuenches} quenches of each seed (the smallest number every main landscape that has started has done; finding 1 compares sigmoid with CE at the smallest number those two have done).`,
    '',
    '**Table 1** — minima and transition states',
    '',
    markdownTable(table1(a).headers, table1(a).rows),
    '',
    '**Table 2** — test AUC',
    '',
    markdownTable(table2(a).headers, table2(a).rows),
    '',
    '**Table 3** — Hessian (LPPHE), ΔAUC, L-BFGS cost, and the loss–test-AUC correlation',
    '',
    markdownTable(table3(a, byId).headers, table3(a, byId).rows),
    '',
    'ΔAUC = |−(mean pair loss without L2) − train AUC| (sigmoid and tanh only: how far the surrogate is from the AUC it approximates).',
    '',
    '## Table 4: test AUC against λ',
    '',
    `Each row uses the first ${m.budget.variantSteps} quenches of its landscape (λ = 1e-5: the main landscape of seed 1).`,
    '',
    markdownTable(gridTable(a.lambdaRows, 'λ').headers, gridTable(a.lambdaRows, 'λ').rows),
    '',
    '## β ablation (figures 6 and 7)',
    '',
    `Each row uses the first ${m.budget.variantSteps} quenches of its landscape (sigmoid β = 40 and exp β = 1: the main landscapes of seed 1). Tanh at β equals sigmoid at 2β.`,
    '',
    markdownTable(gridTable(a.betaRows, 'β').headers, gridTable(a.betaRows, 'β').rows),
    '',
    '## Sigmoid minima in the CE landscape',
    '',
    mappingParagraph(a),
    '',
    '## Figures',
    '',
    ...input.figures.flatMap((f) => [`**${f.name}** — ${f.caption}`, '', `![${f.name}](figures/${f.name}.svg)`, '']),
    '## Every landscape',
    '',
    markdownTable(landscapeTable(a.landscapes).headers, landscapeTable(a.landscapes).rows),
    '',
    '## Files',
    '',
    '- `findings.csv`, `table1.csv`, `table2.csv`, `table3.csv`, `table4-lambda.csv`, `ablation-beta.csv`, `mapping.csv`, `landscapes.csv`, `discovery.csv`: the numbers above.',
    '- `report.json`: everything above as data.',
    '- `figures/*.svg` and `figures/*.png`.',
    '- `landscapes/<id>.sqlite` (open with `lossscape report`, `graph`, `export`) and `landscapes/<id>.quenches.csv` (step, minimum reached, L-BFGS iterations, converged).',
    '',
    '## Reproduce or extend',
    '',
    '```sh',
    `lossscape study --preset ${m.preset} --dataset ${m.dataset.kind === 'csv' ? (m.dataset.path ?? '<csv>') : m.dataset.kind} --out <this folder>${m.smoke ? ' --budget smoke' : ''}`,
    '```',
    '',
    'Running it again continues every database from its checkpoint (up to the step budgets) and rebuilds this report; a larger preset or `--seeds` adds work to the same folder.',
    '',
  ];
  return out.join('\n');
}

function mappingParagraph(a: StudyAnalysis): string {
  const mp = a.mapping;
  if (mp.ceValue.count === 0) return 'No sigmoid minima yet.';
  const lines = [
    `CE value (with λ) at the ${mp.ceValue.count} sigmoid minima (seeds pooled): mean ${fmt(mp.ceValue.mean)}, median ${fmt(mp.ceValue.median)} (the study reports 1.2 and 0.8); range ${fmt(mp.ceValue.min)}–${fmt(mp.ceValue.max)}.`,
  ];
  if (mp.rows.length) {
    lines.push(
      ` ${mp.rows.length} of them were quenched in the CE landscape of the same seed: ${mp.converged} converged; ${mp.known} fell into a CE minimum the CE exploration had found (${mp.distinctTargets} distinct ones), the others into CE minima it had not. ` +
        `Aligned distance travelled: mean ${fmt(mp.distance.mean)}, median ${fmt(mp.distance.median)}; L-BFGS steps: mean ${fmt(mp.steps.mean, 4)}, median ${fmt(mp.steps.median, 4)}. Every mapped minimum is listed in \`mapping.csv\`.`,
    );
  }
  return lines.join('');
}

function lossSummaryJson(l: LossSummary) {
  const { pooledMinima: _omit, ...rest } = l;
  return rest;
}

/** Writes REPORT.md, the CSVs, report.json and the figures (SVG and PNG) into `dir`. */
export async function writeStudyReport(dir: string, input: ReportInput, figures: readonly Figure[], options: { png?: boolean; signal?: AbortSignal } = {}): Promise<string[]> {
  const written: string[] = [];
  const write = (name: string, content: string | Uint8Array) => {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    written.push(name);
  };
  const a = input.analysis;
  const byId = new Map(a.landscapes.map((s) => [s.id, s]));
  for (const f of figures) {
    write(`figures/${f.name}.svg`, f.svg);
    if (options.png !== false) write(`figures/${f.name}.png`, await renderDisconnectivityPng(f.svg, options.signal ? { signal: options.signal } : {}));
  }
  write(
    'findings.csv',
    csvTable(
      ['id', 'claim', 'published', 'measured', 'sample', 'estimate', 'ci_low', 'ci_high', 'verdict', 'reason'],
      input.findings.map((f) => [f.id, f.claim, f.published, f.measured, f.sample, f.estimate, f.interval?.low, f.interval?.high, f.verdict, f.reason]),
    ),
  );
  for (const [name, t] of [
    ['table1.csv', table1(a)],
    ['table2.csv', table2(a)],
    ['table3.csv', table3(a, byId)],
    ['table4-lambda.csv', gridTable(a.lambdaRows, 'λ')],
    ['ablation-beta.csv', gridTable(a.betaRows, 'β')],
    ['landscapes.csv', landscapeTable(a.landscapes)],
  ] as const) {
    write(name, csvTable(t.headers, t.rows));
  }
  write(
    'mapping.csv',
    csvTable(
      ['sigmoid_landscape', 'sigmoid_minimum', 'sigmoid_energy', 'sigmoid_test_auc', 'ce_value_at_sigmoid_minimum', 'ce_landscape', 'ce_minimum_id', 'ce_energy', 'ce_test_auc', 'converged', 'aligned_distance', 'lbfgs_steps'],
      a.mapping.rows.map((r) => [r.sigmoidLandscape, r.sourceId, r.sourceEnergy, r.sourceTestAuc, r.ceValue, r.ceLandscape, r.targetId ?? '', r.ceEnergy, r.targetTestAuc ?? '', r.converged ? 1 : 0, r.distance, r.steps]),
    ),
  );
  write('REPORT.md', renderReportMarkdown(input));
  write(
    'report.json',
    toJson({
      generatedAt: input.generatedAt,
      preset: input.manifest.preset,
      smoke: input.manifest.smoke,
      dataset: input.manifest.dataset,
      budget: input.manifest.budget,
      setting: input.setting,
      findings: input.findings,
      commonQuenches: a.commonQuenches,
      losses: a.losses.map(lossSummaryJson),
      landscapes: a.landscapes,
      lambda: a.lambdaRows,
      beta: a.betaRows,
      mapping: { ...a.mapping, rows: undefined },
      figures: figures.map((f) => ({ name: f.name, caption: f.caption })),
    }),
  );
  return written;
}

// SPDX-License-Identifier: MIT
/**
 * `lossscape hessian`: the exact float64 Hessian spectrum of a minimum — a model trained
 * elsewhere (TensorFlow.js model.json, Keras .keras/.h5, safetensors, NPY/JSON weights) on a
 * CSV, or stored minima of a run database — with LPPHE, index, condition number and the
 * softmax flat directions, and a spectrum plot.
 *
 *   lossscape hessian --model trained/model.json --data creditcard.csv --loss sigmoid --beta 40 --json
 *   lossscape hessian --db runs/credit/landscape.sqlite --minimum all --plot spectrum.svg
 *
 * Cost: the Hessian is O(N·C·W²) plus O(N⁺·N⁻·W) for the sigmoid and tanh losses, the
 * eigenvalues O(W³) (LAPACK); W = 332 for a 30-10-2 network takes well under a second.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { LandscapeError, TOL, hessianIndex, lpphe, rms, type LppheResult } from '@lossscape/numeric';
import { loadDataset, readCsvFile, type LabelledSet } from '@lossscape/data';
import { auc, createLossPotential, predictScores, type LossKind, type LossSpec, type ModelSpec } from '@lossscape/tensor-core';
import { loadModelFile, requireFeatureCount } from '@lossscape/tensor-core/io';
import { symEigvalsAsync } from '@lossscape/hessian-native';
import { openSqliteStore, renderDisconnectivityPng, type MinimumRecord } from '@lossscape/landscape';
import type { CliContext } from '../context.js';
import { prepareRunFromManifest } from '../engine/run.js';
import { UsageError } from '../errors.js';
import { nonNegativeInteger, nonNegativeNumber, positiveNumber } from '../options.js';

const LOSS_KINDS: readonly LossKind[] = ['ce', 'sigmoid', 'tanh', 'hinge', 'exp', 'quad'];
/** Networks with at least this many weights get progress lines on stderr. */
const PROGRESS_MIN_WEIGHTS = 200;

export interface HessianOptions {
  readonly model?: string;
  readonly data?: string;
  readonly label?: string;
  readonly split?: string;
  readonly loss?: string;
  readonly beta?: number;
  readonly margin?: number;
  readonly l2?: number;
  readonly row?: number;
  readonly db?: string;
  readonly minimum?: string;
  readonly json?: boolean;
  readonly plot?: string;
}

/** Everything the command reports for one minimum (the --json object). */
export interface HessianReport {
  readonly source: string;
  readonly minimumId?: number;
  readonly model: ModelSpec;
  readonly weightCount: number;
  readonly data: { readonly name: string; readonly rows: number; readonly positives: number };
  readonly loss: { readonly kind: LossKind; readonly beta?: number; readonly margin?: number; readonly positiveClass: number };
  readonly l2: number;
  readonly energy: number;
  readonly dataLoss: number;
  readonly rmsGradient: number;
  /** RMS gradient ≤ 1e-10, the study's criterion. */
  readonly converged: boolean;
  /** Ascending. */
  readonly eigenvalues: readonly number[];
  readonly lpphe: LppheResult;
  /** Eigenvalues below −TOL.F64_HESSIAN_INDEX × max|λ|. */
  readonly index: number;
  /** max|λ| / min|λ| (Infinity when an eigenvalue is exactly 0). */
  readonly conditionNumber: number;
  /** Eigenvalues equal to 2λ within TOL.F64_EIGEN × max|λ|. */
  readonly flatCount: number;
  /** H + 1: the softmax flat directions, which L2 turns into eigenvalues exactly 2λ. */
  readonly expectedFlatCount: number;
  readonly auc: number;
  readonly notes: readonly string[];
  readonly plot?: string;
}

interface Problem {
  readonly source: string;
  readonly minimumId?: number;
  readonly model: ModelSpec;
  readonly weights: Float64Array;
  readonly data: LabelledSet;
  readonly dataName: string;
  readonly loss: LossSpec;
  readonly l2: number;
  readonly notes: readonly string[];
}

function progress(ctx: CliContext | undefined, weightCount: number, line: string): void {
  if (ctx && weightCount >= PROGRESS_MIN_WEIGHTS) ctx.stderr.write(`lossscape hessian: ${line}\n`);
}

/** Loss, gradient, dense Hessian, spectrum and its summaries for one minimum. */
export async function analyseMinimum(problem: Problem, ctx?: CliContext): Promise<HessianReport> {
  const { model, weights, data, loss, l2 } = problem;
  const potential = createLossPotential({ model, data: { features: data.features, labels: data.labels }, loss, l2 });
  const W = potential.dimension;
  const gradient = new Float64Array(W);
  const energy = potential.energyGradient(weights, gradient);
  const rmsGradient = rms(gradient);
  const t0 = Date.now();
  progress(ctx, W, `building the ${W}×${W} Hessian on ${data.rows} rows (${potential.loss.kind})…`);
  const h = potential.hessian(weights);
  progress(ctx, W, `Hessian in ${Date.now() - t0} ms; eigenvalues (LAPACK)…`);
  const eigenvalues = await symEigvalsAsync(h, W);
  progress(ctx, W, `spectrum done in ${Date.now() - t0} ms`);
  let maxAbs = 0;
  let minAbs = Infinity;
  for (const v of eigenvalues) {
    maxAbs = Math.max(maxAbs, Math.abs(v));
    minAbs = Math.min(minAbs, Math.abs(v));
  }
  const flatTol = TOL.F64_EIGEN * maxAbs;
  let flatCount = 0;
  for (const v of eigenvalues) if (Math.abs(v - 2 * l2) <= flatTol) flatCount++;
  const positiveClass = potential.loss.positiveClass;
  const positives = data.labels.reduce((n, c) => n + (c === positiveClass ? 1 : 0), 0);
  const aucValue =
    positives > 0 && positives < data.rows ? auc(predictScores(model, weights, data.features, positiveClass), data.labels, positiveClass) : Number.NaN;
  const r = potential.loss;
  return {
    source: problem.source,
    ...(problem.minimumId !== undefined ? { minimumId: problem.minimumId } : {}),
    model,
    weightCount: W,
    data: { name: problem.dataName, rows: data.rows, positives },
    loss: { kind: r.kind, ...(Number.isNaN(r.beta) ? {} : { beta: r.beta }), ...(Number.isNaN(r.margin) ? {} : { margin: r.margin }), positiveClass },
    l2,
    energy,
    dataLoss: potential.dataLoss(weights),
    rmsGradient,
    converged: rmsGradient <= TOL.RMS_GRADIENT_CONVERGED,
    eigenvalues: Array.from(eigenvalues),
    lpphe: lpphe(eigenvalues),
    index: hessianIndex(eigenvalues, TOL.F64_HESSIAN_INDEX),
    conditionNumber: minAbs === 0 ? Infinity : maxAbs / minAbs,
    flatCount,
    expectedFlatCount: model.hidden + 1,
    auc: aucValue,
    notes: problem.notes,
  };
}

// ── Spectrum plot ────────────────────────────────────────────────────────────────────────────

export interface SpectrumPlotOptions {
  readonly title?: string;
  /** Draws a marker at this eigenvalue (2λ). */
  readonly marker?: number;
  readonly bins?: number;
  readonly width?: number;
  readonly height?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * SVG histogram of eigenvalues on a symmetric log scale: x = sign(λ)·log10(1 + |λ|/c), linear
 * within ±c (c: the decade of the smallest non-zero |λ|), logarithmic beyond, so negative,
 * tiny (2λ) and large eigenvalues all show.
 */
export function spectrumSvg(eigenvalues: ArrayLike<number>, options: SpectrumPlotOptions = {}): string {
  const width = options.width ?? 800;
  const height = options.height ?? 420;
  const bins = options.bins ?? 60;
  const values = Array.from(eigenvalues);
  let minNonZero = Infinity;
  let maxAbs = 0;
  for (const v of values) {
    if (v !== 0) minNonZero = Math.min(minNonZero, Math.abs(v));
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const c = Number.isFinite(minNonZero) ? 10 ** Math.floor(Math.log10(minNonZero)) : 1;
  const tr = (v: number) => Math.sign(v) * Math.log10(1 + Math.abs(v) / c);
  const hasNegative = values.some((v) => v < 0);
  const hi = Math.max(tr(maxAbs), 1);
  const lo = hasNegative ? -hi : 0;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(((tr(v) - lo) / (hi - lo)) * bins)))]++;
  const top = Math.max(1, ...counts);
  const m = { left: 56, right: 20, top: 40, bottom: 56 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const x = (t: number) => m.left + ((t - lo) / (hi - lo)) * pw;
  const y = (n: number) => m.top + ph - (n / top) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  if (options.title) parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${esc(options.title)}</text>`);
  const bw = pw / bins;
  counts.forEach((n, k) => {
    if (n === 0) return;
    const binMid = lo + ((k + 0.5) / bins) * (hi - lo);
    parts.push(
      `<rect x="${(m.left + k * bw + 0.5).toFixed(2)}" y="${y(n).toFixed(2)}" width="${Math.max(bw - 1, 0.5).toFixed(2)}" height="${(m.top + ph - y(n)).toFixed(2)}" fill="${binMid < 0 ? '#c0392b' : '#2e86c1'}"><title>${n}</title></rect>`,
    );
  });
  // Axes and decade ticks at ±c·10^k.
  parts.push(`<line x1="${m.left}" y1="${m.top + ph}" x2="${m.left + pw}" y2="${m.top + ph}" stroke="#333"/>`);
  parts.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="#333"/>`);
  const decades = Math.ceil(Math.log10(Math.max(maxAbs / c, 1)));
  const step = Math.max(1, Math.ceil(decades / 8));
  const ticks: number[] = [0];
  for (let k = 0; k <= decades; k += step) {
    ticks.push(c * 10 ** k);
    if (hasNegative) ticks.push(-c * 10 ** k);
  }
  // Labels must not overlap: 0 first, then the largest magnitudes, skipping any too close.
  const placed: number[] = [];
  for (const v of ticks.sort((a, b) => (a === 0 ? -1 : b === 0 ? 1 : Math.abs(b) - Math.abs(a)))) {
    const tx = x(tr(v));
    if (tx < m.left - 0.5 || tx > m.left + pw + 0.5 || placed.some((p) => Math.abs(p - tx) < 34)) continue;
    placed.push(tx);
    parts.push(`<line x1="${tx.toFixed(2)}" y1="${m.top + ph}" x2="${tx.toFixed(2)}" y2="${m.top + ph + 5}" stroke="#333"/>`);
    parts.push(`<text x="${tx.toFixed(2)}" y="${m.top + ph + 18}" text-anchor="middle">${v === 0 ? '0' : v.toExponential(0).replace('e+', 'e')}</text>`);
  }
  for (const n of [0, top]) parts.push(`<text x="${m.left - 6}" y="${(y(n) + 4).toFixed(2)}" text-anchor="end">${n}</text>`);
  if (options.marker !== undefined && options.marker > 0) {
    const mx = x(tr(options.marker));
    parts.push(`<line x1="${mx.toFixed(2)}" y1="${m.top}" x2="${mx.toFixed(2)}" y2="${m.top + ph}" stroke="#7d3c98" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${(mx + 4).toFixed(2)}" y="${m.top + 12}" fill="#7d3c98">2λ = ${options.marker.toExponential(1)}</text>`);
  }
  parts.push(`<text x="${m.left + pw / 2}" y="${height - 12}" text-anchor="middle">eigenvalue (symmetric log scale, linear within ±${c.toExponential(0)})</text>`);
  parts.push(`<text x="14" y="${m.top + ph / 2}" text-anchor="middle" transform="rotate(-90 14 ${m.top + ph / 2})">count</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

async function writePlot(file: string, report: HessianReport): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw new UsageError(`Expected a .svg or .png file for --plot but received '${file}'`);
  const title = `${report.source}${report.minimumId !== undefined ? ` #${report.minimumId}` : ''}: ${report.weightCount} eigenvalues, index ${report.index}, LPPHE ${report.lpphe.value.toFixed(2)}`;
  const svg = spectrumSvg(report.eigenvalues, { title, marker: report.l2 > 0 ? 2 * report.l2 : undefined });
  await writeFile(file, ext === '.svg' ? svg : await renderDisconnectivityPng(svg));
}

/** `spectrum.svg` → `spectrum-7.svg` when several minima are plotted. */
function plotPath(file: string, id: number | undefined, many: boolean): string {
  if (!many || id === undefined) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${id}${ext}`;
}

// ── Text output ──────────────────────────────────────────────────────────────────────────────

const g = (v: number, digits = 6) => (Number.isFinite(v) ? (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6) || v === 0 ? v.toPrecision(digits) : v.toExponential(digits - 1) : String(v));

function lossText(r: HessianReport['loss']): string {
  return `${r.kind}${r.beta !== undefined ? ` β=${r.beta}` : ''}${r.margin !== undefined ? ` m=${r.margin}` : ''}${r.positiveClass !== 1 ? `, positive class ${r.positiveClass}` : ''}`;
}

export function formatReport(r: HessianReport): string[] {
  const ev = r.eigenvalues;
  const head = (n: number) => ev.slice(0, n).map((v) => g(v, 4)).join(', ');
  const tail = (n: number) => ev.slice(-n).map((v) => g(v, 4)).join(', ');
  const lines = [
    `minimum    ${r.source}${r.minimumId !== undefined ? ` #${r.minimumId}` : ''}  (${r.model.inputs}-${r.model.hidden}-${r.model.classes}, ${r.weightCount} weights)`,
    `data       ${r.data.name}: ${r.data.rows} rows, ${r.data.positives} positive`,
    `loss       ${lossText(r.loss)}, λ = ${g(r.l2, 3)} (every loss is a mean)`,
    `energy     ${g(r.energy, 12)}  (data loss ${g(r.dataLoss, 12)})`,
    `gradient   RMS ${g(r.rmsGradient, 3)}${r.converged ? ' — converged (≤ 1e-10)' : ' — NOT a converged minimum (criterion RMS ≤ 1e-10)'}`,
    `spectrum   ${ev.length} eigenvalues in [${g(ev[0], 4)}, ${g(ev[ev.length - 1], 4)}]`,
    `  lowest   ${head(Math.min(6, ev.length))}`,
    `  highest  ${tail(Math.min(6, ev.length))}`,
    `index      ${r.index}${r.index === 0 ? ' (a minimum)' : ` negative eigenvalue${r.index === 1 ? '' : 's'}: not a minimum`}`,
    `LPPHE      ${g(r.lpphe.value, 8)} over ${r.lpphe.positiveCount} positive eigenvalues (${r.lpphe.negativeCount} negative, ${r.lpphe.zeroCount} zero, ${r.lpphe.droppedCount} dropped)`,
    `flat       ${r.flatCount} eigenvalues equal to 2λ = ${g(2 * r.l2, 3)} (softmax flat directions: H + 1 = ${r.expectedFlatCount})`,
    `condition  ${g(r.conditionNumber, 4)} (max|λ| / min|λ|)`,
    `AUC        ${g(r.auc, 6)} on these rows`,
  ];
  for (const n of r.notes) lines.push(`note       ${n}`);
  if (r.plot) lines.push(`plot       ${r.plot}`);
  return lines;
}

// ── Inputs ───────────────────────────────────────────────────────────────────────────────────

function lossFromOptions(o: HessianOptions): LossSpec {
  if (o.loss === undefined) throw new UsageError(`Expected --loss <kind> (one of ${LOSS_KINDS.join(', ')}) with --model but received none`);
  if (!(LOSS_KINDS as readonly string[]).includes(o.loss)) throw new UsageError(`Expected one of ${LOSS_KINDS.join(', ')} for --loss but received '${o.loss}'`);
  return { kind: o.loss as LossKind, ...(o.beta !== undefined ? { beta: o.beta } : {}), ...(o.margin !== undefined ? { margin: o.margin } : {}) };
}

function loadRows(o: HessianOptions, cwd: string): { set: LabelledSet; name: string } {
  if (o.data === undefined) throw new UsageError('Expected --data <csv> with --model but received none');
  const file = path.resolve(cwd, o.data);
  if (o.split === undefined) {
    const set = readCsvFile(file, o.label !== undefined ? { label: o.label } : {});
    return { set, name: `${o.data} (all rows as given)` };
  }
  if (o.split !== 'train' && o.split !== 'test') throw new UsageError(`Expected 'train' or 'test' for --split but received '${o.split}'`);
  const prepared = loadDataset({ kind: 'csv', path: file, ...(o.label !== undefined ? { label: o.label } : {}) });
  return { set: prepared[o.split], name: `${o.data} (${o.split} split: duplicates dropped, 80/20 stratified, standardised on train)` };
}

async function modelProblem(o: HessianOptions, ctx: CliContext): Promise<Problem> {
  const loss = lossFromOptions(o);
  const { set, name } = loadRows(o, ctx.cwd);
  const file = path.resolve(ctx.cwd, o.model!);
  const imported = await loadModelFile(file, { inputs: set.featureCount, classes: set.classes, ...(o.row !== undefined ? { row: o.row } : {}) });
  requireFeatureCount(imported, set.featureCount, o.data!);
  const notes = [`read as ${imported.format}${imported.output !== 'vector' ? ` (output ${imported.output})` : ''}`, ...imported.notes];
  return { source: o.model!, model: imported.model, weights: imported.weights, data: set, dataName: name, loss, l2: o.l2 ?? 1e-5, notes };
}

async function dbProblems(o: HessianOptions, ctx: CliContext): Promise<Problem[]> {
  const file = path.resolve(ctx.cwd, o.db!);
  const store = await openSqliteStore(file, { readonly: true });
  try {
    const manifest = await store.getManifest();
    if (!manifest) throw new LandscapeError(`Expected a run manifest in ${o.db} but received none (was it written by lossscape explore?)`, 'ERR_DATABASE');
    // The same model, loss, λ and training data the run explored (data re-created and checked).
    const run = prepareRunFromManifest(manifest, o.db!);
    const which = o.minimum ?? 'all';
    let minima: MinimumRecord[];
    if (which === 'all') minima = await store.minima();
    else {
      const id = Number(which);
      if (!Number.isInteger(id) || id < 1) throw new UsageError(`Expected a minimum id (1, 2, …) or 'all' for --minimum but received '${which}'`);
      const m = await store.getMinimum(id);
      if (!m) throw new UsageError(`Expected a minimum with id ${id} in ${o.db} but received none (the database holds ${await store.minimumCount()})`);
      minima = [m];
    }
    if (minima.length === 0) throw new UsageError(`Expected at least one minimum in ${o.db} but received none`);
    const dataName = `${run.dataset.summary.source} (training split, re-created from the manifest)`;
    return minima.map((m) => ({
      source: o.db!,
      minimumId: m.id,
      model: run.model,
      weights: m.coordinates,
      data: run.dataset.train,
      dataName,
      loss: run.loss,
      l2: run.config.l2,
      notes: [],
    }));
  } finally {
    await store.close();
  }
}

// ── Command ──────────────────────────────────────────────────────────────────────────────────

export async function runHessian(o: HessianOptions, ctx: CliContext): Promise<HessianReport[]> {
  if ((o.model === undefined) === (o.db === undefined)) throw new UsageError('Expected exactly one of --model <file> or --db <run.sqlite> for hessian but received ' + (o.model ? 'both' : 'neither'));
  if (o.db !== undefined) {
    for (const flag of ['data', 'loss', 'beta', 'margin', 'l2', 'label', 'split', 'row'] as const) {
      if (o[flag] !== undefined) throw new UsageError(`Expected no --${flag} with --db (the run's manifest defines it) but received ${String(o[flag])}`);
    }
  } else if (o.minimum !== undefined) throw new UsageError(`Expected --minimum only with --db but received --minimum ${o.minimum}`);
  const problems = o.model !== undefined ? [await modelProblem(o, ctx)] : await dbProblems(o, ctx);
  const reports: HessianReport[] = [];
  for (const p of problems) {
    let report = await analyseMinimum(p, ctx);
    if (o.plot !== undefined) {
      const file = plotPath(path.resolve(ctx.cwd, o.plot), p.minimumId, problems.length > 1);
      await writePlot(file, report);
      report = { ...report, plot: file };
    }
    reports.push(report);
  }
  return reports;
}

/** JSON.stringify with Infinity/NaN as strings (JSON has neither). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);
}

export function registerHessian(program: Command, ctx: CliContext): Command {
  return program
    .command('hessian')
    .description('Hessian spectrum, LPPHE, index and condition number of a minimum: a model trained elsewhere, or minima of a run database')
    .option('--model <file>', 'TensorFlow.js model.json (or its folder), Keras .keras/.h5, safetensors, NPY or JSON weight vector')
    .option('--data <csv>', 'CSV the loss is evaluated on (with --model)')
    .option('--label <column>', 'label column of the CSV (default: the last column)')
    .option('--split <part>', "use the project's train or test split of the CSV (duplicates dropped, 80/20 stratified, standardised on train) instead of all rows as given")
    .option('--loss <kind>', `loss: ${LOSS_KINDS.join(' | ')} (with --model)`)
    .option('--beta <number>', 'β of sigmoid (default 40), tanh (1), exp (1)', positiveNumber('--beta'))
    .option('--margin <number>', 'margin of hinge and quad (default 1)', positiveNumber('--margin'))
    .option('--l2 <number>', 'λ of the L2 term λ‖w‖² (default 1e-5)', nonNegativeNumber('--l2'))
    .option('--row <index>', 'which weight vector of a K×W NPY/JSON file (0-based)', nonNegativeInteger('--row'))
    .option('--db <run.sqlite>', 'a run database (model, loss, λ and data from its manifest)')
    .option('--minimum <id|all>', "minimum id in the database, or 'all' (default)")
    .option('--json', 'print every number as JSON (all eigenvalues)')
    .option('--plot <file>', 'write a histogram of the eigenvalues (symmetric log scale) as .svg or .png')
    .addHelpText(
      'after',
      '\nExamples:\n  lossscape hessian --model trained/model.json --data creditcard.csv --loss sigmoid --beta 40\n  lossscape hessian --db runs/spiral/landscape.sqlite --minimum 3 --json --plot spectrum.png\n',
    )
    .action(async (o: HessianOptions) => {
      const reports = await runHessian(o, ctx);
      if (o.json) {
        ctx.stdout.write(toJson(reports.length === 1 && o.db === undefined ? reports[0] : reports) + '\n');
        return;
      }
      reports.forEach((r, k) => {
        if (k > 0) ctx.stdout.write('\n');
        ctx.stdout.write(formatReport(r).join('\n') + '\n');
      });
    });
}

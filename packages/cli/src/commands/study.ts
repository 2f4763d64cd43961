// SPDX-License-Identifier: MIT
/**
 * `lossscape study`: the reference study's tables and figures from one command — CE and the five
 * AUC surrogates explored on the same network, split and budget (several seeds each), the λ and
 * β ablations, the sigmoid → CE mapping — and a report folder saying which findings hold.
 * Resumable: the same command continues every database and rebuilds the report.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { createDashboardStore, formatLogLine, formatSummaryLine, isInteractiveTerminal, renderDashboard, type DashboardHandle, type DashboardStore, type RunInfo } from '@lossscape/dashboard';
import type { SamplerEvent } from '@lossscape/sampler';
import { println, type CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { toJson } from '../database.js';
import { positiveInteger } from '../options.js';
import { STUDY_PRESET_NAMES, type StudyDataset, type StudyPresetName } from '../study/plan.js';
import { runStudy, type StudyResult } from '../study/run-study.js';
import type { LandscapeJob, StudyControl, StudyRunEvent } from '../study/runner.js';

interface StudyFlags {
  preset?: StudyPresetName;
  dataset?: string;
  label?: string;
  out?: string;
  seeds?: number;
  lanes?: number;
  budget?: 'smoke';
  reportOnly?: boolean;
  mapping?: boolean;
  png?: boolean;
  tui?: boolean;
  json?: boolean;
}

function datasetOf(flags: StudyFlags, ctx: CliContext): StudyDataset | undefined {
  if (flags.dataset === undefined) {
    if (flags.label !== undefined) throw new UsageError('Expected --dataset <csv> with --label but received no --dataset');
    return undefined;
  }
  if (flags.dataset === 'spiral' || flags.dataset === 'credit') {
    if (flags.label !== undefined) throw new UsageError(`Expected no --label with the built-in data set '${flags.dataset}' but received '${flags.label}'`);
    return { kind: flags.dataset };
  }
  const file = path.resolve(ctx.cwd, flags.dataset);
  if (!existsSync(file)) throw new UsageError(`Expected spiral, credit or an existing CSV file for --dataset but received '${flags.dataset}' (no such file)`);
  return { kind: 'csv', path: file, ...(flags.label !== undefined ? { label: flags.label } : {}) };
}

function describeJob(job: LandscapeJob): string {
  const c = job.config;
  const p = c.loss.beta !== undefined ? ` β=${c.loss.beta}` : c.loss.margin !== undefined ? ` m=${c.loss.margin}` : '';
  return `${c.loss.kind}${p}, λ=${c.l2}, seed ${c.sampler.seed}`;
}

function runInfoOf(job: LandscapeJob, beside: number): RunInfo {
  return {
    name: `landscape ${job.index} of ${job.total}: ${job.spec.id}${beside > 0 ? ` (+${beside} running beside it)` : ''}`,
    data: job.config.dataset.kind === 'csv' ? (job.config.dataset.path ?? 'csv') : job.config.dataset.kind,
    loss: describeJob(job),
    budget: { chains: 1, stepsPerChain: job.spec.steps, ...(job.config.sampler.timeMinutes !== null ? { timeMs: job.config.sampler.timeMinutes * 60_000 } : {}) },
  };
}

/** The dashboard follows one running landscape at a time; when it ends, the next running one. */
class DashboardFollower {
  private current: { id: string; handle: DashboardHandle } | undefined;
  private mounting: { id: string; buffer: SamplerEvent[] } | undefined;
  private exiting: Promise<void> = Promise.resolve();
  private readonly running = new Map<string, LandscapeJob>();
  control: StudyControl | undefined;

  constructor(private readonly stop: () => void) {}

  onEvent(e: StudyRunEvent): void {
    const id = e.job.spec.id;
    if (e.type === 'landscape-started') {
      this.running.set(id, e.job);
      if (!this.current && !this.mounting) this.mount(e.job);
    } else if (e.type === 'landscape-event') {
      if (this.current?.id === id) this.current.handle.push(e.event);
      else if (this.mounting?.id === id && this.mounting.buffer.length < 2000) this.mounting.buffer.push(e.event);
    } else {
      this.running.delete(id);
      if (this.current?.id === id) {
        const handle = this.current.handle;
        this.current = undefined;
        handle.end();
        this.exiting = handle.waitUntilExit().catch(() => undefined);
        const next = [...this.running.values()][0];
        if (next) this.mount(next);
      } else if (this.mounting?.id === id) {
        this.mounting = undefined;
      }
    }
  }

  private mount(job: LandscapeJob): void {
    const pending = { id: job.spec.id, buffer: [] as SamplerEvent[] };
    this.mounting = pending;
    // Ink keeps one instance per stream: the previous dashboard must have exited first.
    void this.exiting.then(() => {
      if (this.mounting !== pending) return;
      this.mounting = undefined;
      const handle = renderDashboard({
        runInfo: runInfoOf(job, Math.max(0, this.running.size - 1)),
        onPause: () => this.control?.pause(),
        onResume: () => this.control?.resume(),
        onQuit: this.stop,
      });
      for (const event of pending.buffer) handle.push(event);
      this.current = { id: job.spec.id, handle };
      if (!this.running.has(job.spec.id)) {
        this.current = undefined;
        handle.end();
        this.exiting = handle.waitUntilExit().catch(() => undefined);
      }
    });
  }

  async finish(): Promise<void> {
    if (this.current) {
      this.current.handle.end();
      this.exiting = this.current.handle.waitUntilExit().catch(() => undefined);
      this.current = undefined;
    }
    this.mounting = undefined;
    await this.exiting;
  }
}

/** Line logs: start, finish, warnings, and a summary of each running landscape every 30 s. */
class LineLogger {
  private readonly stores = new Map<string, { job: LandscapeJob; store: DashboardStore; started: boolean }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  constructor(private readonly write: (line: string) => void) {}

  start(): void {
    this.timer = setInterval(() => {
      for (const { job, store, started } of this.stores.values()) {
        store.flush();
        this.write(`[${job.index}/${job.total}] ${job.spec.id}: ${started ? formatSummaryLine(store.getState()) : 'calibrating temperature and step size (8–32 quenches)'}`);
      }
    }, 30_000);
    this.timer.unref();
  }

  onEvent(e: StudyRunEvent): void {
    const tag = `[${e.job.index}/${e.job.total}] ${e.job.spec.id}`;
    if (e.type === 'landscape-started') {
      this.stores.set(e.job.spec.id, { job: e.job, store: createDashboardStore(runInfoOf(e.job, 0), { frameIntervalMs: 0, clockIntervalMs: 0 }), started: false });
      this.write(`${tag}: ${describeJob(e.job)} · ${e.resumedQuenches > 0 ? `resumed at ${e.resumedQuenches} quenches` : 'new'} · target ${e.job.spec.steps} quenches`);
    } else if (e.type === 'landscape-event') {
      const entry = this.stores.get(e.job.spec.id);
      if (entry) {
        entry.store.dispatch(e.event);
        if (e.event.type === 'run-started') entry.started = true;
      }
      if (e.event.type === 'warning') this.write(`${tag}: ${formatLogLine(e.event) ?? e.event.message}`);
    } else {
      const entry = this.stores.get(e.job.spec.id);
      entry?.store.close();
      this.stores.delete(e.job.spec.id);
      const o = e.outcome;
      this.write(
        o.reason === 'skipped'
          ? `${tag}: already complete (${o.quenches} quenches, ${o.minima} minima, ${o.transitionStates} transition states)`
          : `${tag}: stopped (${o.reason}) after ${o.quenches}/${e.job.spec.steps} quenches (${o.sessionQuenches} this session, ${(o.wallMs / 1000).toFixed(0)} s): ${o.minima} minima, ${o.transitionStates} transition states${o.complete ? '' : ' · partial, continues next run'}`,
      );
    }
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    for (const { store } of this.stores.values()) store.close();
  }
}

/** The flags as a command line, for the session record. */
function flagsArgv(flags: StudyFlags): string[] {
  const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return ['study', ...Object.entries(flags).flatMap(([k, v]) => (v === true ? [`--${kebab(k)}`] : v === false ? [`--no-${kebab(k)}`] : [`--${kebab(k)}`, String(v)]))];
}

function summaryLines(r: StudyResult, ctx: CliContext): string[] {
  const rel = path.relative(ctx.cwd, r.dir) || '.';
  const complete = r.manifest.landscapes.filter((e) => e.complete).length;
  return [
    `${r.stopped ? 'stopped' : 'done'}: ${complete} of ${r.manifest.landscapes.length} landscapes complete${r.partial ? ' (report marked PARTIAL)' : ''}`,
    ...r.findings.map((f, i) => `  ${i + 1}. ${f.claim}: ${f.verdict.toUpperCase()} — ${f.reason}`),
    `report ${path.join(rel, 'REPORT.md')}`,
    ...(r.partial ? [`Continue with: lossscape study --out ${rel}`] : []),
  ];
}

async function runStudyCommand(flags: StudyFlags, ctx: CliContext, argv: readonly string[]): Promise<void> {
  const dataset = datasetOf(flags, ctx);
  // Under runs/ (git-ignored, where explore puts its databases) unless --out says otherwise.
  const out = flags.out ?? path.join('runs', 'studies', `${dataset?.kind === 'csv' ? path.basename(dataset.path!, '.csv') : (dataset?.kind ?? 'spiral')}-${flags.budget === 'smoke' ? 'smoke' : (flags.preset ?? 'quick')}`);
  const controller = new AbortController();
  const stop = () => controller.abort();
  const tui = flags.tui !== false && !flags.json && !flags.reportOnly && isInteractiveTerminal(ctx.stdout, ctx.env);
  const line = (s: string) => (flags.json ? ctx.stderr.write(s + '\n') : println(ctx, s));
  const follower = tui ? new DashboardFollower(stop) : undefined;
  const logger = tui ? undefined : new LineLogger(line);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  logger?.start();
  try {
    const result = await runStudy(
      {
        dir: out,
        ...(flags.preset !== undefined ? { preset: flags.preset } : {}),
        ...(flags.budget === 'smoke' ? { smoke: true } : {}),
        ...(dataset ? { dataset } : {}),
        ...(flags.seeds !== undefined ? { seeds: flags.seeds } : {}),
        ...(flags.lanes !== undefined ? { lanes: flags.lanes } : {}),
        reportOnly: flags.reportOnly === true,
        mapping: flags.mapping !== false,
        png: flags.png !== false,
        argv,
      },
      ctx.cwd,
      {
        signal: controller.signal,
        onRunEvent: (e) => (follower ? follower.onEvent(e) : logger!.onEvent(e)),
        onControl: (c) => {
          if (follower) follower.control = c;
        },
        onPhase: (message) => {
          if (!tui) line(message);
        },
        onMapping: (p) => {
          if (!tui && p.done === p.total) line(`  seed ${p.seed}: ${p.total} sigmoid minima quenched in the CE landscape`);
        },
      },
    );
    await follower?.finish();
    if (flags.json) println(ctx, toJson({ dir: result.dir, stopped: result.stopped, partial: result.partial, findings: result.findings, outcomes: result.outcomes, written: result.written }));
    else for (const s of summaryLines(result, ctx)) println(ctx, s);
  } finally {
    await follower?.finish();
    logger?.stopTimer();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('SIGHUP', stop);
  }
}

export function registerStudy(program: Command, ctx: CliContext): Command {
  return program
    .command('study')
    .description("Reproduce the AUC-landscape study: CE and five surrogates, tables 1–4, figures, findings — resumable")
    .addOption(new Option('--preset <name>', 'budget: quick (< 15 min), medium (~2 h), full (overnight); default: the folder\'s, else quick').choices([...STUDY_PRESET_NAMES]))
    .option('--dataset <spiral|credit|csv>', "data: 'spiral', 'credit' or a CSV file (default: the folder's, else spiral)")
    .option('--label <column>', 'label column of a CSV data set (default: the last)')
    .option('--out <dir>', 'study folder (default runs/studies/<dataset>-<preset>)')
    .option('--seeds <n>', 'sampler seeds per main landscape (default from the preset)', positiveInteger('--seeds'))
    .option('--lanes <n>', 'landscapes run at a time (default: one per core)', positiveInteger('--lanes'))
    .addOption(new Option('--budget <kind>', "'smoke': a few quenches per landscape and shortened grids, for CI (nothing to conclude)").choices(['smoke']))
    .option('--report-only', 'rebuild the report from the databases without sampling (sigmoid minima not yet mapped into the CE landscape are mapped first)')
    .option('--no-mapping', 'skip quenching the sigmoid minima in the CE landscape (the report uses the mappings already stored)')
    .option('--no-png', 'SVG figures only')
    .option('--no-tui', 'plain line logs instead of the dashboard (automatic when stdout is not a terminal)')
    .option('--json', 'the result (findings, landscapes, files) as JSON on stdout; progress on stderr')
    .addHelpText(
      'after',
      `
Examples:
  lossscape study                                        quick study of the spirals into runs/studies/spiral-quick
  lossscape study --preset medium --dataset credit --out docs/study/credit-medium
  lossscape study --out docs/study/credit-medium         continue it (same settings) and rebuild the report
  lossscape study --out runs/studies/spiral-quick --preset medium --seeds 5   grow a study
  lossscape study --out runs/studies/spiral-quick --report-only

Keys in the dashboard: p pause/resume · q stop (every database stays resumable) · ? help.`,
    )
    .action(async (flags: StudyFlags) => runStudyCommand(flags, ctx, flagsArgv(flags)));
}

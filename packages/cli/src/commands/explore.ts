// SPDX-License-Identifier: MIT
/**
 * `lossscape explore`: a basin-hopping exploration (with transition states when asked) stored
 * in SQLite, shown live on the Ink dashboard in a terminal, or as line logs otherwise.
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { planThreads, runTask } from '@lossscape/parallel';
import { createDashboardStore, formatLogLine, formatSummaryLine, isInteractiveTerminal, renderDashboard, type RunInfo } from '@lossscape/dashboard';
import type { SamplerEvent } from '@lossscape/sampler';
import { blasDescription } from '@lossscape/hessian-native';
import { weightCount } from '@lossscape/tensor-core';
import { println, type CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { deepMerge, resolveExploreConfig } from '../config/load.js';
import { exploreConfigSchema, LOSS_KINDS, type ExploreConfig, type ExploreConfigInput } from '../config/schema.js';
import { PRESET_NAMES } from '../config/presets.js';
import { describeIssue } from '../config/load.js';
import { buildManifest, prepareRun, prepareRunFromManifest, requireSameLandscape, type PreparedRun } from '../engine/run.js';
import { openLandscapeStore, isPostgresUrl } from '../engine/store.js';
import { CALIBRATION_KEY, resolveCalibration, startPoints } from '../engine/explore.js';
import { createRunPotential } from '../engine/potential-factory.js';
import { exploreRunSpec } from '../distributed/explore-spec.js';
import { exploreDistributed } from '../distributed/session.js';
import { ENGINE_TASK_MODULE, type EngineControl, type EngineSummary, type EngineTaskData } from '../engine/engine-task.js';
import { fraction, integer, nonNegativeInteger, nonNegativeNumber, positiveInteger, positiveNumber, positiveOrAuto } from '../options.js';

/**
 * Debian's OpenBLAS splits even small eigenproblems across threads, which is slower than one
 * thread below about n = 1000 (hessian-native's benchmark); network Hessians here are smaller.
 */
export const BLAS_THREADS_FROM_DIMENSION = 1000;

function blasForSize<T extends { openblasThreads: number }>(plan: T, dimension: number): T {
  return dimension < BLAS_THREADS_FROM_DIMENSION ? { ...plan, openblasThreads: 1 } : plan;
}

/** How long a stopped run may take to commit and close before its thread is terminated. */
export const STOP_GRACE_MS = 60_000;

interface ExploreFlags {
  preset?: string;
  config?: string;
  resume?: string;
  db?: string;
  runsDir?: string;
  name?: string;
  dataset?: 'spiral' | 'credit' | 'csv';
  data?: string;
  label?: string;
  stringLabels?: boolean;
  pointsPerSpiral?: number;
  noise?: number;
  testFraction?: number;
  standardise?: boolean;
  dataSeed?: number;
  hidden?: number;
  loss?: ExploreConfig['loss']['kind'];
  beta?: number;
  margin?: number;
  positiveClass?: number;
  l2?: number;
  temperature?: number | 'auto';
  stepSize?: number | 'auto';
  chains?: number;
  steps?: number;
  time?: number;
  stopAfterNoNew?: number;
  seed?: number;
  lbfgsMemory?: number;
  ts?: boolean;
  neighbours?: number;
  hessian?: boolean;
  tui?: boolean;
  json?: boolean;
  schema?: string;
  distributed?: boolean;
}

/** Only the flags that were given, shaped like the config. */
export function flagsToConfig(f: ExploreFlags): ExploreConfigInput {
  const pick = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return pick({
    name: f.name,
    runsDir: f.runsDir,
    l2: f.l2,
    dataset: pick({
      kind: f.data !== undefined ? 'csv' : f.dataset,
      path: f.data,
      label: f.label,
      stringLabels: f.stringLabels,
      pointsPerSpiral: f.pointsPerSpiral,
      noise: f.noise,
      testFraction: f.testFraction,
      standardise: f.standardise,
      seed: f.dataSeed,
    }),
    model: pick({ hidden: f.hidden }),
    loss: pick({ kind: f.loss, beta: f.beta, margin: f.margin, positiveClass: f.positiveClass }),
    sampler: pick({
      temperature: f.temperature,
      stepSize: f.stepSize,
      chains: f.chains,
      steps: f.steps,
      timeMinutes: f.time,
      stopAfterNoNew: f.stopAfterNoNew,
      seed: f.seed,
      lbfgsMemory: f.lbfgsMemory,
    }),
    transitionStates: pick({ enabled: f.ts, neighbours: f.neighbours }),
    properties: pick({ hessian: f.hessian }),
  }) as ExploreConfigInput;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function budgetOf(config: ExploreConfig, chains: number): RunInfo['budget'] {
  return {
    chains,
    ...(config.sampler.steps === null ? {} : { stepsPerChain: config.sampler.steps }),
    ...(config.sampler.timeMinutes === null ? {} : { timeMs: config.sampler.timeMinutes * 60_000 }),
  };
}

interface Session {
  readonly run: PreparedRun;
  /** SQLite file path or postgres:// URL. */
  readonly dbPath: string;
  /** PostgreSQL schema (postgres:// only). */
  readonly schema?: string;
  readonly resumed: boolean;
  /** How to name the run on screen. */
  readonly label: string;
}

function resumeHint(ctx: CliContext, session: Pick<Session, 'dbPath' | 'schema'>): string {
  return isPostgresUrl(session.dbPath)
    ? `lossscape explore --resume ${session.dbPath} --schema ${session.schema ?? 'public'}`
    : `lossscape explore --resume ${path.relative(ctx.cwd, session.dbPath) || session.dbPath}`;
}

/** Creates the database with its manifest, or checks the one to resume. */
async function openSession(flags: ExploreFlags, ctx: CliContext): Promise<Session> {
  if (flags.resume !== undefined) {
    if (flags.preset !== undefined || flags.config !== undefined) throw new UsageError('Expected no --preset or --config with --resume (the run keeps its stored settings) but received one');
    const postgres = isPostgresUrl(flags.resume);
    const dbPath = postgres ? flags.resume : path.resolve(ctx.cwd, flags.resume);
    if (!postgres && !existsSync(dbPath)) throw new UsageError(`No such run database: ${flags.resume}`);
    const store = await openLandscapeStore(dbPath, { schema: flags.schema });
    try {
      const manifest = await store.getManifest();
      if (!manifest) throw new UsageError(`Expected a run manifest in ${flags.resume}${postgres ? ` (schema ${flags.schema ?? 'public'})` : ''} but received none (not a lossscape explore database?)`);
      const stored = exploreConfigSchema.safeParse(manifest.config);
      if (!stored.success) throw new UsageError(describeIssue(`${flags.resume} (stored config)`, stored.error.issues[0], manifest.config));
      const merged = exploreConfigSchema.safeParse(deepMerge(manifest.config, flagsToConfig(flags)));
      if (!merged.success) throw new UsageError(describeIssue('options', merged.error.issues[0], flagsToConfig(flags)));
      requireSameLandscape(stored.data, merged.data, flags.resume);
      const label = postgres ? (flags.schema ?? 'public') : path.basename(dbPath, '.sqlite');
      return { run: prepareRunFromManifest(manifest, flags.resume, { config: merged.data }), dbPath, schema: flags.schema, resumed: true, label };
    } finally {
      await store.close();
    }
  }
  const config = resolveExploreConfig({ preset: flags.preset, file: flags.config, flags: flagsToConfig(flags) });
  const run = prepareRun(config, ctx.cwd);
  const name = config.name ?? `${config.dataset.kind}-${config.loss.kind}`;
  const postgres = flags.db !== undefined && isPostgresUrl(flags.db);
  const dbPath = postgres ? flags.db! : flags.db !== undefined ? path.resolve(ctx.cwd, flags.db) : path.resolve(ctx.cwd, config.runsDir, `${name}-${timestamp()}.sqlite`);
  if (!postgres) {
    if (existsSync(dbPath)) throw new UsageError(`Expected a new database path for --db but ${flags.db ?? dbPath} exists (continue it with --resume ${flags.db ?? dbPath})`);
    mkdirSync(path.dirname(dbPath), { recursive: true });
  }
  const store = await openLandscapeStore(dbPath, { schema: flags.schema });
  try {
    if (postgres && (await store.getManifest())) {
      throw new UsageError(`Expected an empty schema for a new run but ${flags.schema ?? 'public'} already holds one (continue it with --resume ${flags.db} --schema ${flags.schema ?? 'public'})`);
    }
    const plan = blasForSize(planThreads({ chains: config.sampler.chains }), weightCount(run.model));
    await store.setManifest(
      buildManifest(run, name, { eigenSolver: 'LAPACK (hessian-native)', blas: blasDescription(), chains: plan.chains, kernelThreads: plan.kernelThreads, openblasThreads: plan.openblasThreads }),
    );
  } finally {
    await store.close();
  }
  return { run, dbPath, schema: flags.schema, resumed: false, label: postgres ? (flags.schema ?? 'public') : path.basename(dbPath, '.sqlite') };
}

/**
 * Diagnostics for long runs: with LOSSSCAPE_HEAP_LOG=<file>, every 5 s one line of elapsed
 * seconds, heap used (bytes), and the dashboard's frame count and busy
 * fraction (its rendering cost) — what the dashboard benchmark reads.
 */
function heapLog(file: string | undefined, stats: () => { frames: number; busyFraction: number }): () => void {
  if (!file) return () => undefined;
  const t0 = performance.now();
  const write = () => {
    const s = stats();
    appendFileSync(file, `${((performance.now() - t0) / 1000).toFixed(1)} ${process.memoryUsage().heapUsed} ${s.frames} ${s.busyFraction.toFixed(5)}\n`);
  };
  const timer = setInterval(write, 5000);
  timer.unref();
  return () => {
    clearInterval(timer);
    write();
  };
}

/** Shows an event stream: the dashboard in a terminal, JSON lines, or line logs with summaries. */
async function present(
  ctx: CliContext,
  flags: ExploreFlags,
  runInfo: RunInfo,
  header: string,
  events: AsyncIterable<SamplerEvent>,
  controls: { onPause?: () => void; onResume?: () => void; onQuit: () => void },
): Promise<void> {
  if (flags.tui !== false && !flags.json && isInteractiveTerminal(ctx.stdout, ctx.env)) {
    const dashboard = renderDashboard({ runInfo, events, ...controls });
    const stopHeapLog = heapLog(ctx.env.LOSSSCAPE_HEAP_LOG, () => dashboard.stats());
    try {
      await dashboard.waitUntilExit().catch(() => undefined);
    } finally {
      stopHeapLog();
    }
    return;
  }
  if (flags.json) {
    for await (const event of events) println(ctx, JSON.stringify(event, (_k, v) => (v === Infinity ? 'Infinity' : v)));
    return;
  }
  println(ctx, `${runInfo.name} · ${runInfo.data} · ${runInfo.loss}`);
  println(ctx, header);
  const summary = createDashboardStore(runInfo, { frameIntervalMs: 0, clockIntervalMs: 0 });
  let lastSummary = performance.now();
  for await (const event of events) {
    summary.dispatch(event);
    const line = formatLogLine(event);
    if (line !== undefined) println(ctx, line);
    if (performance.now() - lastSummary > 10_000) {
      lastSummary = performance.now();
      summary.flush();
      println(ctx, formatSummaryLine(summary.getState()));
    }
  }
  summary.flush();
  println(ctx, formatSummaryLine(summary.getState()));
  summary.close();
}

/** Stops on SIGINT / SIGTERM / SIGHUP while `body` runs. */
async function withStopSignals<T>(stop: () => void, body: () => Promise<T>): Promise<T> {
  const onSignal = () => stop();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.once(s, onSignal);
  try {
    return await body();
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}

async function runExplore(flags: ExploreFlags, ctx: CliContext): Promise<void> {
  if (flags.schema !== undefined && !isPostgresUrl(flags.db ?? flags.resume ?? '')) {
    throw new UsageError('Expected a postgres:// database (--db or --resume) with --schema but received a SQLite file');
  }
  if (flags.distributed) return runDistributed(flags, ctx);
  const session = await openSession(flags, ctx);
  const { run, dbPath } = session;
  const plan = blasForSize(planThreads({ chains: run.config.sampler.chains }), weightCount(run.model));
  const data: EngineTaskData = { dbPath, schema: session.schema, config: run.config, chains: plan.chains, openblasThreads: plan.openblasThreads, kernelThreads: plan.kernelThreads };
  // A stop lets the current quench (or the calibration, which cannot be interrupted) finish and
  // commit its checkpoint; only after this long is the thread terminated.
  const task = runTask<SamplerEvent, EngineSummary>({ module: ENGINE_TASK_MODULE, exportName: 'exploreTask' }, data, { abortGraceMs: STOP_GRACE_MS });
  const runInfo: RunInfo = { name: session.label, data: run.dataLabel, loss: run.lossLabel, budget: budgetOf(run.config, plan.chains) };
  const control = (message: EngineControl) => task.post(message);
  const stop = () => task.abort('stopped by the user');
  await withStopSignals(stop, async () => {
    const header = `database ${dbPath}${session.schema ? ` schema ${session.schema}` : ''}${session.resumed ? ' (resumed)' : ''} · ${plan.chains} chain(s) × ${plan.kernelThreads} kernel thread(s) · OpenBLAS ${plan.openblasThreads} thread(s)`;
    await present(ctx, flags, runInfo, header, task, { onPause: () => control({ type: 'pause' }), onResume: () => control({ type: 'resume' }), onQuit: stop });
    const result = await task.result.catch((err: unknown) => {
      if ((err as { code?: string }).code === 'ERR_ABORTED') return undefined;
      throw err;
    });
    const counts = result ? `${result.minima} minima, ${result.transitionStates} transition states; ` : '';
    if (!flags.json) println(ctx, `${counts}database ${dbPath}\nContinue with: ${resumeHint(ctx, session)}`);
  });
}

/**
 * `--distributed`: calibrate here, plan the run's jobs in PostgreSQL, then follow progress while
 * `lossscape worker` processes (on any machine) do the work. Stopping stops following only.
 */
async function runDistributed(flags: ExploreFlags, ctx: CliContext): Promise<void> {
  const url = flags.db ?? flags.resume;
  if (url === undefined || !isPostgresUrl(url)) throw new UsageError(`Expected a postgres:// database for --distributed (--db or --resume) but received ${url ?? 'none'}`);
  const session = await openSession(flags, ctx);
  const { run } = session;
  const potential = createRunPotential(run.potentialArgs);
  const chains = run.config.sampler.chains;
  const store = await openLandscapeStore(url, { schema: session.schema });
  let calibration: { temperature: number; stepSize: number };
  let manifest;
  try {
    if (!(await store.loadCheckpoint(CALIBRATION_KEY)) && (run.config.sampler.temperature === 'auto' || run.config.sampler.stepSize === 'auto')) {
      ctx.stderr.write('calibrating temperature and step size (a few dozen quenches)…\n');
    }
    calibration = await resolveCalibration(run, store, startPoints(run, 1)[0], potential);
    manifest = await store.getManifest();
  } finally {
    await store.close();
  }
  const spec = exploreRunSpec(run, { chains, temperature: calibration.temperature, stepSize: calibration.stepSize });
  const controller = new AbortController();
  let finished = false;
  const events = (async function* () {
    for await (const event of exploreDistributed({ url, schema: session.schema, spec, ...(manifest ? { manifest } : {}), signal: controller.signal })) {
      if (event.type === 'run-finished') finished = true;
      yield event;
    }
  })();
  const runInfo: RunInfo = { name: `${session.label} (distributed)`, data: run.dataLabel, loss: run.lossLabel, budget: budgetOf(run.config, chains) };
  await withStopSignals(
    () => controller.abort(),
    () => present(ctx, flags, runInfo, `database ${url} schema ${session.schema ?? 'public'} · ${chains} chain(s) planned as jobs; start workers with: lossscape worker --db ${url} --schema ${session.schema ?? 'public'}`, events, { onQuit: () => controller.abort() }),
  );
  if (flags.json) return;
  const where = `${url} --schema ${session.schema ?? 'public'}`;
  println(ctx, finished ? `Run finished. Report: lossscape report ${where}` : `Stopped following; the workers go on. Follow again with: lossscape explore --distributed --resume ${where}`);
}

export function registerExplore(program: Command, ctx: CliContext): Command {
  return program
    .command('explore')
    .description('Explore a loss landscape by basin-hopping (and transition states), stored in SQLite, shown live')
    .addOption(new Option('--preset <name>', 'start from a preset').choices(PRESET_NAMES))
    .option('--config <file>', 'JSON config file (flags override it)')
    .option('--resume <db>', 'continue a run from its database (budgets may change, the landscape may not)')
    .option('--db <path|url>', 'database for a new run: a SQLite file (default <runs-dir>/<name>-<time>.sqlite) or postgres://…')
    .option('--schema <name>', 'PostgreSQL schema of the run (with a postgres:// database; default public)')
    .option('--distributed', 'plan the run as jobs in PostgreSQL for `lossscape worker` processes and follow its progress')
    .option('--runs-dir <dir>', 'folder for run databases (default runs)')
    .option('--name <name>', 'run name')
    .addOption(new Option('--dataset <kind>', 'built-in data set').choices(['spiral', 'credit', 'csv']))
    .option('--data <csv>', 'any CSV file with a header (implies --dataset csv)')
    .option('--label <column>', 'label column of the CSV (default: the last)')
    .option('--string-labels', 'map string labels to classes in sorted order')
    .option('--points-per-spiral <n>', 'spiral points per arm (default 97)', positiveInteger('--points-per-spiral'))
    .option('--noise <a>', 'spiral noise ± per coordinate (default 0.1)', nonNegativeNumber('--noise'))
    .option('--test-fraction <f>', 'held-out fraction per class (default 0.2)', fraction('--test-fraction'))
    .option('--standardise', 'standardise features on the training split')
    .option('--data-seed <n>', 'seed of the noise and the split (default 1)', integer('--data-seed'))
    .option('--hidden <n>', 'hidden units (default 10)', positiveInteger('--hidden'))
    .addOption(new Option('--loss <kind>', 'loss (default sigmoid)').choices([...LOSS_KINDS]))
    .option('--beta <b>', 'β of sigmoid / tanh / exp', positiveNumber('--beta'))
    .option('--margin <m>', 'margin of hinge / quad', positiveNumber('--margin'))
    .option('--positive-class <k>', 'positive class (default 1)', nonNegativeInteger('--positive-class'))
    .option('--l2 <lambda>', 'L2 coefficient λ (default 1e-5)', nonNegativeNumber('--l2'))
    .option('--temperature <T>', "basin-hopping temperature, or 'auto' (default auto)", positiveOrAuto('--temperature'))
    .option('--step-size <s>', "perturbation half-width, or 'auto' (default auto)", positiveOrAuto('--step-size'))
    .option('--chains <n>', 'independent chains in worker threads (default 1)', positiveInteger('--chains'))
    .option('--steps <n>', 'basin-hopping steps per chain (default 1000)', nonNegativeInteger('--steps'))
    .option('--time <minutes>', 'wall-clock budget of this session', positiveNumber('--time'))
    .option('--stop-after-no-new <k>', 'stop after k quenches in a row found no new minimum', positiveInteger('--stop-after-no-new'))
    .option('--seed <n>', 'sampler seed (default 1)', integer('--seed'))
    .option('--lbfgs-memory <m>', 'L-BFGS memory (default 30)', positiveInteger('--lbfgs-memory'))
    .option('--ts', 'search transition states from each new minimum to its nearest neighbours')
    .option('--no-ts', 'no transition-state searches')
    .option('--neighbours <k>', 'neighbours per new minimum for transition states', positiveInteger('--neighbours'))
    .option('--no-hessian', 'skip the Hessian spectrum of each minimum')
    .option('--no-tui', 'plain line logs instead of the dashboard (automatic when stdout is not a terminal)')
    .option('--json', 'one JSON event per line on stdout')
    .addHelpText(
      'after',
      `
Examples:
  lossscape explore --preset demo                      the sigmoid landscape of the spirals, a few minutes
  lossscape explore --loss ce --steps 500 --chains 2   cross-entropy, 500 steps in each of two chains
  lossscape explore --data my.csv --label y --loss exp --time 60
  lossscape explore --resume runs/demo-20261125-101500.sqlite --time 30

Keys in the dashboard: p pause/resume · q quit (the run stays resumable) · ? help · 1/2/3 views.`,
    )
    .action(async (flags: ExploreFlags) => runExplore(flags, ctx));
}

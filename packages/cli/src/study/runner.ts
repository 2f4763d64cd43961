// SPDX-License-Identifier: MIT
/**
 * Runs the study's landscapes: each one is an `explore` run of the engine on its own task thread
 * (@lossscape/parallel's runTask, OpenBLAS at one thread when lanes run side by side), writing
 * to its own SQLite database, which it resumes from its checkpoint when the study is run again.
 * `lanes` landscapes run at a time. The quench events are also appended to a small log beside
 * the database (step, minimum reached, L-BFGS iterations): the database keeps which minima
 * exist, the log keeps which one each quench reached, which the report needs for distinct
 * minima against quenches and for L-BFGS steps per quench.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openSqliteStore } from '@lossscape/landscape';
import { planThreads, runTask, type TaskRun } from '@lossscape/parallel';
import { chainCheckpointKey, type ChainCheckpoint, type SamplerEvent, type StopReason } from '@lossscape/sampler';
import { blasDescription } from '@lossscape/hessian-native';
import { UsageError } from '../errors.js';
import { exploreConfigSchema, type ExploreConfig } from '../config/schema.js';
import { buildManifest, prepareRun, requireSameLandscape } from '../engine/run.js';
import { CALIBRATION_KEY } from '../engine/explore.js';
import { ENGINE_TASK_MODULE, type EngineControl, type EngineSummary, type EngineTaskData } from '../engine/engine-task.js';
import type { LandscapeSpec } from './plan.js';

export interface LandscapeJob {
  readonly spec: LandscapeSpec;
  /** 1-based position in the study, and the number of landscapes. */
  readonly index: number;
  readonly total: number;
  readonly dbPath: string;
  readonly logPath: string;
  readonly config: ExploreConfig;
  /**
   * Another database (the main landscape of the same loss, seed 1) whose calibrated temperature
   * and step size this one takes over instead of calibrating again, when it has them and this
   * one has none.
   */
  readonly calibrationSource?: string;
}

export interface LandscapeOutcome {
  readonly id: string;
  /** Why the sampler stopped this session; 'skipped' when the landscape had already reached its steps. */
  readonly reason: StopReason | 'skipped';
  /** Quenches done in total (all sessions). */
  readonly quenches: number;
  /** Quenches done in this session. */
  readonly sessionQuenches: number;
  readonly minima: number;
  readonly transitionStates: number;
  /** The landscape has reached its step budget. */
  readonly complete: boolean;
  readonly wallMs: number;
}

export type StudyRunEvent =
  | { readonly type: 'landscape-started'; readonly job: LandscapeJob; readonly lane: number; readonly resumedQuenches: number }
  | { readonly type: 'landscape-event'; readonly job: LandscapeJob; readonly lane: number; readonly event: SamplerEvent }
  | { readonly type: 'landscape-finished'; readonly job: LandscapeJob; readonly lane: number; readonly outcome: LandscapeOutcome };

/** Pause / resume every running landscape (the dashboard's `p`). */
export interface StudyControl {
  pause(): void;
  resume(): void;
  readonly paused: boolean;
}

export interface RunLandscapesOptions {
  /** Landscapes at a time (default: one per core, from planThreads). */
  readonly lanes?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: StudyRunEvent) => void;
  /** Receives the control handle as soon as the run starts. */
  readonly onControl?: (control: StudyControl) => void;
}

/** One quench as the log keeps it. */
export interface QuenchLogEntry {
  readonly step: number;
  /** Stored minimum it reached; null when the quench did not converge. */
  readonly minimumId: number | null;
  readonly iterations: number;
  readonly converged: boolean;
}

export const QUENCH_LOG_HEADER = 'step,minimumId,iterations,converged';

/** Reads a quench log; the last entry per step wins (a resumed session may repeat one). Sorted by step. */
export function readQuenchLog(file: string): QuenchLogEntry[] {
  if (!existsSync(file)) return [];
  const byStep = new Map<number, QuenchLogEntry>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '' || line === QUENCH_LOG_HEADER) continue;
    const [s, id, it, c] = line.split(',');
    const step = Number(s);
    if (!Number.isInteger(step)) continue;
    byStep.set(step, { step, minimumId: id === '' ? null : Number(id), iterations: Number(it), converged: c === '1' });
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** Buffered appends to a quench log (flushed every second and at the end). */
class QuenchLogWriter {
  private buffer: string[] = [];
  private last = performance.now();
  constructor(private readonly file: string) {
    if (!existsSync(file)) appendFileSync(file, QUENCH_LOG_HEADER + '\n');
  }
  add(e: Extract<SamplerEvent, { type: 'quench' }>): void {
    this.buffer.push(`${e.step},${e.minimumId ?? ''},${e.iterations},${e.converged ? 1 : 0}`);
    if (this.buffer.length >= 200 || performance.now() - this.last > 1000) this.flush();
  }
  flush(): void {
    if (this.buffer.length) appendFileSync(this.file, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.last = performance.now();
  }
}

/** Quenches a landscape's database has done (its chain-0 checkpoint), or 0. */
export async function storedQuenches(dbPath: string): Promise<number> {
  if (!existsSync(dbPath)) return 0;
  const store = await openSqliteStore(dbPath, { readonly: true });
  try {
    return (await store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(0)))?.step ?? 0;
  } finally {
    await store.close();
  }
}

/**
 * Folds a database's write-ahead log into its main file. A landscape stopped mid-run (its thread
 * terminated after the grace period) leaves its last commits in `<db>-wal`: safe, but beside the
 * file, so a copy or a commit of the `.sqlite` alone would miss them. Opening the database for
 * writing and closing it checkpoints the log (SQLite does so when the last connection closes).
 * No-op without a log file.
 */
export async function foldWriteAheadLog(dbPath: string): Promise<void> {
  if (!existsSync(`${dbPath}-wal`)) return;
  const store = await openSqliteStore(dbPath);
  await store.close();
}

async function storedCounts(dbPath: string): Promise<{ minima: number; transitionStates: number }> {
  const store = await openSqliteStore(dbPath, { readonly: true });
  try {
    return { minima: await store.minimumCount(), transitionStates: await store.transitionStateCount() };
  } finally {
    await store.close();
  }
}

/**
 * Creates the landscape's database with its manifest, or checks that an existing one holds the
 * same landscape (data, model, loss, λ, duplicate tolerances). Returns the quenches already done.
 */
export async function prepareLandscapeDatabase(job: LandscapeJob, cwd: string, threads: Threads = { openblasThreads: 1, kernelThreads: 1 }): Promise<number> {
  mkdirSync(path.dirname(job.dbPath), { recursive: true });
  const exists = existsSync(job.dbPath);
  const store = await openSqliteStore(job.dbPath);
  try {
    const manifest = await store.getManifest();
    if (!manifest) {
      if (exists && (await store.minimumCount()) > 0) throw new UsageError(`Expected a run manifest in ${job.dbPath} but received none (not a study database?)`);
      const run = prepareRun(job.config, cwd);
      await store.setManifest(buildManifest(run, job.spec.id, { eigenSolver: 'LAPACK (hessian-native)', blas: blasDescription(), chains: 1, ...threads }));
    } else {
      const stored = exploreConfigSchema.safeParse(manifest.config);
      if (!stored.success) throw new UsageError(`Expected an explore config in the manifest of ${job.dbPath} but it does not parse`);
      requireSameLandscape(stored.data, job.config, job.dbPath);
    }
    if (job.calibrationSource && existsSync(job.calibrationSource) && (await store.loadCheckpoint(CALIBRATION_KEY)) === undefined) {
      const source = await openSqliteStore(job.calibrationSource, { readonly: true });
      try {
        const calibration = await source.loadCheckpoint(CALIBRATION_KEY);
        if (calibration !== undefined) await store.saveCheckpoint(CALIBRATION_KEY, calibration);
      } finally {
        await source.close();
      }
    }
    return (await store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(0)))?.step ?? 0;
  } finally {
    await store.close();
  }
}

interface Threads {
  readonly openblasThreads: number;
  readonly kernelThreads: number;
}

async function runOne(job: LandscapeJob, lane: number, threads: Threads, cwd: string, options: RunLandscapesOptions, tasks: Set<TaskRun<SamplerEvent, EngineSummary>>, control: StudyControlImpl): Promise<LandscapeOutcome> {
  const t0 = performance.now();
  const done = await prepareLandscapeDatabase(job, cwd, threads);
  if (done >= job.spec.steps) {
    const store = await openSqliteStore(job.dbPath, { readonly: true });
    try {
      const outcome: LandscapeOutcome = {
        id: job.spec.id,
        reason: 'skipped',
        quenches: done,
        sessionQuenches: 0,
        minima: await store.minimumCount(),
        transitionStates: await store.transitionStateCount(),
        complete: true,
        wallMs: performance.now() - t0,
      };
      options.onEvent?.({ type: 'landscape-finished', job, lane, outcome });
      return outcome;
    } finally {
      await store.close();
    }
  }
  options.onEvent?.({ type: 'landscape-started', job, lane, resumedQuenches: done });
  const data: EngineTaskData = { dbPath: job.dbPath, config: job.config, chains: 1, ...threads };
  const task = runTask<SamplerEvent, EngineSummary>({ module: ENGINE_TASK_MODULE, exportName: 'exploreTask' }, data, { abortGraceMs: 15_000 });
  tasks.add(task);
  if (control.paused) task.post({ type: 'pause' } satisfies EngineControl);
  const log = new QuenchLogWriter(job.logPath);
  let reason: StopReason = 'aborted';
  let last = done;
  const aborted = (err: unknown) => {
    // A task stopped by the study (its thread terminated after the grace period, e.g. while
    // calibrating, which does not look at the signal) is resumable like any other.
    if ((err as { code?: string }).code === 'ERR_ABORTED') return undefined;
    throw err;
  };
  try {
    try {
      for await (const event of task) {
        if (event.type === 'quench') {
          log.add(event);
          last = Math.max(last, event.step + 1);
        } else if (event.type === 'run-finished' && event.chain >= 0) {
          reason = event.reason;
        }
        options.onEvent?.({ type: 'landscape-event', job, lane, event });
      }
    } catch (err) {
      aborted(err);
    }
    const summary = await task.result.catch(aborted);
    const quenches = Math.max(last, await storedQuenches(job.dbPath));
    const outcome: LandscapeOutcome = {
      id: job.spec.id,
      reason,
      quenches,
      sessionQuenches: quenches - done,
      ...(summary ? { minima: summary.minima, transitionStates: summary.transitionStates } : await storedCounts(job.dbPath)),
      complete: quenches >= job.spec.steps,
      wallMs: performance.now() - t0,
    };
    options.onEvent?.({ type: 'landscape-finished', job, lane, outcome });
    return outcome;
  } finally {
    log.flush();
    tasks.delete(task);
  }
}

class StudyControlImpl implements StudyControl {
  paused = false;
  private waiters: Array<() => void> = [];
  constructor(private readonly tasks: Set<TaskRun<SamplerEvent, EngineSummary>>) {}
  pause(): void {
    this.paused = true;
    for (const t of this.tasks) t.post({ type: 'pause' } satisfies EngineControl);
  }
  resume(): void {
    this.paused = false;
    for (const t of this.tasks) t.post({ type: 'resume' } satisfies EngineControl);
    for (const w of this.waiters.splice(0)) w();
  }
  /** Holds the scheduler while paused (or until aborted). */
  wait(signal: AbortSignal | undefined): Promise<void> {
    if (!this.paused || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}

/**
 * Runs `jobs` (in order, `lanes` at a time) until each reaches its steps, its session's time
 * cap, or `signal` aborts (then running landscapes stop cleanly and stay resumable; jobs not
 * started are left out of the result). A failing landscape stops the scheduling of new ones
 * and its error is rethrown once the running ones have ended.
 */
export async function runLandscapes(jobs: readonly LandscapeJob[], cwd: string, options: RunLandscapesOptions = {}): Promise<LandscapeOutcome[]> {
  const cores = planThreads({ chains: Number.MAX_SAFE_INTEGER }).chains;
  const lanes = Math.max(1, Math.min(options.lanes ?? cores, cores, jobs.length));
  // One thread budget for the process tree (DESIGN.md "Threads"): lanes side by side get one
  // kernel and one OpenBLAS thread each; a lone lane's pair sums and eigen-solves (which the
  // sampler awaits, so they never overlap) may use every core.
  const plan = planThreads({ chains: lanes });
  const threads: Threads = { openblasThreads: plan.openblasThreads, kernelThreads: plan.kernelThreads };
  const tasks = new Set<TaskRun<SamplerEvent, EngineSummary>>();
  const control = new StudyControlImpl(tasks);
  options.onControl?.(control);
  const onAbort = () => {
    for (const t of tasks) t.abort('study stopped');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const outcomes: LandscapeOutcome[] = [];
  let next = 0;
  let failure: unknown;
  const lane = async (k: number) => {
    for (;;) {
      await control.wait(options.signal);
      if (options.signal?.aborted || failure !== undefined || next >= jobs.length) return;
      const job = jobs[next++];
      try {
        outcomes.push(await runOne(job, k, threads, cwd, options, tasks, control));
      } catch (err) {
        failure ??= err;
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, (_, k) => lane(k)));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) throw failure;
  const order = new Map(jobs.map((j, i) => [j.spec.id, i]));
  return outcomes.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

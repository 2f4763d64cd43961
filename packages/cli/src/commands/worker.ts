// SPDX-License-Identifier: MIT
/**
 * `lossscape worker`: one machine's share of a distributed exploration on PostgreSQL. Takes jobs
 * (basin-hopping segments, per-minimum properties, connection attempts) until stopped; Ctrl-C or
 * SIGTERM lets the running job finish (up to --grace seconds, then it is handed back at its last
 * committed step), a second one hands it back at once.
 *
 *   lossscape worker --db postgres://lossscape@db.lab/landscapes --schema spiral_ce --concurrency 2
 *   lossscape worker --db postgres://… --schema lj13 --plan lj13.json      # plan a run from a spec file
 *   lossscape worker --db postgres://… --schema lj13 --status [--json]     # what to monitor
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { openPostgresStore, redactPostgresUrl, type PostgresStore } from '@lossscape/landscape';
import { chainCheckpointKey, type ChainCheckpoint } from '@lossscape/sampler';
import type { CliContext } from '../context.js';
import { println } from '../context.js';
import { readJsonFile } from '../config/load.js';
import { formatNumber, toJson } from '../database.js';
import { UsageError } from '../errors.js';
import { nonNegativeNumber, positiveInteger, positiveNumber } from '../options.js';
import { loadFactory } from '../distributed/modules.js';
import { planExploration } from '../distributed/plan.js';
import { JOB_KINDS, JobQueue } from '../distributed/queue.js';
import { RUN_SPEC_KEY, chainCount, chainFinishedKey, parseRunSpec, type ChainFinished } from '../distributed/spec.js';
import { runWorker, type WorkerEvent } from '../distributed/worker.js';

export interface WorkerCommandOptions {
  readonly db: string;
  readonly schema: string;
  readonly concurrency: number;
  readonly poll: number;
  readonly grace: number;
  readonly maintenanceInterval: number;
  readonly idleExit?: number;
  readonly plan?: string;
  readonly status?: boolean;
  readonly retryFailed?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

function requirePostgresUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError(`Expected a postgres:// connection string for --db but received '${url}' (the worker needs a shared PostgreSQL database)`);
  return url;
}

/** A spec file's starts may be a generator: { chains, module, exportName, args } → one call per chain. */
async function expandSpecFile(file: string): Promise<unknown> {
  const json = readJsonFile(file) as Record<string, unknown>;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`${file}: expected a JSON object (a run spec)`);
  const base = dirname(file);
  // Relative module paths are relative to the spec file (and must exist at that path on every worker).
  const fixModule = (ref: unknown): unknown => {
    const r = ref as { module?: unknown } | undefined;
    if (r && typeof r.module === 'string' && r.module.startsWith('.')) return { ...r, module: resolve(base, r.module) };
    return ref;
  };
  for (const key of ['potential', 'evaluator', 'randomPoint'] as const) if (json[key] !== undefined) json[key] = fixModule(json[key]);
  const starts = json.starts as { chains?: unknown; module?: unknown; exportName?: unknown; args?: unknown } | undefined;
  if (starts && !Array.isArray(starts) && typeof starts === 'object') {
    const chains = starts.chains;
    if (!Number.isInteger(chains) || (chains as number) < 1) throw new UsageError(`Expected a positive integer for starts.chains in ${file} but received ${String(chains)}`);
    const ref = fixModule(starts) as { module: string; exportName: string; args?: unknown };
    const list: number[][] = [];
    for (let chain = 0; chain < (chains as number); chain++) {
      const x = (await loadFactory({ module: ref.module, exportName: ref.exportName, args: { ...(ref.args as object), chain } }, 'start')) as ArrayLike<number>;
      list.push(Array.from(x));
    }
    json.starts = list;
  }
  return json;
}

async function withRun<T>(o: WorkerCommandOptions, body: (store: PostgresStore, queue: JobQueue) => Promise<T>): Promise<T> {
  const store = await openPostgresStore(o.db, { schema: o.schema, poolSize: 2 });
  let queue: JobQueue | undefined;
  try {
    queue = await JobQueue.open(o.db, { schema: o.schema, supervise: false });
    return await body(store, queue);
  } finally {
    await Promise.allSettled([queue?.close(), store.close()]);
  }
}

async function plan(o: WorkerCommandOptions, ctx: CliContext): Promise<void> {
  const file = isAbsolute(o.plan!) ? o.plan! : resolve(ctx.cwd, o.plan!);
  const spec = parseRunSpec(await expandSpecFile(file), o.plan);
  const result = await withRun(o, (store, queue) => planExploration(spec, store, queue));
  if (o.json) return println(ctx, toJson({ schema: o.schema, name: spec.name, ...result }));
  println(
    ctx,
    `${result.resumed ? 'Resumed' : 'Planned'} run '${spec.name}' in schema ${o.schema}: ${result.chains} chains × ${spec.sampling.steps} steps in segments of ${spec.sampling.segmentSteps} (${result.segments} segment jobs; ${result.enqueued} enqueued now). Start workers with: lossscape worker --db <url> --schema ${o.schema}`,
  );
}

async function status(o: WorkerCommandOptions, ctx: CliContext): Promise<void> {
  const report = await withRun(o, async (store, queue) => {
    const stored = await store.loadCheckpoint(RUN_SPEC_KEY);
    const spec = stored === undefined ? undefined : parseRunSpec(stored, 'the stored run spec');
    const chains = [];
    for (let c = 0; c < (spec ? chainCount(spec) : 0); c++) {
      const cp = await store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(c));
      const finished = await store.loadCheckpoint<ChainFinished>(chainFinishedKey(c));
      chains.push({ chain: c, step: cp?.step ?? 0, bestEnergy: cp?.bestEnergy ?? null, finished: finished?.reason ?? null });
    }
    const minima = await store.minima();
    return {
      database: redactPostgresUrl(o.db),
      schema: o.schema,
      run: spec ? { name: spec.name, chains: chainCount(spec), steps: spec.sampling.steps, segmentSteps: spec.sampling.segmentSteps } : null,
      minima: minima.length,
      evaluated: minima.filter((m) => Object.keys(m.properties).length > 0).length,
      transitionStates: await store.transitionStateCount(),
      chains,
      jobs: await queue.counts(),
      running: (await queue.active()).map((j) => ({ ...j, seconds: (Date.now() - new Date(j.startedOn).getTime()) / 1000 })),
    };
  });
  if (o.json) return println(ctx, toJson(report));
  println(ctx, `${report.database}  schema ${report.schema}`);
  if (!report.run) return println(ctx, 'No run planned here yet (lossscape worker --plan <spec.json>, or lossscape explore --distributed).');
  println(ctx, `run '${report.run.name}': ${report.run.chains} chains × ${report.run.steps} steps, segments of ${report.run.segmentSteps}`);
  println(ctx, `minima ${report.minima} (${report.evaluated} with properties), transition states ${report.transitionStates}`);
  for (const c of report.chains) {
    println(ctx, `  chain ${String(c.chain).padStart(3)}  step ${String(c.step).padStart(7)}/${report.run.steps}  best ${formatNumber(c.bestEnergy ?? undefined, 8)}${c.finished ? `  finished (${c.finished})` : ''}`);
  }
  println(ctx, `jobs        waiting   retry  running      done  failed`);
  for (const kind of JOB_KINDS) {
    const k = report.jobs[kind];
    println(ctx, `  ${kind.padEnd(10)}${[k.created, k.retry, k.active, k.completed, k.failed].map((n, i) => String(n).padStart(i === 3 ? 10 : 8)).join('')}`);
  }
  for (const j of report.running) println(ctx, `  running ${j.kind} ${JSON.stringify(j.data)} for ${j.seconds.toFixed(0)} s (attempt ${j.attempt})`);
}

function describe(e: WorkerEvent): string | undefined {
  switch (e.type) {
    case 'worker-started':
      return `worker ${e.worker} on schema ${e.schema}: taking jobs (Ctrl-C: stop after the current job; twice: hand it back now)`;
    case 'job-finished':
      return `[${e.kind}] ${e.summary} (${(e.ms / 1000).toFixed(1)} s)`;
    case 'job-released':
      return `[${e.kind}] handed back after ${(e.ms / 1000).toFixed(1)} s: ${e.reason}`;
    case 'job-failed':
      return `[${e.kind}] failed after ${(e.ms / 1000).toFixed(1)} s (will be retried while retries last): ${e.message}`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'worker-stopped':
      return `worker ${e.worker} stopped: ${e.jobs} jobs done, ${e.released} handed back, ${e.failed} failed`;
    default:
      return undefined;
  }
}

async function work(o: WorkerCommandOptions, ctx: CliContext): Promise<void> {
  const stop = new AbortController();
  const now = new AbortController();
  const onSignal = () => (stop.signal.aborted ? now.abort() : stop.abort());
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await runWorker({
      url: o.db,
      schema: o.schema,
      concurrency: o.concurrency,
      signal: stop.signal,
      abortNow: now.signal,
      graceMs: o.grace * 1000,
      pollIntervalMs: o.poll,
      maintenanceIntervalSeconds: o.maintenanceInterval,
      ...(o.idleExit !== undefined ? { idleExitMs: o.idleExit * 1000 } : {}),
      onEvent: (e) => {
        if (o.json) {
          if (e.type !== 'sampler' || o.verbose || e.event.type === 'minimum-added') println(ctx, JSON.stringify(e));
          return;
        }
        const line = describe(e);
        if (line) println(ctx, line);
        else if (o.verbose && e.type === 'sampler' && e.event.type === 'minimum-added') println(ctx, `  minimum ${e.event.minimum.id} at E = ${e.event.minimum.energy} (chain ${e.event.chain})`);
      },
    });
    if (summary.failed > 0) ctx.exitCode = 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function registerWorker(program: Command, ctx: CliContext): Command {
  return program
    .command('worker')
    .description('Take jobs of a distributed exploration on PostgreSQL until stopped; or plan a run from a spec file (--plan), or show its state (--status)')
    .requiredOption('--db <postgres-url>', 'the shared landscape database, postgres://user[:password]@host[:port]/database')
    .option('--schema <name>', 'the run’s schema in that database (one run per schema)', 'public')
    .option('--concurrency <n>', 'job loops in this process, each in its own thread (about one per free core)', positiveInteger('--concurrency'), 1)
    .option('--poll <ms>', 'pause between polls of an empty queue', positiveNumber('--poll'), 1000)
    .option('--grace <seconds>', 'how long the running job may go on after Ctrl-C / SIGTERM', nonNegativeNumber('--grace'), 30)
    .option('--maintenance-interval <seconds>', "seconds between checks for jobs past their lease (a dead worker's job is retried within lease + this)", positiveInteger('--maintenance-interval'), 30)
    .option('--idle-exit <seconds>', 'stop by itself after this long without a job (default: never)', nonNegativeNumber('--idle-exit'))
    .option('--plan <spec.json>', 'plan the run described by a spec file (see docs/distributed.md) and exit')
    .option('--status', 'print the run’s chains, minima and job counts, and exit')
    .option('--retry-failed', 'put jobs that failed with no retry left back in the queue (after fixing the cause), and exit')
    .option('--json', 'JSON lines: one per worker event (with --status / --plan: one JSON object)')
    .option('--verbose', 'also report each new minimum')
    .addHelpText(
      'after',
      '\nExamples:\n  lossscape worker --db postgres://lossscape@db.lab/landscapes --schema spiral_ce --concurrency 2\n  lossscape worker --db postgres://lossscape@db.lab/landscapes --schema lj13 --plan lj13.json\n  lossscape worker --db postgres://lossscape@db.lab/landscapes --schema lj13 --status\n',
    )
    .action(async (o: WorkerCommandOptions) => {
      requirePostgresUrl(o.db);
      if ([o.plan, o.status, o.retryFailed].filter(Boolean).length > 1) throw new UsageError('Expected at most one of --plan, --status and --retry-failed but received several');
      if (o.plan) return plan(o, ctx);
      if (o.retryFailed) {
        const n = await withRun(o, (_store, queue) => queue.retryFailed());
        return println(ctx, o.json ? JSON.stringify({ retried: n }) : `${n} failed job(s) back in the queue`);
      }
      if (o.status) return status(o, ctx);
      return work(o, ctx);
    });
}

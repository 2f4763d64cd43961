// SPDX-License-Identifier: MIT
/**
 * A worker: takes jobs of a distributed run from the queue until told to stop.
 *
 * ```ts
 * const stop = new AbortController();
 * process.once('SIGTERM', () => stop.abort());
 * const summary = await runWorker({ url: 'postgres://lossscape@db/landscapes', schema: 'spiral_ce', signal: stop.signal, onEvent: console.log });
 * ```
 *
 * Stopping: once `signal` aborts, no new job is taken; the running job may finish within
 * `graceMs`, after which it is interrupted at a committed point and handed back: a segment that
 * made progress is completed and replaced by a continuation job from its last committed step (no
 * retry used); anything else is failed back to the queue and retried. `abortNow` interrupts at once.
 *
 * `concurrency` > 1 runs that many loops in worker threads of this process (each with its own
 * connections), for machines with more cores than one loop uses: a quench is synchronous
 * JavaScript, so loops in one thread would not run in parallel.
 */
import { hostname } from 'node:os';
import { Worker as Thread } from 'node:worker_threads';
import { LandscapeError, expectedMessage, type EigenSolver, type LandscapeErrorCode } from '@lossscape/numeric';
import { openPostgresStore, type PostgresStore } from '@lossscape/landscape';
import type { SamplerEvent } from '@lossscape/sampler';
import { JobReleased, loadRun, runJob, type JobContext, type LoadedRun } from './jobs.js';
import { createChainLocks } from './locks.js';
import { JobQueue, type AnyJob, type JobKind } from './queue.js';

export type WorkerEvent =
  | { readonly type: 'worker-started'; readonly worker: string; readonly schema: string }
  | { readonly type: 'job-started'; readonly worker: string; readonly kind: JobKind; readonly id: string; readonly data: unknown; readonly attempt: number }
  | { readonly type: 'job-finished'; readonly worker: string; readonly kind: JobKind; readonly id: string; readonly ms: number; readonly summary: string }
  | { readonly type: 'job-released'; readonly worker: string; readonly kind: JobKind; readonly id: string; readonly ms: number; readonly reason: string }
  | { readonly type: 'job-failed'; readonly worker: string; readonly kind: JobKind; readonly id: string; readonly ms: number; readonly message: string }
  | { readonly type: 'sampler'; readonly worker: string; readonly event: SamplerEvent }
  | { readonly type: 'warning'; readonly worker: string; readonly message: string }
  | { readonly type: 'worker-stopped'; readonly worker: string; readonly jobs: number; readonly released: number; readonly failed: number };

export interface WorkerOptions {
  /** postgres:// connection string of the landscape database. */
  readonly url: string;
  /** The landscape's schema (default 'public'). */
  readonly schema?: string;
  /** Job loops in this process (default 1; more run in worker threads). */
  readonly concurrency?: number;
  /** Stop taking jobs; the running one gets `graceMs` to finish. */
  readonly signal?: AbortSignal;
  /** Interrupt the running job now (a second Ctrl-C). */
  readonly abortNow?: AbortSignal;
  /** How long a running job may go on after `signal` (default 30 000 ms). */
  readonly graceMs?: number;
  /** Pause between polls of an empty queue (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /** pg-boss maintenance interval: a dead worker's job is retried within its lease + this (default 30 s). */
  readonly maintenanceIntervalSeconds?: number;
  /** Stop by itself once no job has been seen for this long (default: never; tests and benchmarks). */
  readonly idleExitMs?: number;
  readonly onEvent?: (event: WorkerEvent) => void;
  /** Dense eigen-solver for transition-state searches; default hessian-native's. */
  readonly eigenSolver?: EigenSolver;
  /** A name for logs (default host:pid, with /loop for threads). */
  readonly name?: string;
}

export interface WorkerSummary {
  readonly jobs: number;
  readonly released: number;
  readonly failed: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((done) => {
    if (signal?.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      done();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });

function validate(options: WorkerOptions): void {
  if (options === null || typeof options !== 'object') throw new TypeError(expectedMessage('WorkerOptions object', 'options', options));
  if (typeof options.url !== 'string' || !/^postgres(ql)?:\/\//.test(options.url)) throw new TypeError(expectedMessage('a postgres:// connection string', 'url', options.url));
  const c = options.concurrency ?? 1;
  if (!Number.isInteger(c) || c < 1) throw new RangeError(expectedMessage('positive integer', 'concurrency', c));
  for (const key of ['graceMs', 'pollIntervalMs', 'idleExitMs'] as const) {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0)) throw new RangeError(expectedMessage('non-negative number', key, v));
  }
}

/** One job loop on this thread. */
export async function runWorkerLoop(options: WorkerOptions): Promise<WorkerSummary> {
  validate(options);
  const worker = options.name ?? `${hostname()}:${process.pid}`;
  const schema = options.schema ?? 'public';
  const emit = (event: WorkerEvent): void => options.onEvent?.(event);
  const stop = options.signal;
  const graceMs = options.graceMs ?? 30_000;
  const pollMs = options.pollIntervalMs ?? 1000;

  let store: PostgresStore | undefined;
  let queue: JobQueue | undefined;
  const locks = createChainLocks(options.url, schema);
  let jobs = 0;
  let released = 0;
  let failed = 0;
  try {
    store = await openPostgresStore(options.url, { schema, poolSize: 2, applicationName: `lossscape-worker ${worker}` });
    queue = await JobQueue.open(options.url, {
      schema,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
      onError: (error) => emit({ type: 'warning', worker, message: `job queue: ${error.message}` }),
    });
    const eigenSolver = options.eigenSolver ?? (await import('@lossscape/hessian-native')).nativeEigenSolver;
    let loaded: Promise<LoadedRun> | undefined;
    const ctx: JobContext = {
      store,
      queue,
      locks,
      eigenSolver,
      onSamplerEvent: (event) => emit({ type: 'sampler', worker, event }),
      run: () => {
        const s = store!;
        loaded ??= loadRun(s).catch((err: unknown) => {
          loaded = undefined; // a spec planned later is picked up by the next job
          throw err;
        });
        return loaded;
      },
    };
    emit({ type: 'worker-started', worker, schema });

    let lastJob = Date.now();
    while (!stop?.aborted) {
      let job: AnyJob | undefined;
      try {
        job = await queue.fetchNext();
      } catch (err) {
        emit({ type: 'warning', worker, message: `fetching a job failed: ${(err as Error).message}` });
        await sleep(pollMs, stop);
        continue;
      }
      if (!job) {
        if (options.idleExitMs !== undefined && Date.now() - lastJob >= options.idleExitMs) break;
        await sleep(pollMs, stop);
        continue;
      }
      const t0 = performance.now();
      emit({ type: 'job-started', worker, kind: job.kind, id: job.id, data: job.data, attempt: job.retryCount + 1 });
      // The job's own signal: aborted `graceMs` after a stop request, or at once on abortNow.
      const interrupt = new AbortController();
      const onStop = () => {
        const timer = setTimeout(() => interrupt.abort(), graceMs);
        interrupt.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
      };
      const onAbortNow = () => interrupt.abort();
      stop?.addEventListener('abort', onStop, { once: true });
      options.abortNow?.addEventListener('abort', onAbortNow, { once: true });
      if (stop?.aborted) onStop();
      if (options.abortNow?.aborted) interrupt.abort();
      try {
        const outcome = await runJob(job, ctx, interrupt.signal);
        await queue.complete(job, outcome.output);
        jobs++;
        emit({ type: 'job-finished', worker, kind: job.kind, id: job.id, ms: performance.now() - t0, summary: outcome.summary });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const isRelease = err instanceof JobReleased;
        if (isRelease) released++;
        else failed++;
        const continuation = isRelease ? err.continuation : undefined;
        try {
          if (continuation) {
            // Enqueue first: dying in between leaves the job active, to be retried after its lease.
            const spec = (await ctx.run()).spec;
            await queue.enqueue('segment', continuation, spec.jobs);
            await queue.complete(job, { message, released: true, continuation });
          } else {
            await queue.fail(job, { message, released: isRelease });
          }
        } catch (cause) {
          emit({ type: 'warning', worker, message: `handing back ${job.kind} job ${job.id} failed (its lease will expire): ${(cause as Error).message}` });
        }
        emit(
          isRelease
            ? { type: 'job-released', worker, kind: job.kind, id: job.id, ms: performance.now() - t0, reason: message }
            : { type: 'job-failed', worker, kind: job.kind, id: job.id, ms: performance.now() - t0, message },
        );
      } finally {
        stop?.removeEventListener('abort', onStop);
        options.abortNow?.removeEventListener('abort', onAbortNow);
        interrupt.abort(); // clears the grace timer
        lastJob = Date.now();
      }
    }
  } finally {
    await Promise.allSettled([queue?.close(), store?.close(), locks.close()]);
  }
  emit({ type: 'worker-stopped', worker, jobs, released, failed });
  return { jobs, released, failed };
}

/** Messages from a loop thread (worker-thread.ts). */
export type ThreadMessage =
  | { readonly kind: 'event'; readonly event: WorkerEvent }
  | { readonly kind: 'done'; readonly summary: WorkerSummary }
  | { readonly kind: 'error'; readonly message: string; readonly code?: string };

/**
 * Runs `concurrency` job loops: one on this thread when 1, else each in a worker thread (built
 * JavaScript only: the thread loads dist/distributed/worker-thread.js).
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  validate(options);
  const concurrency = options.concurrency ?? 1;
  if (concurrency === 1) return runWorkerLoop(options);
  const base = options.name ?? `${hostname()}:${process.pid}`;
  const { signal, abortNow, onEvent, eigenSolver: _solver, ...plain } = options;
  const loops = Array.from(
    { length: concurrency },
    (_, i) =>
      new Promise<WorkerSummary>((done, fail) => {
        const thread = new Thread(new URL('./worker-thread.js', import.meta.url), { workerData: { ...plain, name: `${base}/${i}` } });
        const stop = () => thread.postMessage('stop');
        const now = () => thread.postMessage('abort-now');
        signal?.addEventListener('abort', stop, { once: true });
        abortNow?.addEventListener('abort', now, { once: true });
        if (signal?.aborted) stop();
        let summary: WorkerSummary | undefined;
        let error: { message: string; code?: string } | undefined;
        thread.on('message', (m: ThreadMessage) => {
          if (m.kind === 'event') onEvent?.(m.event);
          else if (m.kind === 'done') summary = m.summary;
          else error = m;
        });
        thread.on('error', (e) => (error = { message: e.message }));
        thread.on('exit', () => {
          signal?.removeEventListener('abort', stop);
          abortNow?.removeEventListener('abort', now);
          if (summary) done(summary);
          // A loop's own error (e.g. the database refused) keeps its code and one-line message.
          else if (error?.code?.startsWith('ERR_')) fail(new LandscapeError(error.message, error.code as LandscapeErrorCode));
          else fail(new LandscapeError(`Expected worker loop ${i} to stop cleanly but received ${error?.message ?? 'an exit without a summary'}`, 'ERR_WORKER'));
        });
      }),
  );
  const results = await Promise.allSettled(loops);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return results.reduce(
    (sum, r) => {
      const s = (r as PromiseFulfilledResult<WorkerSummary>).value;
      return { jobs: sum.jobs + s.jobs, released: sum.released + s.released, failed: sum.failed + s.failed };
    },
    { jobs: 0, released: 0, failed: 0 },
  );
}

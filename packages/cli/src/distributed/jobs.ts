// SPDX-License-Identifier: MIT
/**
 * What a worker does with each kind of job. Every handler is idempotent in effect, because a
 * job may run more than once: its worker may die after doing the work and before marking it
 * done (kill -9), or its lease may expire while it still runs.
 *
 * - segment {chain, fromStep, toStep}: the chain's steps up to `toStep`, resumed from its
 *   checkpoint with `basinHopping({ resume: true, steps: toStep })`. Each quench's minimum (or
 *   hit) is committed in one transaction with the chain's checkpoint, so a worker killed at any
 *   moment leaves a consistent prefix, and a retry continues from exactly there: every step's
 *   effect lands once. A session advisory lock on the chain (held on its own connection for the
 *   whole job) keeps a second worker off a chain whose first worker is alive but past its lease
 *   (the second one waits for it, up to half its own lease);
 *   PostgreSQL drops the lock when the holder's connection dies. The job then plans its
 *   successor (or marks the chain finished) and a property job per minimum the chain first found
 *   in [fromStep, toStep) — by query, so minima committed by an attempt that died are included.
 * - properties {minimum}: evaluate and merge, unless properties are already there.
 * - connect {minimum1, minimum2}: one double-ended search; minima and transition states are
 *   stored through the duplicate-safe store. A pair whose search finished before (a marker
 *   checkpoint written last) is not searched again.
 * - plan {after}: once every chain has finished, pairs each minimum with its nearest neighbours
 *   and enqueues connection jobs (deterministic ids: each pair once).
 */
import { LandscapeError, type EigenSolver, type Potential, type Rng } from '@lossscape/numeric';
import type { MinimumProperties, MinimumRecord, PostgresStore } from '@lossscape/landscape';
import {
  basinHopping,
  chainCheckpointKey,
  connectPair,
  minimumDistance,
  type ChainCheckpoint,
  type SamplerEvent,
  type StopReason,
  type TransitionStateOptions,
} from '@lossscape/sampler';
import type { ChainLocks } from './locks.js';
import { loadFactory } from './modules.js';
import type { AnyJob, ConnectJob, JobQueue, PlanJob, PropertiesJob, SegmentJob } from './queue.js';
import { RUN_SPEC_KEY, basinHoppingSettings, chainCount, chainFinishedKey, connectionDoneKey, parseRunSpec, type ChainFinished, type RunSpec } from './spec.js';

/**
 * Thrown when a job must be handed back (shutdown, chain held elsewhere). Without `continuation`
 * the job is failed back to the queue and retried (one of its retries is used); with one — a
 * segment that made progress — the job is completed and the continuation enqueued in its place,
 * so that shutting workers down over and over never exhausts a job's retries.
 */
export class JobReleased extends Error {
  constructor(
    message: string,
    readonly continuation?: SegmentJob,
  ) {
    super(message);
  }
}
Object.defineProperty(JobReleased.prototype, 'name', { value: 'JobReleased' });

export type Evaluator = (minimum: MinimumRecord) => Promise<MinimumProperties> | MinimumProperties;

/** What a worker loop builds once and hands to every job. */
export interface JobContext {
  readonly store: PostgresStore;
  readonly queue: JobQueue;
  readonly locks: ChainLocks;
  /** Dense eigen-solver for transition-state searches (hessian-native's, injected). */
  readonly eigenSolver?: EigenSolver;
  /** Sampler events of running jobs (minima found, warnings), for logs. */
  readonly onSamplerEvent?: (event: SamplerEvent) => void;
  /** The run, built lazily from the stored spec (one per worker loop). */
  run(): Promise<LoadedRun>;
}

export interface LoadedRun {
  readonly spec: RunSpec;
  readonly potential: Potential;
  readonly evaluator?: Evaluator;
  readonly randomPoint?: (rng: Rng) => Float64Array;
}

/** Reads the spec and builds its factories. */
export async function loadRun(store: PostgresStore): Promise<LoadedRun> {
  const stored = await store.loadCheckpoint(RUN_SPEC_KEY);
  if (stored === undefined) {
    throw new LandscapeError(`Expected a planned run (checkpoint '${RUN_SPEC_KEY}') in ${store.url} schema ${store.schema} but received none`, 'ERR_CONFIG');
  }
  const spec = parseRunSpec(stored, `the stored run spec of schema ${store.schema}`);
  const potential = (await loadFactory(spec.potential, 'potential')) as Potential;
  if (potential === null || typeof potential !== 'object' || typeof potential.energyGradient !== 'function') {
    throw new LandscapeError(`Expected a Potential from ${spec.potential.module}#${spec.potential.exportName} but received ${typeof potential}`, 'ERR_WORKER');
  }
  const evaluator = spec.evaluator ? ((await loadFactory(spec.evaluator, 'evaluator')) as Evaluator) : undefined;
  const randomPoint = spec.randomPoint ? ((await loadFactory(spec.randomPoint, 'random point')) as (rng: Rng) => Float64Array) : undefined;
  return { spec, potential, evaluator, randomPoint };
}

export interface JobOutcome {
  /** One line for the log. */
  readonly summary: string;
  /** Stored as the job's output. */
  readonly output: Record<string, unknown>;
}

export async function runJob(job: AnyJob, ctx: JobContext, signal: AbortSignal): Promise<JobOutcome> {
  switch (job.kind) {
    case 'segment':
      return runSegment(job.data, ctx, signal);
    case 'properties':
      return runProperties(job.data, ctx);
    case 'connect':
      return runConnection(job.data, ctx, signal);
    case 'plan':
      return runPlan(job.data, ctx);
  }
}

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish, { once: true });
  });

/**
 * Takes the chain's lease. When another worker holds it, that worker is still running this very
 * segment past its job's lease (a chain has one live segment at a time): wait for it — up to
 * half our own lease — rather than give the job back at once, which would spend its retries
 * while the other worker finishes. If the holder finishes, this attempt finds the chain at
 * `toStep` and only re-plans; if it dies, PostgreSQL releases the lock and this attempt runs.
 */
async function acquireChain(ctx: JobContext, chain: number, leaseSeconds: number, signal: AbortSignal): Promise<void> {
  const giveUpAt = Date.now() + (leaseSeconds * 1000) / 2;
  while (!(await ctx.locks.tryLock(chain))) {
    if (signal.aborted || Date.now() >= giveUpAt) throw new JobReleased(`chain ${chain} is held by another worker (a job past its lease still running)`);
    await pause(Math.min(1000, Math.max(0, giveUpAt - Date.now())), signal);
  }
}

async function runSegment(job: SegmentJob, ctx: JobContext, signal: AbortSignal): Promise<JobOutcome> {
  const run = await ctx.run();
  const { spec, potential } = run;
  const { chain, fromStep, toStep } = job;
  if (!(chain >= 0 && chain < chainCount(spec))) throw new LandscapeError(`Expected a chain below ${chainCount(spec)} for a segment job but received ${chain}`, 'ERR_CONFIG');
  await acquireChain(ctx, chain, spec.jobs.leaseSeconds, signal);
  try {
    const store = ctx.store;
    const finished = await store.loadCheckpoint<ChainFinished>(chainFinishedKey(chain));
    if (finished) return { summary: `chain ${chain} had already finished (${finished.reason})`, output: { chain, alreadyFinished: true } };
    const before = await store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(chain));
    const stepBefore = before?.step ?? 0;
    if (stepBefore < fromStep) {
      throw new LandscapeError(`Expected chain ${chain} at step ${fromStep} or later for segment ${fromStep}–${toStep} but received step ${stepBefore}`, 'ERR_DATABASE');
    }
    const deadline = spec.deadline ? Date.parse(spec.deadline) - Date.now() : Infinity;
    let reason: StopReason = 'steps';
    let stepAfter = stepBefore;
    let found = 0;
    if (stepBefore < toStep && deadline > 0) {
      const events = basinHopping({
        ...basinHoppingSettings(spec),
        potential,
        x0: Float64Array.from(spec.starts[chain]),
        chain,
        store,
        resume: true,
        steps: toStep,
        signal,
        progressIntervalMs: 3_600_000, // progress is read from checkpoints by followProgress
        ...(deadline < Infinity ? { timeBudgetMs: deadline } : {}),
        ...(run.randomPoint ? { randomPoint: run.randomPoint } : {}),
      });
      for (;;) {
        const next = await events.next();
        if (next.done) {
          reason = next.value.reason;
          stepAfter = next.value.steps;
          break;
        }
        if (next.value.type === 'minimum-added') found++;
        if (next.value.type === 'minimum-added' || next.value.type === 'warning' || next.value.type === 'reseed') ctx.onSamplerEvent?.(next.value);
      }
    } else if (deadline <= 0) reason = 'time';
    if (reason === 'aborted') {
      // A continuation starts where this attempt stopped: its key (chain:step) is never a
      // regular segment's, whose first steps are multiples of segmentSteps bounding this one.
      const continuation = stepAfter > stepBefore && stepAfter < toStep ? { chain, fromStep: stepAfter, toStep } : undefined;
      // The continuation plans property jobs for its own steps only: plan this part's now.
      if (continuation && run.evaluator) {
        const ids = await store.minimaFoundBy(chain, fromStep, stepAfter);
        await ctx.queue.enqueueMany('properties', ids.map((minimum) => ({ minimum })), spec.jobs);
      }
      throw new JobReleased(`stopped at chain ${chain} step ${stepAfter} (committed; ${continuation ? 'a continuation job' : 'the retry'} resumes there)`, continuation);
    }

    if (run.evaluator) {
      const ids = await store.minimaFoundBy(chain, fromStep, toStep);
      await ctx.queue.enqueueMany('properties', ids.map((minimum) => ({ minimum })), spec.jobs);
    }
    const done = reason !== 'steps' || stepAfter >= spec.sampling.steps;
    if (done) {
      await store.saveCheckpoint(chainFinishedKey(chain), { reason: stepAfter >= spec.sampling.steps ? 'steps' : reason, step: stepAfter } satisfies ChainFinished);
      if (spec.connections) await ctx.queue.enqueue('plan', { after: chain }, spec.jobs);
    } else {
      await ctx.queue.enqueue('segment', { chain, fromStep: toStep, toStep: Math.min(toStep + spec.sampling.segmentSteps, spec.sampling.steps) }, spec.jobs);
    }
    return {
      summary: `chain ${chain} steps ${stepBefore}→${stepAfter}: ${found} new minima${done ? `, chain finished (${reason})` : ''}`,
      output: { chain, stepBefore, stepAfter, newMinima: found, finished: done, reason },
    };
  } finally {
    await ctx.locks.unlock(chain);
  }
}

async function runProperties(job: PropertiesJob, ctx: JobContext): Promise<JobOutcome> {
  const { evaluator } = await ctx.run();
  const minimum = await ctx.store.getMinimum(job.minimum);
  if (!minimum) throw new LandscapeError(`Expected a stored minimum for a properties job but received id ${job.minimum}`, 'ERR_DATABASE');
  if (!evaluator) return { summary: `minimum ${job.minimum}: the run has no evaluator`, output: { minimum: job.minimum, skipped: true } };
  // Properties come only from this evaluator in a distributed run: present means done.
  if (Object.keys(minimum.properties).length > 0) return { summary: `minimum ${job.minimum} already evaluated`, output: { minimum: job.minimum, skipped: true } };
  const properties = await evaluator(minimum);
  await ctx.store.updateMinimumProperties(job.minimum, properties);
  ctx.onSamplerEvent?.({ type: 'minimum-properties', chain: minimum.chain, elapsedMs: 0, minimumId: minimum.id, properties });
  return { summary: `minimum ${job.minimum} evaluated`, output: { minimum: job.minimum } };
}

async function runConnection(job: ConnectJob, ctx: JobContext, signal: AbortSignal): Promise<JobOutcome> {
  const { spec, potential, evaluator } = await ctx.run();
  const lo = Math.min(job.minimum1, job.minimum2);
  const hi = Math.max(job.minimum1, job.minimum2);
  const done = await ctx.store.loadCheckpoint<{ connected: boolean }>(connectionDoneKey(lo, hi));
  if (done) return { summary: `pair ${lo}–${hi} was searched before (connected: ${done.connected})`, output: { ...done, repeated: true } };
  const search = (spec.connections?.search ?? {}) as TransitionStateOptions;
  const pair = connectPair(potential, ctx.store, lo, hi, { ...search, ...(ctx.eigenSolver ? { eigenSolver: ctx.eigenSolver } : {}), signal });
  let result;
  for (;;) {
    const next = await pair.next();
    if (next.done) {
      result = next.value;
      break;
    }
    if (next.value.type !== 'connection-attempt') ctx.onSamplerEvent?.(next.value);
  }
  if (signal.aborted) throw new JobReleased(`search ${lo}–${hi} interrupted (what it stored stays; the retry searches again)`);
  // Property jobs for every minimum a search ever found (chain −1), not only this attempt's new
  // ones: an earlier attempt that died may have stored one and not planned its job. Existing
  // jobs are skipped by id, evaluated minima by the handler.
  if (evaluator) await ctx.queue.enqueueMany('properties', (await ctx.store.minimaFoundBy(-1, 0, 1)).map((minimum) => ({ minimum })), spec.jobs);
  await ctx.store.saveCheckpoint(connectionDoneKey(lo, hi), { connected: result.connected, transitionStatesAdded: result.transitionStatesAdded });
  return {
    summary: `pair ${lo}–${hi}: ${result.connected ? 'connected' : 'not connected'}, ${result.transitionStatesAdded} new transition states, ${result.minimaAdded} new minima`,
    output: { minimum1: lo, minimum2: hi, ...result },
  };
}

/**
 * Pairs for connection jobs: each minimum (by id) with its `neighbours` nearest others under the
 * potential's aligned distance, skipping pairs joined by a stored transition state or already
 * failed, in order of first appearance, at most `maxAttempts`. Cost O(N²) distances.
 */
export function choosePairs(
  potential: Potential,
  minima: readonly MinimumRecord[],
  options: { neighbours: number; maxAttempts: number; skip?: ReadonlySet<string> },
): Array<readonly [number, number]> {
  const pairs: Array<readonly [number, number]> = [];
  const seen = new Set(options.skip ?? []);
  for (const m of minima) {
    const nearest = minima
      .filter((o) => o.id !== m.id)
      .map((o) => ({ id: o.id, d: minimumDistance(potential, m.coordinates, o.coordinates) }))
      .sort((a, b) => a.d - b.d || a.id - b.id)
      .slice(0, options.neighbours);
    for (const n of nearest) {
      const key = `${Math.min(m.id, n.id)}-${Math.max(m.id, n.id)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push([Math.min(m.id, n.id), Math.max(m.id, n.id)]);
      if (pairs.length >= options.maxAttempts) return pairs;
    }
  }
  return pairs;
}

/** Pairs already joined by a transition state or already failed, as 'lo-hi' keys. */
export async function pairsToSkip(store: PostgresStore): Promise<Set<string>> {
  const skip = new Set<string>();
  for (const t of await store.transitionStates()) skip.add(`${Math.min(t.minimum1, t.minimum2)}-${Math.max(t.minimum1, t.minimum2)}`);
  for (const [a, b] of await store.failedConnections()) skip.add(`${a}-${b}`);
  return skip;
}

async function runPlan(job: PlanJob, ctx: JobContext): Promise<JobOutcome> {
  const { spec, potential } = await ctx.run();
  if (!spec.connections) return { summary: 'the run plans no connections', output: { planned: 0 } };
  const chains = chainCount(spec);
  for (let c = 0; c < chains; c++) {
    if (!(await ctx.store.loadCheckpoint(chainFinishedKey(c)))) {
      return { summary: `after chain ${job.after}: chain ${c} still running, connections wait for the last chain`, output: { planned: 0, waitingFor: c } };
    }
  }
  const pairs = choosePairs(potential, await ctx.store.minima(), { ...spec.connections, skip: await pairsToSkip(ctx.store) });
  await ctx.queue.enqueueMany('connect', pairs.map(([minimum1, minimum2]) => ({ minimum1, minimum2 })), spec.jobs);
  return { summary: `${pairs.length} connection jobs planned`, output: { planned: pairs.length } };
}

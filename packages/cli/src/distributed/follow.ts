// SPDX-License-Identifier: MIT
/**
 * Following a distributed run from any machine: polls the landscape and the job queue and turns
 * what changed into the sampler's events, so the dashboard shows a distributed run as it shows a
 * local one — each chain in the chain table (its progress, acceptance, step size), new minima,
 * their properties, transition states, and a warning when jobs fail for good.
 *
 * ```ts
 * for await (const event of followProgress(store, queue, { signal })) dashboard.push(event);
 * ```
 *
 * It ends with run-finished once every chain has finished and no job is waiting or running (a
 * last sweep first plans property jobs for any minimum still without properties), or returns
 * with reason 'aborted' when `signal` aborts: the run goes on without a follower.
 * Cost per poll: a few queries plus one per chain (its checkpoint) and one per new minimum.
 */
import { LandscapeError } from '@lossscape/numeric';
import type { PostgresStore } from '@lossscape/landscape';
import { chainCheckpointKey, type ChainCheckpoint, type SamplerEvent, type StopReason } from '@lossscape/sampler';
import type { JobQueue } from './queue.js';
import { RUN_SPEC_KEY, chainCount, chainFinishedKey, parseRunSpec, type ChainFinished } from './spec.js';

export interface FollowOptions {
  readonly signal?: AbortSignal;
  /** Pause between polls (default 1000 ms). */
  readonly intervalMs?: number;
}

export interface FollowSummary {
  readonly reason: 'done' | 'aborted';
  readonly minima: number;
  readonly transitionStates: number;
  readonly quenches: number;
  /** Jobs that failed with no retry left. */
  readonly failedJobs: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((done) => {
    if (signal?.aborted) return done();
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      done();
    };
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
  });

export async function* followProgress(store: PostgresStore, queue: JobQueue, options: FollowOptions = {}): AsyncGenerator<SamplerEvent, FollowSummary> {
  const stored = await store.loadCheckpoint(RUN_SPEC_KEY);
  if (stored === undefined) throw new LandscapeError(`Expected a planned run in schema ${store.schema} to follow but received none`, 'ERR_CONFIG');
  const spec = parseRunSpec(stored, 'the stored run spec');
  const chains = chainCount(spec);
  const intervalMs = options.intervalMs ?? 1000;
  const t0 = performance.now();
  const elapsedMs = () => performance.now() - t0;
  const steps = new Array<number>(chains).fill(0);
  const finished = new Array<boolean>(chains).fill(false);
  const checkpoints = async () => Promise.all(Array.from({ length: chains }, (_, c) => store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(c))));

  const initial = await checkpoints();
  let lastMinimum = 0;
  let lastTs = 0;
  const unevaluated = new Set<number>();
  const swept = new Set<number>();
  let failedSeen = 0;
  yield {
    type: 'run-started',
    chain: -1,
    elapsedMs: elapsedMs(),
    chains,
    steps: spec.sampling.steps,
    timeBudgetMs: spec.deadline ? Date.parse(spec.deadline) - Date.now() : Infinity,
    temperature: spec.sampling.temperature,
    stepSize: spec.sampling.stepSize,
    seed: spec.sampling.seed,
    resumedQuenches: initial.reduce((n, c) => n + (c?.step ?? 0), 0),
    resumedMinima: await store.minimumCount(),
  };

  for (;;) {
    const count = await store.minimumCount();
    for (let id = lastMinimum + 1; id <= count; id++) {
      const m = await store.getMinimum(id);
      if (!m) continue;
      yield { type: 'minimum-added', chain: m.chain, elapsedMs: elapsedMs(), step: m.firstStep, minimum: { id, energy: m.energy }, distinctMinima: id };
      if (Object.keys(m.properties).length > 0) yield { type: 'minimum-properties', chain: m.chain, elapsedMs: elapsedMs(), minimumId: id, properties: m.properties };
      else if (spec.evaluator) unevaluated.add(id);
    }
    lastMinimum = Math.max(lastMinimum, count);
    for (const id of [...unevaluated].slice(0, 200)) {
      const m = await store.getMinimum(id);
      if (m && Object.keys(m.properties).length > 0) {
        unevaluated.delete(id);
        yield { type: 'minimum-properties', chain: m.chain, elapsedMs: elapsedMs(), minimumId: id, properties: m.properties };
      }
    }
    const tsCount = await store.transitionStateCount();
    if (tsCount > lastTs) {
      for (const t of (await store.transitionStates()).slice(lastTs)) {
        yield {
          type: 'transition-state-added',
          chain: -1,
          elapsedMs: elapsedMs(),
          transitionState: { id: t.id, energy: t.energy, minimum1: t.minimum1, minimum2: t.minimum2 },
          transitionStates: t.id,
        };
      }
      lastTs = tsCount;
    }
    const now = await checkpoints();
    const total = now.reduce((n, c) => n + (c?.step ?? 0), 0);
    for (let c = 0; c < chains; c++) {
      const cp = now[c];
      if (cp && cp.step !== steps[c]) {
        steps[c] = cp.step;
        yield {
          type: 'progress',
          chain: c,
          elapsedMs: elapsedMs(),
          step: cp.step,
          steps: spec.sampling.steps,
          totalQuenches: total,
          distinctMinima: lastMinimum,
          bestEnergy: cp.bestEnergy,
          acceptance: cp.step > 0 ? cp.accepted / cp.step : 0,
          stepSize: cp.stepSize,
          sinceLastNew: cp.sinceNew,
        };
      }
      if (!finished[c]) {
        const done = await store.loadCheckpoint<ChainFinished>(chainFinishedKey(c));
        if (done) {
          finished[c] = true;
          yield { type: 'chain-finished', chain: c, elapsedMs: elapsedMs(), reason: done.reason as StopReason, steps: done.step };
        }
      }
    }
    const counts = await queue.counts();
    const failed = Object.values(counts).reduce((n, k) => n + k.failed, 0);
    if (failed > failedSeen) {
      yield {
        type: 'warning',
        chain: -1,
        elapsedMs: elapsedMs(),
        code: 'ERR_WORKER',
        message: `${failed - failedSeen} job(s) failed with no retry left (lossscape worker --status lists them)`,
      };
      failedSeen = failed;
    }
    const pending = Object.values(counts).reduce((n, k) => n + k.created + k.retry + k.active, 0);
    if (pending === 0 && finished.every(Boolean)) {
      // Minima stored by a connection attempt that died before planning their property jobs.
      const missing = [...unevaluated].filter((id) => !swept.has(id));
      if (missing.length > 0) {
        missing.forEach((id) => swept.add(id));
        await queue.enqueueMany('properties', missing.map((minimum) => ({ minimum })), spec.jobs);
        continue;
      }
      if (unevaluated.size > 0) {
        yield { type: 'warning', chain: -1, elapsedMs: elapsedMs(), code: 'ERR_EVALUATION', message: `${unevaluated.size} minima have no properties after their jobs ran` };
      }
      const reason: StopReason = 'steps';
      yield { type: 'run-finished', chain: -1, elapsedMs: elapsedMs(), reason, totalQuenches: total, distinctMinima: lastMinimum, transitionStates: lastTs };
      return { reason: 'done', minima: lastMinimum, transitionStates: lastTs, quenches: total, failedJobs: failed };
    }
    await sleep(intervalMs, options.signal);
    if (options.signal?.aborted) return { reason: 'aborted', minima: lastMinimum, transitionStates: lastTs, quenches: total, failedJobs: failed };
  }
}

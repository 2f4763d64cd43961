// SPDX-License-Identifier: MIT
/**
 * Following a run through its database alone (another process writes it; we read through WAL):
 * the changes since the last poll become the same sampler events a live run emits, so the
 * dashboard and the line log need nothing special for `lossscape watch`.
 */
import type { LandscapeStore, MinimumRecord } from '@lossscape/landscape';
import type { SamplerEvent } from '@lossscape/sampler';
import { chainCheckpoints } from './progress.js';
import { HEARTBEAT_MS, STATUS_KEY, type RunStatus } from './engine-task.js';
import { CALIBRATION_KEY } from './explore.js';
import type { ExploreConfig } from '../config/schema.js';

export interface WatchOptions {
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** Stop once the run is finished or stopped (default true; false keeps polling for a resume). */
  readonly untilDone?: boolean;
  /** Wall clock (tests). */
  readonly now?: () => number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A run whose heartbeat is older than this is taken as dead (killed without a goodbye). */
export const STALE_AFTER_MS = 4 * HEARTBEAT_MS;

export async function* watchEvents(store: LandscapeStore, config: ExploreConfig, options: WatchOptions = {}): AsyncGenerator<SamplerEvent, RunStatus | undefined> {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? Date.now;
  const t0 = now();
  const elapsed = () => now() - t0;
  const chains = config.sampler.chains;
  const steps = config.sampler.steps ?? Infinity;
  let announced = false;
  let lastMinimum = 0;
  let lastTs = 0;
  const evaluated = new Set<number>();
  let status: RunStatus | undefined;
  for (;;) {
    const [minima, transitionStates, calibration, checkpoints] = await Promise.all([
      store.minima(),
      store.transitionStates(),
      store.loadCheckpoint<{ temperature: number; stepSize: number }>(CALIBRATION_KEY),
      chainCheckpoints(store, chains),
    ]);
    status = await store.loadCheckpoint<RunStatus>(STATUS_KEY);
    const totalQuenches = checkpoints.reduce((sum, cp) => sum + (cp?.step ?? 0), 0);
    if (!announced) {
      announced = true;
      yield {
        type: 'run-started',
        chain: 0,
        elapsedMs: elapsed(),
        chains,
        steps,
        timeBudgetMs: config.sampler.timeMinutes === null ? Infinity : config.sampler.timeMinutes * 60_000,
        temperature: calibration?.temperature ?? NaN,
        stepSize: calibration?.stepSize ?? NaN,
        seed: config.sampler.seed,
        resumedQuenches: totalQuenches,
        resumedMinima: 0,
      };
    }
    const byId = new Map<number, MinimumRecord>(minima.map((m) => [m.id, m]));
    for (const m of minima) {
      if (m.id > lastMinimum) {
        yield { type: 'minimum-added', chain: m.chain, elapsedMs: elapsed(), step: m.firstStep, minimum: { id: m.id, energy: m.energy }, distinctMinima: m.id };
        lastMinimum = m.id;
      }
      if (!evaluated.has(m.id) && Object.keys(m.properties).length > 0) {
        evaluated.add(m.id);
        yield { type: 'minimum-properties', chain: m.chain, elapsedMs: elapsed(), minimumId: m.id, properties: m.properties };
      }
    }
    for (const t of transitionStates) {
      if (t.id <= lastTs) continue;
      lastTs = t.id;
      yield { type: 'transition-state-added', chain: -1, elapsedMs: elapsed(), transitionState: { id: t.id, energy: t.energy, minimum1: t.minimum1, minimum2: t.minimum2 }, transitionStates: t.id };
    }
    let best = Infinity;
    for (const m of byId.values()) if (m.properties.flag === undefined) best = Math.min(best, m.energy);
    for (const cp of checkpoints) {
      if (!cp) continue;
      yield {
        type: 'progress',
        chain: cp.chain,
        elapsedMs: elapsed(),
        step: cp.step,
        steps,
        totalQuenches,
        distinctMinima: minima.length,
        bestEnergy: best,
        acceptance: cp.step > 0 ? cp.accepted / cp.step : NaN,
        stepSize: cp.stepSize,
        sinceLastNew: cp.sinceNew,
      };
    }
    const stale = status?.state === 'running' && now() - Date.parse(status.updatedAt) > STALE_AFTER_MS;
    const done = status !== undefined && status.state !== 'running';
    if (stale) {
      yield { type: 'warning', chain: -1, elapsedMs: elapsed(), code: 'ERR_STALE_RUN', message: `no heartbeat since ${status!.updatedAt}: the run's process (pid ${status!.pid}) seems to have died; resume it with lossscape explore --resume` };
    }
    if ((done || stale) && options.untilDone !== false) {
      yield { type: 'run-finished', chain: 0, elapsedMs: elapsed(), reason: status!.state === 'finished' ? ((status!.reason as 'steps') ?? 'steps') : 'aborted', totalQuenches, distinctMinima: minima.length, transitionStates: transitionStates.length };
      return status;
    }
    if (options.signal?.aborted) return status;
    await sleep(intervalMs, options.signal);
    if (options.signal?.aborted) return status;
  }
}

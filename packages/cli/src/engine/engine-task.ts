// SPDX-License-Identifier: MIT
/**
 * The exploration on its own thread (@lossscape/parallel's runTask), so that the dashboard on
 * the main thread stays responsive. It owns the run's database while it runs; events stream
 * back as messages; the main thread posts `pause` / `resume` and aborts to stop (the sampler
 * then commits its checkpoint, and the database is closed cleanly).
 */
import type { TaskContext } from '@lossscape/parallel';
import { createEigenSolver, setBlasThreads } from '@lossscape/hessian-native';
import { openLandscapeStore } from './store.js';
import type { SamplerEvent } from '@lossscape/sampler';
import { explore, type PauseGate } from './explore.js';
import { prepareRunFromManifest } from './run.js';
import type { ExploreConfig } from '../config/schema.js';

export interface EngineTaskData {
  /** SQLite file path or postgres:// URL. */
  readonly dbPath: string;
  /** PostgreSQL schema (with a postgres:// dbPath). */
  readonly schema?: string;
  readonly chains: number;
  readonly openblasThreads: number;
  /** Threads for each chain's pair sums (planThreads' kernelThreads; default 1). */
  readonly kernelThreads?: number;
  /** This session's config (budgets may differ from the stored one; the landscape may not). */
  readonly config: ExploreConfig;
  /** Where the data file is now, if it moved. */
  readonly datasetPath?: string;
}

export type EngineControl = { readonly type: 'pause' } | { readonly type: 'resume' };

export interface EngineSummary {
  readonly minima: number;
  readonly transitionStates: number;
}

/** Stored under STATUS_KEY: what `watch` reads to know whether the run is alive. */
export interface RunStatus {
  readonly state: 'running' | 'finished' | 'stopped';
  readonly pid: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly reason?: string;
}

export const STATUS_KEY = 'explore/status';
export const HEARTBEAT_MS = 5000;

class Gate implements PauseGate {
  private paused = false;
  private waiters: Array<() => void> = [];
  set(paused: boolean): void {
    this.paused = paused;
    if (!paused) for (const w of this.waiters.splice(0)) w();
  }
  wait(): Promise<void> {
    return this.paused ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
}

/** Task entry: the database at `dbPath` must already hold the run's manifest. */
export async function* exploreTask(data: EngineTaskData, ctx: TaskContext): AsyncGenerator<SamplerEvent, EngineSummary> {
  setBlasThreads(data.openblasThreads);
  const store = await openLandscapeStore(data.dbPath, { schema: data.schema });
  const gate = new Gate();
  // Stopping releases a paused run too.
  ctx.signal.addEventListener('abort', () => gate.set(false), { once: true });
  void (async () => {
    for (;;) {
      const message = (await ctx.receive()) as EngineControl;
      if (message?.type === 'pause') gate.set(true);
      else if (message?.type === 'resume') gate.set(false);
    }
  })().catch(() => undefined);
  try {
    const manifest = await store.getManifest();
    if (!manifest) throw new Error(`${data.dbPath} has no run manifest`);
    const run = prepareRunFromManifest(manifest, data.dbPath, { config: data.config, kernelThreads: data.kernelThreads, ...(data.datasetPath ? { datasetPath: data.datasetPath } : {}) });
    const startedAt = new Date().toISOString();
    const status = (state: RunStatus['state'], reason?: string) =>
      store.saveCheckpoint(STATUS_KEY, { state, pid: process.pid, startedAt, updatedAt: new Date().toISOString(), ...(reason ? { reason } : {}) } satisfies RunStatus);
    await status('running');
    // A heartbeat, so that `watch` can tell a live run from one whose process died.
    const heartbeat = setInterval(() => void status('running').catch(() => undefined), HEARTBEAT_MS);
    let finished: string | undefined;
    try {
      for await (const event of explore(run, { store, signal: ctx.signal, gate, chains: data.chains, eigenSolver: createEigenSolver() })) {
        if (event.type === 'run-finished' && event.chain >= 0) finished = event.reason;
        yield event;
      }
    } finally {
      clearInterval(heartbeat);
      await status(ctx.signal.aborted || finished === 'aborted' ? 'stopped' : 'finished', finished);
    }
    return { minima: await store.minimumCount(), transitionStates: await store.transitionStateCount() };
  } finally {
    await store.close();
  }
}

/** Where the built task module lives (what the worker imports). */
export const ENGINE_TASK_MODULE = new URL(import.meta.url.endsWith('.ts') ? '../../dist/engine/engine-task.js' : './engine-task.js', import.meta.url);

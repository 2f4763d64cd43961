// SPDX-License-Identifier: MIT
/**
 * A throttled external store between the event stream and React. Events may arrive thousands of
 * times per second: each one goes through the pure reducer at once (cheap, outside React), but
 * React sees a new snapshot at most once per `frameIntervalMs` (100 ms: ≤ 10 frames per
 * second), through `useSyncExternalStore(store.subscribe, store.getSnapshot)`. A burst of events
 * within one interval costs one render.
 *
 * ```ts
 * const store = createDashboardStore(runInfo);
 * for await (const event of events) store.dispatch(event);
 * store.stats(); // { events, reduceMs, commits, renderMs, frames, frameMs, busyFraction, … }
 * ```
 *
 * The store also keeps the clock moving between events (a `dashboard-clock` action every
 * `clockIntervalMs`), so elapsed time and ETA stay live during a long quench.
 */
import { requireNumberInRange } from '@lossscape/numeric';
import { initialDashboard, reduceDashboard, type DashboardAction, type DashboardState, type RunInfo } from './state.js';

export interface DashboardStoreOptions {
  /** Minimum time between two snapshots React sees. Default 100 (≤ 10 frames per second). */
  readonly frameIntervalMs?: number;
  /** Clock ticks between events; 0 turns them off. Default 1000. */
  readonly clockIntervalMs?: number;
  /** Wall clock in milliseconds (injected for tests). Default `performance.now`. */
  readonly now?: () => number;
}

/** What the dashboard costs the process: compare `busyFraction` with the run's budget (≤ 3 %). */
export interface DashboardStats {
  /** Actions dispatched (sampler and control events). */
  readonly events: number;
  /** Time spent in the reducer, milliseconds. */
  readonly reduceMs: number;
  /** Snapshots published to React. */
  readonly commits: number;
  /**
   * Time React took to re-render for those snapshots, including any terminal frame Ink drew at
   * once. React renders a store update in a microtask after the subscribers ran, so this is
   * measured from the commit to a microtask queued after React's (commits come from a timer,
   * when the microtask queue is empty, so nothing else runs in between).
   */
  readonly renderMs: number;
  /** Terminal frames (Ink layout and output, reported by Ink's `onRender`). */
  readonly frames: number;
  /** Time of the frames drawn outside a commit's measurement (Ink's throttled trailing frames). */
  readonly frameMs: number;
  /** Wall time since the store was created. */
  readonly wallMs: number;
  /** (reduceMs + renderMs + frameMs) / wallMs: the share of one core the dashboard takes. */
  readonly busyFraction: number;
  /** commits / wallMs · 1000. */
  readonly commitsPerSecond: number;
}

export interface DashboardStore {
  /** Reduces one action now; React hears of it at the next frame. */
  dispatch(action: DashboardAction): void;
  /** The latest state, including events React has not seen yet. */
  getState(): DashboardState;
  /** The state React renders (changes at most once per frame interval). Stable between commits. */
  getSnapshot(): DashboardState;
  subscribe(listener: () => void): () => void;
  /** Publishes the latest state now (for key presses, which should feel immediate, and at the end). */
  flush(): void;
  /** Counts a terminal frame that took `ms` (wire to Ink's `onRender`). */
  recordFrame(ms: number): void;
  stats(): DashboardStats;
  /** Stops the timers; later dispatches still reduce, and flush() still publishes. */
  close(): void;
}

/** Creates a store for one run. Throws for a malformed `runInfo` or options. */
export function createDashboardStore(runInfo: RunInfo, options: DashboardStoreOptions = {}): DashboardStore {
  const frameIntervalMs = requireNumberInRange('frameIntervalMs', options.frameIntervalMs ?? 100, 0, 60_000);
  const clockIntervalMs = requireNumberInRange('clockIntervalMs', options.clockIntervalMs ?? 1000, 0, 3_600_000);
  const now = options.now ?? (() => performance.now());
  if (typeof now !== 'function') throw new TypeError(`Expected function for now but received ${typeof now}`);

  let state = initialDashboard(runInfo);
  let committed = state;
  const listeners = new Set<() => void>();
  let frameTimer: ReturnType<typeof setTimeout> | undefined;
  let clockTimer: ReturnType<typeof setInterval> | undefined;
  let clockOrigin: number | undefined;
  let lastCommitAt = -Infinity;
  let closed = false;
  const createdAt = performance.now();
  const cost = { events: 0, reduceMs: 0, commits: 0, renderMs: 0, frames: 0, frameMs: 0 };
  let inCommit = false;

  const commit = (): void => {
    if (frameTimer !== undefined) {
      clearTimeout(frameTimer);
      frameTimer = undefined;
    }
    lastCommitAt = now();
    if (committed === state) return;
    committed = state;
    cost.commits++;
    const t0 = performance.now();
    inCommit = true;
    try {
      for (const listener of [...listeners]) listener();
    } finally {
      queueMicrotask(() => {
        inCommit = false;
        cost.renderMs += performance.now() - t0;
      });
    }
  };

  const schedule = (): void => {
    if (frameTimer !== undefined || closed) return;
    const delay = Math.max(0, lastCommitAt + frameIntervalMs - now());
    frameTimer = setTimeout(commit, delay);
  };

  const startClock = (elapsedMs: number): void => {
    clockOrigin = now() - elapsedMs;
    if (clockIntervalMs <= 0 || closed) return;
    clockTimer = setInterval(() => {
      if (state.finished || state.sourceEnded) {
        clearInterval(clockTimer);
        clockTimer = undefined;
        return;
      }
      store.dispatch({ type: 'dashboard-clock', elapsedMs: now() - clockOrigin! });
    }, clockIntervalMs);
    // The clock alone must not keep the process alive.
    clockTimer.unref?.();
  };

  const store: DashboardStore = {
    dispatch(action) {
      const t0 = performance.now();
      const next = reduceDashboard(state, action);
      cost.reduceMs += performance.now() - t0;
      cost.events++;
      if (clockOrigin === undefined && next.started && 'elapsedMs' in action && action.type !== 'dashboard-clock') startClock(action.elapsedMs);
      if (next === state) return;
      state = next;
      schedule();
    },
    getState: () => state,
    getSnapshot: () => committed,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    flush: commit,
    recordFrame(ms) {
      cost.frames++;
      if (!inCommit) cost.frameMs += ms;
    },
    stats() {
      const wallMs = performance.now() - createdAt;
      const busy = cost.reduceMs + cost.renderMs + cost.frameMs;
      return { ...cost, wallMs, busyFraction: wallMs > 0 ? busy / wallMs : 0, commitsPerSecond: wallMs > 0 ? (cost.commits * 1000) / wallMs : 0 };
    },
    close() {
      closed = true;
      if (frameTimer !== undefined) clearTimeout(frameTimer);
      frameTimer = undefined;
      if (clockTimer !== undefined) clearInterval(clockTimer);
      clockTimer = undefined;
    },
  };
  return store;
}

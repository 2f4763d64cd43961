// SPDX-License-Identifier: MIT
/**
 * A throttled external store between the event stream and React. Events may arrive thousands of
 * times per second: `dispatch` only queues them (O(1)); they are folded into the state in
 * batches (`reduceDashboardMany`) when someone reads it, and React sees a new snapshot at most
 * once per frame interval, through `useSyncExternalStore(store.subscribe, store.getSnapshot)`.
 *
 * Frame interval: at least `frameIntervalMs` (100 ms: ≤ 10 frames per second), and longer when
 * frames are expensive, so that drawing takes at most `frameBudget` of one core (2 %): the
 * interval is the larger of `frameIntervalMs` and (cost per frame) / `frameBudget`, but never
 * more than one second. The cost per frame is the lowest of the last 8 commits (wall-clock time
 * only grows with preemption), leaving out the first few commits (cold code).
 *
 * ```ts
 * const store = createDashboardStore(runInfo);
 * for await (const event of events) store.dispatch(event);
 * store.stats(); // { events, reduceMs, commits, renderMs, frames, frameMs, busyFraction, intervalMs, … }
 * ```
 *
 * The store also keeps the clock moving between events (a `dashboard-clock` action every
 * `clockIntervalMs`), so elapsed time and ETA stay live during a long quench.
 */
import { requireNumberInRange } from '@lossscape/numeric';
import { initialDashboard, isSamplerEvent, reduceDashboardMany, type DashboardAction, type DashboardState, type RunInfo } from './state.js';

export interface DashboardStoreOptions {
  /** Minimum time between two snapshots React sees. Default 100 (≤ 10 frames per second). */
  readonly frameIntervalMs?: number;
  /**
   * Share of one core that drawing may take, in (0, 1]; frames are spaced further apart when
   * they cost more. Default 0.02. Infinity: always `frameIntervalMs`.
   */
  readonly frameBudget?: number;
  /** Clock ticks between events; 0 turns them off. Default 1000. */
  readonly clockIntervalMs?: number;
  /** Clock in milliseconds for scheduling and cost figures (injected for tests). Default `performance.now`. */
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
   * Time React took to re-render for those snapshots, including the terminal frame Ink draws at
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
  /** The current frame interval (≥ frameIntervalMs; longer when frames are expensive). */
  readonly intervalMs: number;
  /** Estimated cost of one commit: the lowest renderMs of the last 8 commits (after the first few). */
  readonly costPerCommitMs: number;
}

export interface DashboardStore {
  /** Queues one action; React hears of it at the next frame. O(1). */
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
  /** Stops the timers; later dispatches are reduced at once, and flush() still publishes. */
  close(): void;
}

/** Events queued before they are folded in at once (bounds the queue between frames). */
const MAX_PENDING = 1024;
/**
 * The frame cost estimate is the lowest of the last few commits: time is measured on the wall
 * clock, and preemption by other threads or processes and GC pauses only ever add to it, so the
 * minimum is the closest to the CPU time a frame takes (Node 20 has no per-thread CPU clock).
 */
const COST_WINDOW = 8;
/** Commits left out of the estimate: the first ones run cold (JIT, Yoga) and cost 10–100× more. */
const WARM_UP_COMMITS = 3;
/** However expensive frames are, at least one per second. */
const MAX_INTERVAL_MS = 1000;

/** Creates a store for one run. Throws for a malformed `runInfo` or options. */
export function createDashboardStore(runInfo: RunInfo, options: DashboardStoreOptions = {}): DashboardStore {
  const frameIntervalMs = requireNumberInRange('frameIntervalMs', options.frameIntervalMs ?? 100, 0, 60_000);
  const frameBudget = requireNumberInRange('frameBudget', options.frameBudget ?? 0.02, 0, Infinity, { minExclusive: true });
  const clockIntervalMs = requireNumberInRange('clockIntervalMs', options.clockIntervalMs ?? 1000, 0, 3_600_000);
  const now = options.now ?? (() => performance.now());
  if (typeof now !== 'function') throw new TypeError(`Expected function for now but received ${typeof now}`);

  let state = initialDashboard(runInfo);
  let committed = state;
  const pending: DashboardAction[] = [];
  const listeners = new Set<() => void>();
  let frameTimer: ReturnType<typeof setTimeout> | undefined;
  let clockTimer: ReturnType<typeof setInterval> | undefined;
  let clockOrigin: number | undefined;
  let lastCommitAt = -Infinity;
  let closed = false;
  let measuring = false;
  let costPerCommitMs = 0;
  const recentCosts: number[] = [];
  const createdAt = now();
  const cost = { events: 0, reduceMs: 0, commits: 0, renderMs: 0, frames: 0, frameMs: 0 };

  const intervalMs = (): number => Math.max(frameIntervalMs, Math.min(MAX_INTERVAL_MS, costPerCommitMs / frameBudget));

  const settle = (): void => {
    if (pending.length === 0) return;
    const t0 = now();
    state = reduceDashboardMany(state, pending);
    pending.length = 0;
    cost.reduceMs += now() - t0;
  };

  const commit = (): void => {
    if (frameTimer !== undefined) {
      clearTimeout(frameTimer);
      frameTimer = undefined;
    }
    settle();
    lastCommitAt = now();
    if (committed === state) return;
    committed = state;
    cost.commits++;
    const t0 = lastCommitAt;
    measuring = true;
    try {
      for (const listener of [...listeners]) listener();
    } finally {
      // Queued after React's render microtask (scheduled by the listeners), so it runs after it.
      queueMicrotask(() => {
        measuring = false;
        const c = now() - t0;
        cost.renderMs += c;
        if (cost.commits > WARM_UP_COMMITS) {
          recentCosts.push(c);
          if (recentCosts.length > COST_WINDOW) recentCosts.shift();
          costPerCommitMs = Math.min(...recentCosts);
        }
      });
    }
  };

  const schedule = (): void => {
    if (frameTimer !== undefined || closed) return;
    frameTimer = setTimeout(commit, Math.max(0, lastCommitAt + intervalMs() - now()));
  };

  const startClock = (elapsedMs: number): void => {
    clockOrigin = now() - elapsedMs;
    if (clockIntervalMs <= 0 || closed) return;
    clockTimer = setInterval(() => {
      const s = store.getState();
      if (s.finished || s.sourceEnded) {
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
      cost.events++;
      if (clockOrigin === undefined && isSamplerEvent(action)) startClock(action.elapsedMs);
      pending.push(action);
      if (closed || pending.length >= MAX_PENDING) settle();
      schedule();
    },
    getState() {
      settle();
      return state;
    },
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
      if (!measuring) cost.frameMs += ms;
    },
    stats() {
      settle();
      const wallMs = now() - createdAt;
      const busy = cost.reduceMs + cost.renderMs + cost.frameMs;
      return {
        ...cost,
        wallMs,
        busyFraction: wallMs > 0 ? busy / wallMs : 0,
        commitsPerSecond: wallMs > 0 ? (cost.commits * 1000) / wallMs : 0,
        intervalMs: intervalMs(),
        costPerCommitMs,
      };
    },
    close() {
      closed = true;
      settle();
      if (frameTimer !== undefined) clearTimeout(frameTimer);
      frameTimer = undefined;
      if (clockTimer !== undefined) clearInterval(clockTimer);
      clockTimer = undefined;
    },
  };
  return store;
}

// SPDX-License-Identifier: MIT
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SamplerEvent } from '@lossscape/sampler';
import { createDashboardStore } from './store.js';
import { syntheticRun } from './test-utils/synthetic.js';

const run = { name: 'r', data: 'd', loss: 'l' };

describe('createDashboardStore (throttling, with fake timers)', () => {
  let clock = 0;
  const now = (): number => clock;
  const advance = (ms: number): void => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    clock = 0;
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes a burst of 1 000 events as one snapshot, after the events, not during', () => {
    const store = createDashboardStore(run, { now, clockIntervalMs: 0 });
    const listener = vi.fn();
    store.subscribe(listener);
    const first = store.getSnapshot();
    let n = 0;
    for (const e of syntheticRun({ chains: 2, steps: 400 })) {
      store.dispatch(e);
      if (++n === 1000) break;
    }
    expect(listener).not.toHaveBeenCalled();
    expect(store.getSnapshot()).toBe(first); // stable between commits (useSyncExternalStore needs it)
    expect(store.getState().events).toBe(1000);
    advance(0);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toBe(store.getState());
    expect(store.stats()).toMatchObject({ events: 1000, commits: 1 });
    store.close();
  });

  it('commits at most once per frame interval while events arrive every millisecond', () => {
    const store = createDashboardStore(run, { now, clockIntervalMs: 0, frameIntervalMs: 100 });
    const commitTimes: number[] = [];
    store.subscribe(() => commitTimes.push(clock));
    const events = syntheticRun({ chains: 1, steps: 5000, msPerQuench: 1 });
    for (let ms = 0; ms < 1000; ms++) {
      for (let k = 0; k < 3; k++) {
        const next = events.next();
        if (!next.done) store.dispatch(next.value);
      }
      advance(1);
    }
    advance(200);
    expect(commitTimes.length).toBeGreaterThanOrEqual(9);
    expect(commitTimes.length).toBeLessThanOrEqual(11); // ≤ 10 frames per second
    for (let i = 1; i < commitTimes.length; i++) expect(commitTimes[i] - commitTimes[i - 1]).toBeGreaterThanOrEqual(100);
    expect(store.getSnapshot()).toBe(store.getState()); // nothing left behind
    store.close();
  });

  it('spaces frames further apart when they are expensive, to stay within the frame budget', async () => {
    const store = createDashboardStore(run, { now, clockIntervalMs: 0, frameIntervalMs: 100, frameBudget: 0.02 });
    const commitTimes: number[] = [];
    store.subscribe(() => {
      commitTimes.push(clock);
      clock += 5; // each render takes 5 ms: 2 % of a core allows one every 250 ms
    });
    const events = syntheticRun({ chains: 1, steps: 10_000, msPerQuench: 1 });
    for (let ms = 0; ms < 3000; ms++) {
      store.dispatch(events.next().value as SamplerEvent);
      clock += 1;
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(store.stats().costPerCommitMs).toBe(5);
    expect(store.stats().intervalMs).toBe(250);
    // The first commits (warm-up, left out of the average) come every 100 ms, then every 250 ms.
    for (let i = 5; i < commitTimes.length; i++) expect(commitTimes[i] - commitTimes[i - 1]).toBeGreaterThanOrEqual(250);
    expect(commitTimes.length).toBeGreaterThanOrEqual(10);
    expect(commitTimes.length).toBeLessThanOrEqual(16); // instead of ~30 at 10 frames per second
    store.close();
  });

  it('never waits more than a second between frames, however expensive they are', async () => {
    const store = createDashboardStore(run, { now, clockIntervalMs: 0, frameBudget: 0.001 });
    const commitTimes: number[] = [];
    store.subscribe(() => {
      commitTimes.push(clock);
      clock += 50;
    });
    const events = syntheticRun({ chains: 1, steps: 10_000, msPerQuench: 1 });
    for (let ms = 0; ms < 6000; ms += 10) {
      store.dispatch(events.next().value as SamplerEvent);
      clock += 10;
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(store.stats().intervalMs).toBe(1000);
    const gaps = commitTimes.slice(5).map((t, i) => t - commitTimes[i + 4]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1000 + 10);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    store.close();
  });

  it('flush() publishes at once; nothing is published when nothing changed', () => {
    const store = createDashboardStore(run, { now, clockIntervalMs: 0 });
    const listener = vi.fn();
    store.subscribe(listener);
    store.dispatch({ type: 'dashboard-paused', paused: true });
    store.flush();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().paused).toBe(true);
    store.dispatch({ type: 'dashboard-paused', paused: true }); // no change
    advance(500);
    expect(listener).toHaveBeenCalledTimes(1);
    store.close();
  });

  it('unsubscribed listeners hear nothing more', () => {
    const store = createDashboardStore(run, { now, clockIntervalMs: 0 });
    const listener = vi.fn();
    const off = store.subscribe(listener);
    off();
    store.dispatch({ type: 'dashboard-quitting' });
    advance(200);
    expect(listener).not.toHaveBeenCalled();
    store.close();
  });

  it('ticks the clock between events from the first event on, and stops when the run finished', () => {
    const store = createDashboardStore(run, { now, clockIntervalMs: 1000 });
    advance(5000);
    expect(store.getState().elapsedMs).toBe(0); // no run yet
    const startedEvent: SamplerEvent = {
      type: 'run-started',
      chain: 0,
      elapsedMs: 200,
      chains: 1,
      steps: 10,
      timeBudgetMs: Infinity,
      temperature: 1,
      stepSize: 0.3,
      seed: 1,
      resumedQuenches: 0,
      resumedMinima: 0,
    };
    store.dispatch(startedEvent);
    advance(3000);
    expect(store.getState().elapsedMs).toBe(3200);
    expect(store.getSnapshot().elapsedMs).toBe(3200);
    store.dispatch({ type: 'chain-finished', chain: 0, elapsedMs: 3300, reason: 'steps', steps: 10 });
    store.dispatch({ type: 'run-finished', chain: 0, elapsedMs: 3300, reason: 'steps', totalQuenches: 10, distinctMinima: 1, transitionStates: 0 });
    advance(5000);
    expect(store.getState().elapsedMs).toBe(3300);
    expect(vi.getTimerCount()).toBe(0);
    store.close();
  });

  it('rejects bad options naming them', () => {
    expect(() => createDashboardStore(run, { frameIntervalMs: -1 })).toThrow(/^Expected number between 0 and 60000 for frameIntervalMs but received -1/);
    expect(() => createDashboardStore(run, { frameBudget: 0 })).toThrow(/^Expected number greater than 0 for frameBudget but received 0/);
    expect(() => createDashboardStore({ ...run, loss: undefined } as unknown as typeof run)).toThrow(/^Expected string for runInfo\.loss but received undefined$/);
  });
});

describe('createDashboardStore cost figures (real clock)', () => {
  it('counts reducer time and terminal frames in its cost figures', () => {
    const store = createDashboardStore(run, { clockIntervalMs: 0 });
    for (const e of syntheticRun({ chains: 1, steps: 50 })) store.dispatch(e);
    store.recordFrame(2);
    store.recordFrame(3);
    const stats = store.stats();
    expect(stats.frames).toBe(2);
    expect(stats.frameMs).toBe(5);
    expect(stats.reduceMs).toBeGreaterThan(0);
    expect(stats.busyFraction).toBeGreaterThan(0);
    store.close();
  });
});

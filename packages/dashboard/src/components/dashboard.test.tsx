// SPDX-License-Identifier: MIT
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { createDashboardStore, type DashboardStore } from '../store.js';
import type { RunInfo } from '../state.js';
import { syntheticRun } from '../test-utils/synthetic.js';
import { linesOf, plain, widestLine } from '../test-utils/terminal.js';
import { Dashboard } from './dashboard.js';

afterEach(cleanup);

const noop = (): void => undefined;

const run: RunInfo = { name: 'sigmoid-spiral', data: 'spiral 194 points, 80/20 split', loss: 'sigmoid β=40, λ=1e-5', budget: { stepsPerChain: 500, chains: 2 } };

function storeWith(steps = 500, options: Parameters<typeof syntheticRun>[0] = {}): DashboardStore {
  const store = createDashboardStore(run, { clockIntervalMs: 0 });
  for (const e of syntheticRun({ chains: 2, steps, seed: 6, ...options })) store.dispatch(e);
  store.flush();
  return store;
}

/** A store whose run is still going: run-started and the first `quenches` events only. */
function runningStore(events = 200): DashboardStore {
  const store = createDashboardStore(run, { clockIntervalMs: 0 });
  let n = 0;
  for (const e of syntheticRun({ chains: 2, steps: 500, seed: 6 })) {
    store.dispatch(e);
    if (++n >= events) break;
  }
  store.flush();
  return store;
}

type Rendered = ReturnType<typeof render>;

const frame = (r: Rendered): string => plain(r.lastFrame());

/** Presses a harmless view key until the view changes: proves input is live without fixed sleeps. */
async function inputReady(r: Rendered): Promise<void> {
  await vi.waitFor(() => {
    r.stdin.write('2');
    expect(frame(r)).toContain('Lowest minima');
  });
  r.stdin.write('1');
  await vi.waitFor(() => expect(frame(r)).toContain('[1 overview]'));
}

/** ink-testing-library's stdout reports 100 columns; tests change it and announce a resize. */
function resize(r: Rendered, columns: number): void {
  Object.defineProperty(r.stdout, 'columns', { get: () => columns, configurable: true });
  r.stdout.emit('resize');
}

describe('Dashboard', () => {
  it('shows the overview: run, status, progress, rate, minima, chains, key bar', () => {
    const r = render(<Dashboard store={storeWith()} onPause={noop} />);
    const f = frame(r);
    expect(f).toContain('Lossscape · sigmoid-spiral');
    expect(f).toContain('✓ finished');
    expect(f).toContain('100%  1000/1000 steps');
    expect(f).toMatch(/quench\/s [\d.]+ · minima \d+ · best E -0\.\d+/);
    expect(f).toMatch(/^minima over time [▁▂▃▄▅▆▇█]+ \d+$/m);
    expect(f).toMatch(/^chain +steps +acc/m);
    expect(f).toContain('[1 overview] 2 minima 3 graph · p pause · q quit · ? help');
  });

  it('switches views with 1/2/3 and tab, and shows help with ?', async () => {
    const r = render(<Dashboard store={storeWith(500, { transitionStateEvery: 0 })} />);
    await inputReady(r);
    r.stdin.write('3');
    await vi.waitFor(() => expect(frame(r)).toContain('Energy histogram of the lowest'));
    r.stdin.write('\t');
    await vi.waitFor(() => expect(frame(r)).toContain('[1 overview]'));
    r.stdin.write('\t');
    await vi.waitFor(() => expect(frame(r)).toContain('[2 minima]'));
    r.stdin.write('?');
    await vi.waitFor(() => expect(frame(r)).toMatch(/^Keys$/m));
    expect(frame(r)).toContain('pause (not available: read-only)');
    r.stdin.write('?');
    await vi.waitFor(() => expect(frame(r)).not.toMatch(/^Keys$/m));
    expect(frame(r)).toContain('Lowest minima');
  });

  it('p pauses and resumes through the callbacks, and the header says so at once', async () => {
    const onPause = vi.fn();
    const onResume = vi.fn();
    const r = render(<Dashboard store={runningStore()} onPause={onPause} onResume={onResume} />);
    expect(frame(r)).toContain('● running');
    await inputReady(r);
    r.stdin.write('p');
    await vi.waitFor(() => expect(frame(r)).toContain('❚❚ PAUSED'));
    expect(onPause).toHaveBeenCalledOnce();
    expect(frame(r)).toContain('p resume');
    r.stdin.write('p');
    await vi.waitFor(() => expect(frame(r)).toContain('● running'));
    expect(onResume).toHaveBeenCalledOnce();
    expect(onPause).toHaveBeenCalledOnce();
  });

  it('p does nothing without onPause (read-only watch)', async () => {
    const store = runningStore();
    const r = render(<Dashboard store={store} />);
    await inputReady(r);
    r.stdin.write('p');
    r.stdin.write('2'); // a later key is handled, so 'p' has been too
    await vi.waitFor(() => expect(frame(r)).toContain('[2 minima]'));
    expect(store.getState().paused).toBe(false);
    expect(frame(r)).not.toContain('PAUSED');
  });

  it('q calls onQuit and shows that the run is stopping', async () => {
    const onQuit = vi.fn();
    const r = render(<Dashboard store={runningStore()} onQuit={onQuit} />);
    await inputReady(r);
    r.stdin.write('q');
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledOnce());
    await vi.waitFor(() => expect(frame(r)).toContain('stopping…'));
  });

  it('follows resizes: 120 columns show every chain column, 40 columns degrade and fit', async () => {
    const r = render(<Dashboard store={storeWith()} onPause={noop} />);
    resize(r, 120);
    await vi.waitFor(() => expect(frame(r)).toMatch(/^chain +steps +acc +window +step size +T +E now +best E/m));
    expect(widestLine(r.lastFrame())).toBeLessThanOrEqual(120);
    resize(r, 40);
    await vi.waitFor(() => expect(frame(r)).toMatch(/^q\/s [\d.]+ · min \d+/m));
    const f = frame(r);
    expect(f).not.toContain('Lossscape ·');
    expect(f).not.toMatch(/window|since new/);
    expect(f).toMatch(/^c +steps +acc/m);
    expect(f).toContain('[1] 2 3 p q ?');
    expect(widestLine(r.lastFrame())).toBeLessThanOrEqual(40);
    for (const view of ['2', '3']) {
      r.stdin.write(view);
      await vi.waitFor(() => expect(frame(r)).toContain(`[${view}]`));
      expect(widestLine(r.lastFrame())).toBeLessThanOrEqual(40);
    }
  });

  it('renders a burst of 1 000 events once, not 1 000 times', async () => {
    const store = createDashboardStore(run, { clockIntervalMs: 0 });
    const r = render(<Dashboard store={store} />);
    const before = r.frames.length;
    let n = 0;
    for (const e of syntheticRun({ chains: 2, steps: 1000, seed: 1 })) {
      store.dispatch(e);
      if (++n === 1000) break;
    }
    const last = store.getState();
    await vi.waitFor(() => expect(frame(r)).toContain(`minima ${last.distinctMinima}`));
    expect(r.frames.length - before).toBeLessThanOrEqual(2);
    expect(store.stats().commits).toBe(1);
    expect(linesOf(r.lastFrame())[0]).toContain('● running');
  });
});

describe('Dashboard rendering economy', () => {
  it('does not render again when an event changes nothing on screen', async () => {
    const store = storeWith();
    const r = render(<Dashboard store={store} initialView="minima" />);
    const before = r.frames.length;
    const s = store.getState();
    store.dispatch({ type: 'connection-attempt', chain: -1, elapsedMs: s.elapsedMs, minimum1: 1, minimum2: 2, connected: false, transitionStatesFound: 0, message: '' });
    store.flush();
    expect(store.getSnapshot()).not.toBe(s); // React was told …
    await new Promise((resolve) => setImmediate(resolve)); // … and had its turn (a yield, not a timed wait)
    expect(r.frames.length).toBe(before); // … but drew nothing
    store.dispatch({ type: 'warning', chain: 0, elapsedMs: s.elapsedMs, code: 'ERR_X', message: 'now visible' });
    store.flush();
    r.stdin.write('1');
    await vi.waitFor(() => expect(frame(r)).toContain('ERR_X now visible'));
  });
});

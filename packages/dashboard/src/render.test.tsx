// SPDX-License-Identifier: MIT
import { describe, expect, it, vi } from 'vitest';
import type { SamplerEvent } from '@lossscape/sampler';
import { renderDashboard, type DashboardHandle, type RenderDashboardOptions } from './render.js';
import type { RunInfo } from './state.js';
import { asAsync, heldOpen, syntheticRun } from './test-utils/synthetic.js';
import { FakeStdin, FakeStdout } from './test-utils/terminal.js';

const runInfo: RunInfo = { name: 'render-test', data: 'spiral', loss: 'sigmoid β=40' };

function mount(options: Partial<RenderDashboardOptions>, columns = 100): { handle: DashboardHandle; stdout: FakeStdout; stdin: FakeStdin } {
  const stdout = new FakeStdout(columns, 40);
  const stdin = new FakeStdin();
  const handle = renderDashboard({
    runInfo,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    ...options,
  });
  return { handle, stdout, stdin };
}

/** Events of a short run, without its end (the run is still going). */
function firstEvents(n: number): SamplerEvent[] {
  return [...syntheticRun({ chains: 1, steps: 200, seed: 2 })].slice(0, n);
}

// Ink draws live frames only outside CI; the final frame is written at exit either way, which is
// what these tests read.
describe('renderDashboard', () => {
  it('reads the event stream to its end, shows the final state and exits', async () => {
    const { handle, stdout } = mount({ events: asAsync(syntheticRun({ chains: 2, steps: 300, seed: 4 })) });
    await handle.waitUntilExit();
    const text = stdout.text();
    expect(text).toContain('Lossscape · render-test');
    expect(text).toContain('✓ finished');
    expect(text).toContain('600/600 steps');
    const stats = handle.stats();
    expect(stats.events).toBeGreaterThan(600);
    expect(stats.commits).toBeGreaterThanOrEqual(1);
    expect(stats.commitsPerSecond).toBeLessThanOrEqual(10 + 1000 / Math.max(stats.wallMs, 1)); // ≤ 10 per second, plus the final flush
    expect(stats.frames).toBeGreaterThanOrEqual(1);
  });

  it('first q calls onQuit and keeps showing the run until its events end; then it exits', async () => {
    const source = heldOpen(firstEvents(50));
    const onQuit = vi.fn(() => source.release());
    const { handle, stdin } = mount({ events: source.iterable, onQuit });
    await vi.waitFor(() => expect(handle.store.getState().events).toBe(50));
    // Ink listens for keys once mounted: press until heard, never twice.
    await vi.waitFor(() => {
      if (onQuit.mock.calls.length === 0) stdin.type('q');
      expect(onQuit).toHaveBeenCalled();
    });
    await handle.waitUntilExit();
    expect(onQuit).toHaveBeenCalledOnce();
    expect(handle.store.getState()).toMatchObject({ quitting: true, sourceEnded: true });
  });

  it('without onQuit, q exits at once even though the events have not ended', async () => {
    const source = heldOpen(firstEvents(20));
    const { handle, stdin } = mount({ events: source.iterable });
    await vi.waitFor(() => {
      if (!handle.store.getState().quitting) stdin.type('q');
      expect(handle.store.getState().quitting).toBe(true);
    });
    await handle.waitUntilExit();
    expect(handle.store.getState().sourceEnded).toBe(false);
    source.release();
  });

  it('a second q exits when stopping takes long', async () => {
    const source = heldOpen(firstEvents(20));
    const onQuit = vi.fn();
    const { handle, stdin } = mount({ events: source.iterable, onQuit });
    await vi.waitFor(() => {
      if (onQuit.mock.calls.length === 0) stdin.type('q');
      expect(onQuit).toHaveBeenCalled();
    });
    stdin.type('q');
    await handle.waitUntilExit();
    expect(onQuit).toHaveBeenCalledOnce();
    source.release();
  });

  it('p calls onPause then onResume', async () => {
    const source = heldOpen(firstEvents(20));
    const onPause = vi.fn();
    const onResume = vi.fn();
    const { handle, stdin } = mount({ events: source.iterable, onPause, onResume });
    await vi.waitFor(() => {
      if (onPause.mock.calls.length === 0) stdin.type('p');
      expect(onPause).toHaveBeenCalled();
    });
    expect(handle.store.getState().paused).toBe(true);
    stdin.type('p');
    await vi.waitFor(() => expect(onResume).toHaveBeenCalledOnce());
    expect(handle.store.getState().paused).toBe(false);
    handle.unmount();
    await handle.waitUntilExit();
    source.release();
  });

  it('push mode: events pushed one by one, end() exits', async () => {
    const { handle, stdout } = mount({}, 40);
    for (const e of syntheticRun({ chains: 1, steps: 100, seed: 3 })) handle.push(e);
    handle.end();
    await handle.waitUntilExit();
    const text = stdout.text();
    expect(text).toContain('✓ finished');
    expect(text).toContain('[1] 2 3 q ?'); // 40 columns: short key bar, no pause (no onPause)
  });

  it('rejects waitUntilExit with the error of a failing event stream, after showing it', async () => {
    async function* failing(): AsyncGenerator<SamplerEvent> {
      yield* firstEvents(10);
      throw new Error('worker crashed: out of memory');
    }
    const { handle, stdout } = mount({ events: failing() });
    await expect(handle.waitUntilExit()).rejects.toThrow('worker crashed: out of memory');
    expect(stdout.text()).toContain('✗ FAILED');
    expect(stdout.text()).toContain('ERR_SOURCE worker crashed');
  });

  it('rejects malformed options naming them', () => {
    expect(() => renderDashboard({ runInfo: { name: 'x' } as unknown as RunInfo })).toThrow(/^Expected string for runInfo\.data but received undefined$/);
    expect(() => renderDashboard({ runInfo, events: [] as unknown as AsyncIterable<SamplerEvent> })).toThrow(/^Expected AsyncIterable for events but received object$/);
    expect(() => renderDashboard({ runInfo, onQuit: 'stop' as unknown as () => void })).toThrow(/^Expected function for onQuit but received string$/);
  });
});

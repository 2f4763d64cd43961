// SPDX-License-Identifier: MIT
/**
 * The entry point the CLI calls: mounts the Ink dashboard on a terminal and feeds it events
 * from an async iterable (a worker's stream, a database poll) and/or pushed one by one.
 *
 * ```ts
 * if (isInteractiveTerminal(process.stdout, process.env)) {
 *   const dashboard = renderDashboard({ runInfo, events, onPause, onResume, onQuit: () => controller.abort() });
 *   await dashboard.waitUntilExit();
 * }
 * ```
 */
import { render, type Instance } from 'ink';
import type { SamplerEvent } from '@lossscape/sampler';
import { Dashboard } from './components/dashboard.js';
import { ColorContext } from './lines.js';
import type { DashboardView } from './components/key-bar.js';
import { createDashboardStore, type DashboardStats, type DashboardStore } from './store.js';
import type { RunInfo } from './state.js';

export interface RenderDashboardOptions {
  readonly runInfo: RunInfo;
  /** Events to show; the dashboard reads them until the iterable ends. Optional with `push`. */
  readonly events?: AsyncIterable<SamplerEvent>;
  /** `p` while running. Omit both pause callbacks for a read-only dashboard (`watch`). */
  readonly onPause?: () => void;
  readonly onResume?: () => void;
  /**
   * First `q` (or ctrl+c): stop the run cleanly; the dashboard shows "stopping…" and exits
   * when the event source ends. A second `q` exits at once. Without `onQuit`, `q` exits at once.
   */
  readonly onQuit?: () => void;
  /** Exit when the event source ends (the run finished). Default true; the last frame stays on screen. */
  readonly exitOnEnd?: boolean;
  readonly initialView?: DashboardView;
  /** Colours and bold/dim. Default: on unless NO_COLOR is set (to anything but ""). */
  readonly color?: boolean;
  /** Minimum time between frames. Default 100 ms (≤ 10 frames per second). */
  readonly frameIntervalMs?: number;
  /** Default process.stdout / process.stdin. */
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
}

export interface DashboardHandle {
  /** Shows one event (for callers that push rather than hand over an iterable). */
  push(event: SamplerEvent): void;
  /** Marks the event source as ended (push mode); `error` is shown as a failure. */
  end(error?: unknown): void;
  /** Resolves when the dashboard has exited; rejects if the event iterable threw. */
  waitUntilExit(): Promise<void>;
  /** Exits now. */
  unmount(): void;
  /** Rendering cost so far (see `DashboardStats.busyFraction`). */
  stats(): DashboardStats;
  readonly store: DashboardStore;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Mounts the dashboard. Ink renders nothing live when CI is set (only the last frame at exit):
 * check `isInteractiveTerminal` first and print `formatLogLine` lines otherwise.
 * Throws TypeError/RangeError for malformed options.
 */
export function renderDashboard(options: RenderDashboardOptions): DashboardHandle {
  if (options === null || typeof options !== 'object') throw new TypeError(`Expected options object for renderDashboard but received ${String(options)}`);
  const events = options.events;
  if (events !== undefined && typeof events[Symbol.asyncIterator] !== 'function') {
    throw new TypeError(`Expected AsyncIterable for events but received ${typeof events}`);
  }
  for (const name of ['onPause', 'onResume', 'onQuit'] as const) {
    const f = options[name];
    if (f !== undefined && typeof f !== 'function') throw new TypeError(`Expected function for ${name} but received ${typeof f}`);
  }
  const frameIntervalMs = options.frameIntervalMs ?? 100;
  const store = createDashboardStore(options.runInfo, { frameIntervalMs });
  const exitOnEnd = options.exitOnEnd ?? true;

  let exited = false;
  let failure: Error | undefined;
  const exit = (): void => {
    if (exited) return;
    exited = true;
    store.flush();
    store.close();
    unsubscribe();
    // Only ever called asynchronously or by the caller, after `instance` below is assigned.
    instance.unmount();
  };
  const unsubscribe = store.subscribe(() => {
    const s = store.getSnapshot();
    // A macrotask later: React renders this snapshot in a microtask first, so the final frame shows it.
    if (s.sourceEnded && (exitOnEnd || s.quitting)) setImmediate(exit);
  });

  let quitPresses = 0;
  const onQuit = (): void => {
    quitPresses++;
    if (options.onQuit === undefined || quitPresses > 1 || store.getState().sourceEnded) {
      setImmediate(exit);
      return;
    }
    options.onQuit();
  };

  const end = (error?: unknown): void => {
    if (error !== undefined) failure = error instanceof Error ? error : new Error(describe(error));
    store.dispatch(error === undefined ? { type: 'dashboard-source-ended' } : { type: 'dashboard-source-ended', error: describe(error) });
    store.flush();
  };

  const color = options.color ?? !process.env.NO_COLOR;
  const instance: Instance = render(
    <ColorContext.Provider value={color}>
      <Dashboard store={store} onPause={options.onPause} onResume={options.onResume} onQuit={onQuit} initialView={options.initialView} />
    </ColorContext.Provider>,
    {
      stdout: options.stdout ?? process.stdout,
      stdin: options.stdin ?? process.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: frameIntervalMs > 0 ? Math.max(1, Math.floor(1000 / frameIntervalMs)) : 0,
      onRender: ({ renderTime }) => store.recordFrame(renderTime),
    },
  );
  // Ink's public unmount() drops an error argument, so the failure is rethrown here.
  const exitPromise = instance.waitUntilExit().then(() => {
    exited = true;
    store.close();
    unsubscribe();
    if (failure !== undefined) throw failure;
  });

  if (events !== undefined) {
    void (async () => {
      try {
        for await (const event of events) {
          if (exited) break;
          store.dispatch(event);
        }
        if (!exited) end();
      } catch (err) {
        if (!exited) end(err);
      }
    })();
  }

  return {
    push: (event) => store.dispatch(event),
    end,
    waitUntilExit: () => exitPromise,
    unmount: exit,
    stats: () => store.stats(),
    store,
  };
}

// SPDX-License-Identifier: MIT
/**
 * Dashboard cost: reducer events per second, and the time of one frame (React render + Ink
 * layout and output) per view and width, with React's development and production builds (each in
 * its own child process, since React picks its build at import time). Run with
 * `npm run bench -- dashboard`. Timings on a busy machine are provisional: each figure is the
 * min and median of several repeats.
 */
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
// The built package, as a user gets it (a project may not import itself by name: lint rule).
import { initialDashboard, reduceDashboard, reduceDashboardMany, renderDashboard, type DashboardState } from '../dist/index.js';
import type { SamplerEvent } from '@lossscape/sampler';
import { syntheticRun } from '../src/test-utils/synthetic.js';
import { FakeStdin } from '../src/test-utils/terminal.js';

const REPEATS = 5;

function stats(values: number[]): { min: number; median: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}

function fmt(v: number, digits = 3): string {
  return Number(v.toPrecision(digits)).toString();
}

function events(n: number): SamplerEvent[] {
  const out: SamplerEvent[] = [];
  for (const e of syntheticRun({ chains: 2, steps: 1e9, seed: 1, newProbability: 0.5, halfLife: 5000, transitionStateEvery: 4, msPerQuench: 20 })) {
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
}

class NullStdout extends EventEmitter {
  readonly isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  bytes = 0;
  write = (chunk: string): boolean => {
    this.bytes += chunk.length;
    return true;
  };
}

function reducerBench(stream: SamplerEvent[]): void {
  const run = { name: 'bench', data: 'synthetic', loss: 'none' };
  const one: number[] = [];
  const batched: number[] = [];
  const noop: number[] = [];
  let sink: DashboardState | undefined;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let r = 0; r < REPEATS; r++) {
    // Baseline: the same loop doing nothing but reading the event type.
    let t0 = performance.now();
    let count = 0;
    for (const e of stream) if (e.type === 'quench') count++;
    noop.push(stream.length / ((performance.now() - t0) / 1000));
    gc?.();
    t0 = performance.now();
    let s = initialDashboard(run);
    for (const e of stream) s = reduceDashboard(s, e);
    one.push(stream.length / ((performance.now() - t0) / 1000));
    gc?.();
    // The store's way: batches of the events that arrive between two frames (here 500).
    t0 = performance.now();
    let b = initialDashboard(run);
    for (let i = 0; i < stream.length; i += 500) b = reduceDashboardMany(b, stream.slice(i, i + 500));
    batched.push(stream.length / ((performance.now() - t0) / 1000));
    sink = s;
    if (count < 0 || b.events !== s.events) throw new Error('batched and one-by-one folds disagree');
  }
  const o = stats(one);
  const m = stats(batched);
  const b = stats(noop);
  console.log(`reducer: ${stream.length} events (${sink!.distinctMinima} minima, ${sink!.transitionStates} TS), ${REPEATS} repeats`);
  console.log(`  reduceDashboard (one by one)     max ${fmt(o.max / 1e6)} M events/s   median ${fmt(o.median / 1e6)} M events/s  (${fmt(1e6 / o.median)} µs/event)`);
  console.log(`  reduceDashboardMany (batches)    max ${fmt(m.max / 1e6)} M events/s   median ${fmt(m.median / 1e6)} M events/s  (${fmt(1e6 / m.median)} µs/event)`);
  console.log(`  empty loop                       median ${fmt(b.median / 1e6)} M events/s   ratio batched/one-by-one ${fmt(m.median / o.median)}`);
  console.log(`  at 5 000 events/s the batched reducer takes ${fmt((5000 / m.median) * 100, 2)} % of one core`);
}

async function frameBench(stream: SamplerEvent[]): Promise<void> {
  const mode = process.env.NODE_ENV === 'production' ? 'production' : 'development';
  console.log(`frames (React ${mode} build, 40 rows): ms per frame, React render + Ink layout/output, ${REPEATS} × 20 frames after 40 warm-up frames`);
  console.log('  view      cols   min ms  median ms  core share at 10 fps  fps within the default 2 % budget');
  for (const view of ['overview', 'minima', 'graph'] as const) {
    for (const columns of [120, 40]) {
      const stdout = new NullStdout(columns, 40);
      const handle = renderDashboard({
        runInfo: { name: 'bench', data: 'synthetic stream', loss: 'sigmoid β=40', budget: { stepsPerChain: 1e6, chains: 2 } },
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
        initialView: view,
        frameIntervalMs: 0, // unthrottled Ink: each commit draws its frame at once, inside the measurement
      });
      const store = handle.store;
      let next = 0;
      const times: number[] = [];
      // Warm up with most of the stream, then measure frames that each follow 100 new events.
      for (; next < stream.length - (REPEATS * 20 + 40) * 100; next++) store.dispatch(stream[next]);
      for (let f = 0; f < 40; f++) {
        for (let k = 0; k < 100; k++) store.dispatch(stream[next++]);
        store.flush();
        await new Promise((r) => setImmediate(r));
      }
      for (let f = 0; f < REPEATS * 20; f++) {
        for (let k = 0; k < 100; k++) store.dispatch(stream[next++]);
        const t0 = performance.now();
        store.flush();
        await null; // React renders in the microtask queued before this one
        times.push(performance.now() - t0);
        await new Promise((r) => setImmediate(r));
      }
      handle.unmount();
      await handle.waitUntilExit();
      const perRepeat = Array.from({ length: REPEATS }, (_, r) => stats(times.slice(r * 20, (r + 1) * 20)).median);
      const s = stats(perRepeat);
      const fps = Math.min(10, (0.02 * 1000) / s.median);
      console.log(`  ${view.padEnd(9)} ${String(columns).padStart(4)} ${fmt(s.min).padStart(8)} ${fmt(s.median).padStart(10)}  ${(fmt(s.median, 2) + ' %').padStart(20)}  ${fmt(fps, 2).padStart(6)}`);
    }
  }
}

/** Heap after GC while frames keep changing: it must stay flat once the bounded lists have filled. */
async function heapBench(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    console.log('heap: run with --expose-gc (npm run bench does) to measure');
    return;
  }
  const gen = syntheticRun({ chains: 2, steps: 1e9, seed: 3, transitionStateEvery: 4, msPerQuench: 20 });
  const handle = renderDashboard({
    runInfo: { name: 'heap', data: 'synthetic', loss: 'none' },
    stdout: new NullStdout(120, 40) as unknown as NodeJS.WriteStream,
    stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
    frameIntervalMs: 0,
  });
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed / 1e6;
  };
  const marks: [number, number][] = [];
  for (let f = 0; f <= 6000; f++) {
    for (let k = 0; k < 20; k++) handle.store.dispatch(gen.next().value as SamplerEvent);
    handle.store.flush();
    await new Promise((r) => setImmediate(r));
    if (f % 1500 === 0) marks.push([f, heap()]);
  }
  handle.unmount();
  await handle.waitUntilExit();
  const [f0, h0] = marks[1];
  const [f1, h1] = marks[marks.length - 1];
  console.log(`heap after GC (overview 120×40, 20 events per frame): ${marks.map(([f, h]) => `frame ${f}: ${fmt(h)} MB`).join(', ')}`);
  console.log(`  slope after frame ${f0}: ${fmt(((h1 - h0) / (f1 - f0)) * 1000, 2)} MB per 1 000 frames (≈ ${fmt(((h1 - h0) / (f1 - f0)) * 36_000, 2)} MB per hour at 10 fps)`);
}

const child = process.env.LOSSSCAPE_DASHBOARD_BENCH_CHILD;
if (child === undefined) {
  console.log(`node ${process.version}; events: synthetic 2-chain basin-hopping stream`);
  reducerBench(events(200_000));
  for (const nodeEnv of ['development', 'production']) {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: nodeEnv, LOSSSCAPE_DASHBOARD_BENCH_CHILD: '1' };
    delete env.CI; // Ink draws nothing live in CI; measure the real work
    delete env.CONTINUOUS_INTEGRATION;
    const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url)], { stdio: 'inherit', env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
} else {
  await frameBench(events(40_000));
  if (process.env.NODE_ENV === 'production') await heapBench();
}

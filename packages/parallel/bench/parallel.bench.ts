// SPDX-License-Identifier: MIT
// `npm run bench -- parallel`: cost of an empty parallel region, speedup of a sigmoid-pair
// reduction (N⁺ = N⁻ = 4000) on 2 threads vs 1, and the size where threading starts to pay.
// Every figure is the min and median of several rounds, the compared variants interleaved
// within each round, because the machine is shared and its load changes from second to second.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createPool, kernel, sharedFloat64Array, type KernelFunction, type ParallelPool } from '../dist/index.js';

const KERNELS = new URL('../test-kernels/', import.meta.url);
const NOOP = kernel(new URL('basic.mjs', KERNELS), 'noop');
const PAIRS_MODULE = new URL('sigmoid-pairs.mjs', KERNELS);
const PAIRS = kernel(PAIRS_MODULE, 'sigmoidPairs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const min = (xs: number[]): number => Math.min(...xs);
const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x: number, digits = 1): string => x.toFixed(digits);
const pad = (s: string, n: number): string => s.padStart(n);

/** Times `run` `count` times in a row; returns ms per call. */
function perCall(count: number, run: () => void): number {
  const t0 = performance.now();
  for (let k = 0; k < count; k++) run();
  return (performance.now() - t0) / count;
}
async function perCallAsync(count: number, run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let k = 0; k < count; k++) await run();
  return (performance.now() - t0) / count;
}

function pairData(nPos: number, nNeg: number): { a: Float64Array; b: Float64Array; rows: Float64Array } {
  const beta = 40;
  let seed = 12345;
  const uniform = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  return {
    a: sharedFloat64Array(Array.from({ length: nPos }, () => Math.exp(-beta * uniform()))),
    b: sharedFloat64Array(Array.from({ length: nNeg }, () => Math.exp(beta * uniform()))),
    rows: sharedFloat64Array(nPos),
  };
}

async function emptyRegion(pool: ParallelPool): Promise<void> {
  console.log('\nEmpty parallel region (one no-op block per thread), µs per region');
  const variants: Array<[string, () => Promise<number>]> = [
    ['blocking, 1 thread (caller only)', async () => perCall(2000, () => pool.parallelForSync(1, NOOP, { threads: 1 }))],
    ['blocking, 2 threads (caller + 1 worker)', async () => perCall(2000, () => pool.parallelForSync(2, NOOP, { threads: 2, chunk: 1 }))],
    ['promise, 1 worker', () => perCallAsync(1000, () => pool.parallelFor(1, NOOP, { threads: 1 }))],
    ['promise, 2 workers', () => perCallAsync(1000, () => pool.parallelFor(2, NOOP, { threads: 2, chunk: 1 }))],
  ];
  const samples = variants.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, [, run]] of variants.entries()) samples[k].push(1000 * (await run()));
  }
  console.log(`${'form'.padEnd(42)}${pad('min', 9)}${pad('median', 9)}`);
  variants.forEach(([name], k) => console.log(`${name.padEnd(42)}${pad(f(min(samples[k])), 9)}${pad(f(median(samples[k])), 9)}`));
}

/**
 * The machine's own ceiling right now: two plain worker threads (no pool), each given half the
 * rows by postMessage. On a shared machine the scheduler may not grant a second core at all.
 */
function rawHalves(n: number, buffers: Float64Array[]): { run: () => Promise<void>; close: () => Promise<number[]> } {
  const source = `
    const { parentPort } = require('node:worker_threads');
    let kernel;
    parentPort.on('message', async ({ start, end, buffers, width }) => {
      kernel ??= (await import(${JSON.stringify(PAIRS_MODULE.href)})).sigmoidPairs;
      const partial = new Float64Array(width);
      kernel(start, end, { buffers, args: new Float64Array(0), partial, block: 0, thread: 0, threads: 2 });
      parentPort.postMessage(partial[0]);
    });`;
  const workers = [0, 1].map(() => new Worker(source, { eval: true }));
  const half = Math.floor(n / 2);
  const ask = (w: Worker, start: number, end: number): Promise<number> =>
    new Promise((resolve) => {
      w.once('message', resolve);
      w.postMessage({ start, end, buffers, width: 1 + buffers[1].length });
    });
  return {
    run: async () => void (await Promise.all([ask(workers[0], 0, half), ask(workers[1], half, n)])),
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

/** CPU ms per thread of this process spent during `run`, busiest first (Linux only; else undefined). */
function threadTicks(run: () => void): number[] | undefined {
  const tickMs = 10; // USER_HZ = 100 on Linux
  const read = (): Map<string, number> | undefined => {
    try {
      const out = new Map<string, number>();
      for (const tid of readdirSync('/proc/self/task')) {
        const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        out.set(tid, (Number(fields[11]) + Number(fields[12])) * tickMs);
      }
      return out;
    } catch {
      return undefined;
    }
  };
  const before = read();
  run();
  const after = read();
  if (!before || !after) return undefined;
  return [...after].map(([tid, ms]) => ms - (before.get(tid) ?? 0)).filter((ms) => ms > 0).sort((p, q) => q - p);
}

/** Wall and process CPU time (all threads) of one call, ms. */
async function timed(run: () => unknown): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

async function pairSpeedup(pool: ParallelPool): Promise<void> {
  const n = 4000;
  console.log(`\nSigmoid pair sum + row/column σ′ sums, N⁺ = N⁻ = ${n} (${(n * n) / 1e6} M pairs), ms per call`);
  const { a, b, rows } = pairData(n, n);
  const { sigmoidPairs } = (await import(PAIRS_MODULE.href)) as { sigmoidPairs: KernelFunction };
  const width = 1 + n;
  const options = { buffers: [a, b, rows], width };
  const partial = new Float64Array(width);
  const direct = (): void => {
    partial.fill(0);
    sigmoidPairs(0, n, { buffers: [a, b, rows], args: new Float64Array(0), partial, block: 0, thread: 0, threads: 1 });
  };
  const raw = rawHalves(n, [a, b, rows]);
  await raw.run();
  const variants: Array<[string, () => unknown]> = [
    ['direct loop on this thread (no pool)', direct],
    ['2 plain threads, no pool (machine ceiling)', raw.run],
    ['pool, blocking, 1 thread', () => pool.parallelReduceSync(n, PAIRS, { ...options, threads: 1 })],
    ['pool, blocking, 2 threads (dynamic)', () => pool.parallelReduceSync(n, PAIRS, { ...options, threads: 2 })],
    ['pool, blocking, 2 threads (static)', () => pool.parallelReduceSync(n, PAIRS, { ...options, threads: 2, schedule: 'static' })],
    ['pool, promise, 2 workers (dynamic)', () => pool.parallelReduce(n, PAIRS, { ...options, threads: 2 })],
  ];
  const wall = variants.map(() => [] as number[]);
  const cpu = variants.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, [, run]] of variants.entries()) {
      const t = await timed(run);
      wall[k].push(t.wall);
      cpu[k].push(t.cpu);
    }
  }
  await raw.close();
  const base = 2; // pool, blocking, 1 thread
  console.log(`${'variant'.padEnd(44)}${pad('wall min', 10)}${pad('median', 9)}${pad('speedup min', 13)}${pad('median', 9)}${pad('CPU min', 10)}`);
  variants.forEach(([name], k) =>
    console.log(
      `${name.padEnd(44)}${pad(f(min(wall[k])), 10)}${pad(f(median(wall[k])), 9)}` +
        `${pad(`${f(min(wall[base]) / min(wall[k]), 2)}×`, 13)}${pad(`${f(median(wall[base]) / median(wall[k]), 2)}×`, 9)}${pad(f(min(cpu[k])), 10)}`,
    ),
  );
  // On a loaded machine the scheduler may give this process one core's worth of time whatever
  // its thread count; the CPU time (all threads) still shows what threading itself costs.
  console.log(`CPU time (all threads), pool on 2 threads vs 1: ${f(min(cpu[3]) / min(cpu[base]), 3)}× (min) — the parallel overhead; wall-clock speedup needs two free cores.`);
  // Per-thread CPU time (Linux /proc, 10 ms ticks, hence many calls): the busiest thread is the
  // critical path, so on two free cores a region would take about as long as that thread's share.
  const calls = 30;
  const single = threadTicks(() => {
    for (let k = 0; k < calls; k++) pool.parallelReduceSync(n, PAIRS, { ...options, threads: 1 });
  });
  const dual = threadTicks(() => {
    for (let k = 0; k < calls; k++) pool.parallelReduceSync(n, PAIRS, { ...options, threads: 2 });
  });
  if (single && dual) {
    const [t1] = single;
    const [busiest, second] = dual;
    console.log(
      `Per-thread CPU over ${calls} calls: 1 thread ${f(t1, 0)} ms; 2 threads ${f(busiest, 0)} + ${f(second ?? 0, 0)} ms ` +
        `→ critical-path speedup on two free cores ≈ ${f(t1 / busiest, 2)}×`,
    );
  }
  const one = pool.parallelReduceSync(n, PAIRS, { ...options, threads: 1 });
  const two = pool.parallelReduceSync(n, PAIRS, { ...options, threads: 2 });
  console.log(`1-thread and 2-thread results bitwise equal (value and ${n} column sums): ${one.every((v, k) => v === two[k]) ? 'yes' : 'NO'}`);
}

async function threshold(pool: ParallelPool): Promise<void> {
  console.log('\nWhere threading starts to pay: square pair sums N⁺ = N⁻ = N, blocking form, µs per call');
  console.log(`${'N'.padStart(6)}${pad('pairs', 10)}${pad('1 thread', 12)}${pad('2 threads', 12)}${pad('ratio min', 11)}${pad('ratio med', 11)}`);
  for (const n of [25, 50, 100, 200, 400, 800]) {
    const { a, b, rows } = pairData(n, n);
    const options = { buffers: [a, b, rows], width: 1 + n };
    const reps = Math.max(3, Math.round(2e6 / (n * n)));
    const t1: number[] = [];
    const t2: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      t1.push(1000 * perCall(reps, () => pool.parallelReduceSync(n, PAIRS, { ...options, threads: 1 })));
      t2.push(1000 * perCall(reps, () => pool.parallelReduceSync(n, PAIRS, { ...options, threads: 2 })));
    }
    console.log(
      `${String(n).padStart(6)}${pad(String(n * n), 10)}${pad(f(min(t1)), 12)}${pad(f(min(t2)), 12)}` +
        `${pad(`${f(min(t1) / min(t2), 2)}×`, 11)}${pad(`${f(median(t1) / median(t2), 2)}×`, 11)}`,
    );
  }
  console.log('ratio = time on 1 thread / time on 2 threads (> 1: threading pays)');
}

const pool = createPool({ threads: 2 });
try {
  console.log(`cores ${availableParallelism()} · load average ${loadavg().map((l) => f(l, 2)).join(' ')} · ${ROUNDS} rounds per figure`);
  await pool.load(NOOP);
  await pool.load(PAIRS);
  await emptyRegion(pool);
  await pairSpeedup(pool);
  await threshold(pool);
  console.log(`\nload average after: ${loadavg().map((l) => f(l, 2)).join(' ')}`);
} finally {
  await pool.close();
}

// SPDX-License-Identifier: MIT
// `npm run bench -- tensor-core parallel`: the sigmoid/tanh pair sums on a @lossscape/parallel pool.
//  1. sigmoid loss + gradient at N⁺ = N⁻ = 4000 (16 M pairs), score level and through the
//     2-10-2 potential: whole range, row blocks on this thread, pool of 1 and of 2 threads;
//     wall and CPU time, per-thread CPU (the critical path on two free cores), bitwise check;
//  2. the Hessian's cross term K·G₋ (k = W = 52) at N⁺ = N⁻ = 1000, and the whole Hessian;
//  3. the cost of a region with (almost) no pair work: 64 rows × 1 column, 2 blocks;
//  4. where threading starts to pay: square problems from 2·10³ to 4·10⁶ pairs, and the
//     break-even estimated from the pair cost and the region overhead.
// Every figure is the min and median over rounds, the variants interleaved within each round,
// because the machine is shared and its load changes from second to second.
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRng } from '@lossscape/numeric';
import { createPool, type ParallelPool } from '@lossscape/parallel';
import {
  DEFAULT_PARALLEL_THRESHOLD,
  createLossPotential,
  createPairThreads,
  lossRegistry,
  randomWeights,
  type LossParameters,
  type PairThreads,
  type PairwiseLossDefinition,
} from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const sigmoid = lossRegistry.get('sigmoid') as PairwiseLossDefinition;
const BETA: LossParameters = { beta: 40, margin: NaN };

const min = (xs: number[]): number => Math.min(...xs);
const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const pad = (s: string, n: number): string => s.padStart(n);
const load = (): string => loadavg().map((l) => f(l, 1)).join(' ');

/** Wall and process CPU (all threads) ms per call, over `calls` calls in a row. */
function timed(calls: number, run: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; k < calls; k++) run();
  const wall = (performance.now() - t0) / calls;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 / calls };
}

/** CPU ms of each thread of this process during `run`, busiest first (Linux /proc, 10 ms ticks). */
function perThreadCpu(run: () => void): number[] | undefined {
  const read = (): Map<string, number> | undefined => {
    try {
      const ticks = new Map<string, number>();
      for (const tid of readdirSync('/proc/self/task')) {
        const after = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        ticks.set(tid, 10 * (Number(after[11]) + Number(after[12]))); // utime + stime
      }
      return ticks;
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

function uniform(seed: number, n: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.uniform());
}

/** A pool wrapper forcing one schedule (the runner itself always uses the pool's default, dynamic). */
function withSchedule(pool: ParallelPool, schedule: 'static' | 'dynamic'): ParallelPool {
  const wrapper = { threads: pool.threads, parallelReduceSync: (...[range, ref, options]: Parameters<ParallelPool['parallelReduceSync']>) => pool.parallelReduceSync(range, ref, { ...options, schedule }) };
  return wrapper as unknown as ParallelPool;
}

interface Variant {
  readonly name: string;
  readonly run: () => void;
}

/** Interleaved rounds; prints wall min/median, speedup vs variant `base`, CPU min. */
function compare(title: string, unit: 'ms' | 'µs', calls: number, variants: readonly Variant[], base: number): { wall: number[][]; cpu: number[][] } {
  const scale = unit === 'µs' ? 1000 : 1;
  for (const v of variants) v.run(); // warm-up (JIT, first region sends buffers to the workers)
  const wall = variants.map(() => [] as number[]);
  const cpu = variants.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    variants.forEach((v, k) => {
      const t = timed(calls, v.run);
      wall[k].push(scale * t.wall);
      cpu[k].push(scale * t.cpu);
    });
  }
  console.log(`\n${title} (${unit} per call; load ${load()})`);
  console.log(`${'variant'.padEnd(46)}${pad('wall min', 10)}${pad('median', 9)}${pad(`vs ${base + 1}: min`, 12)}${pad('median', 8)}${pad('CPU min', 10)}${pad('median', 9)}`);
  variants.forEach((v, k) =>
    console.log(
      `${`${k + 1}. ${v.name}`.padEnd(46)}${pad(f(min(wall[k])), 10)}${pad(f(median(wall[k])), 9)}` +
        `${pad(`${f(min(wall[base]) / min(wall[k]), 2)}×`, 12)}${pad(`${f(median(wall[base]) / median(wall[k]), 2)}×`, 8)}${pad(f(min(cpu[k])), 10)}${pad(f(median(cpu[k])), 9)}`,
    ),
  );
  return { wall, cpu };
}

/** Per-thread CPU of `calls` calls on 1 and on 2 threads: the busiest thread is the critical path. */
function criticalPath(label: string, calls: number, one: () => void, two: () => void): void {
  const single = perThreadCpu(() => {
    for (let k = 0; k < calls; k++) one();
  });
  const dual = perThreadCpu(() => {
    for (let k = 0; k < calls; k++) two();
  });
  if (!single || !dual) {
    console.log(`${label}: per-thread CPU unavailable (no /proc)`);
    return;
  }
  const [t1] = single;
  const [busiest, second = 0] = dual;
  console.log(`${label}: per-thread CPU over ${calls} calls: 1 thread ${f(t1, 0)} ms; 2 threads ${f(busiest, 0)} + ${f(second, 0)} ms → speedup on two free cores ≈ ${f(t1 / busiest, 2)}×`);
}

const sameBits = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

function speedup4000(pool1: ParallelPool, pool2: ParallelPool): void {
  const n = 4000;
  const s = uniform(1, n);
  const t = uniform(2, n);
  const out = { positiveGradient: new Float64Array(n), negativeGradient: new Float64Array(n) };
  const runners: [string, PairThreads][] = [
    ['whole range, this thread (no blocks)', createPairThreads({ threshold: Infinity })],
    ['row blocks, this thread (no pool)', createPairThreads()],
    ['pool of 1 thread', createPairThreads({ pool: pool1 })],
    ['pool of 2 threads (dynamic, the default)', createPairThreads({ pool: pool2 })],
    ['pool of 2 threads (static)', createPairThreads({ pool: withSchedule(pool2, 'static') })],
  ];
  const plan = runners[3][1].plan(n, n);
  compare(
    `1a. Sigmoid loss + gradient on scores, N⁺ = N⁻ = ${n} (16 M pairs, ${plan.blocks} blocks of ${plan.rowsPerBlock} rows), β = 40`,
    'ms',
    2,
    runners.map(([name, r]) => ({ name, run: () => void sigmoid.gradient(s, t, BETA, out, r) })),
    2,
  );
  criticalPath('    (dynamic)', 30, () => sigmoid.gradient(s, t, BETA, out, runners[2][1]), () => sigmoid.gradient(s, t, BETA, out, runners[3][1]));
  criticalPath('    (static) ', 30, () => sigmoid.gradient(s, t, BETA, out, runners[2][1]), () => sigmoid.gradient(s, t, BETA, out, runners[4][1]));
  const results = runners.slice(1).map(([, r]) => sigmoid.gradient(s, t, BETA, undefined, r));
  const same = results.every((r) => Object.is(r.value, results[0].value) && sameBits(r.positiveGradient, results[0].positiveGradient) && sameBits(r.negativeGradient, results[0].negativeGradient));
  console.log(`    value and 8000 gradient entries bitwise equal over variants 2–5: ${same ? 'yes' : 'NO'}`);

  // The same through the potential (what the sampler calls): 2-10-2 network, 8000 points.
  const model = { inputs: 2, hidden: 10, classes: 2 };
  const rng = createRng(3);
  const features = Float64Array.from({ length: 2 * 2 * n }, () => rng.normal());
  const labels = Int32Array.from({ length: 2 * n }, (_, d) => d % 2);
  const data = { features, labels };
  const w = randomWeights(model, rng, { scale: 1 });
  const g = new Float64Array(w.length);
  const potentials: [string, ReturnType<typeof createLossPotential>][] = [
    ['whole range (parallelThreshold: Infinity)', createLossPotential({ model, data, loss: { kind: 'sigmoid' }, parallelThreshold: Infinity })],
    ['row blocks, no pool', createLossPotential({ model, data, loss: { kind: 'sigmoid' } })],
    ['pool of 1 thread', createLossPotential({ model, data, loss: { kind: 'sigmoid' }, pool: pool1 })],
    ['pool of 2 threads', createLossPotential({ model, data, loss: { kind: 'sigmoid' }, pool: pool2 })],
  ];
  compare(
    '1b. The same through createLossPotential: energyGradient, 2-10-2 network on 8000 points (4000 × 4000 pairs)',
    'ms',
    2,
    potentials.map(([name, p]) => ({ name, run: () => void p.energyGradient(w, g) })),
    2,
  );
  criticalPath('    ', 30, () => potentials[2][1].energyGradient(w, g), () => potentials[3][1].energyGradient(w, g));
}

function hessianCrossTerm(pool1: ParallelPool, pool2: ParallelPool): void {
  const n = 1000;
  const k = 52; // W of a 2-10-2 network
  const s = uniform(4, n);
  const t = uniform(5, n);
  const x = uniform(6, n * k);
  const request = { k, x, y: new Float64Array(0) };
  const runners: [string, PairThreads][] = [
    ['whole range, this thread', createPairThreads({ threshold: Infinity })],
    ['row blocks, no pool', createPairThreads()],
    ['pool of 1 thread', createPairThreads({ pool: pool1 })],
    ['pool of 2 threads', createPairThreads({ pool: pool2 })],
  ];
  compare(
    `2a. Hessian cross term: sigmoid second-order sums and K·G₋, N⁺ = N⁻ = ${n}, k = ${k}`,
    'ms',
    1,
    runners.map(([name, r]) => ({ name, run: () => void sigmoid.curvature(s, t, BETA, request, r) })),
    2,
  );
  criticalPath('    ', 10, () => sigmoid.curvature(s, t, BETA, request, runners[2][1]), () => sigmoid.curvature(s, t, BETA, request, runners[3][1]));

  const model = { inputs: 2, hidden: 10, classes: 2 };
  const rng = createRng(7);
  const data = { features: Float64Array.from({ length: 4 * n }, () => rng.normal()), labels: Int32Array.from({ length: 2 * n }, (_, d) => d % 2) };
  const w = randomWeights(model, rng, { scale: 1 });
  const potentials = [undefined, pool1, pool2].map((pool) => createLossPotential({ model, data, loss: { kind: 'sigmoid' }, pool }));
  compare(
    `2b. Whole Hessian (per-sample terms stay on one thread), 2-10-2 network on ${2 * n} points`,
    'ms',
    1,
    [
      { name: 'row blocks, no pool', run: () => void potentials[0].hessian(w) },
      { name: 'pool of 1 thread', run: () => void potentials[1].hessian(w) },
      { name: 'pool of 2 threads', run: () => void potentials[2].hessian(w) },
    ],
    1,
  );
  criticalPath('    ', 10, () => potentials[1].hessian(w), () => potentials[2].hessian(w));
}

/** Returns the CPU ns per pair of the whole-range sums at the largest N (the pair cost c). */
function threshold(pool1: ParallelPool, pool2: ParallelPool): number {
  console.log(`\n4. Where threading starts to pay: sigmoid loss + gradient on scores, N⁺ = N⁻ = N, row blocks forced (threshold 0), µs per call`);
  console.log(`${'N'.padStart(6)}${pad('pairs', 10)}${pad('blocks', 8)}${pad('whole', 10)}${pad('1 thread', 10)}${pad('2 threads', 11)}${pad('1t/2t min', 11)}${pad('median', 8)}${pad('CPU 2t/1t', 11)}`);
  const whole = createPairThreads({ threshold: Infinity });
  const one = createPairThreads({ threshold: 0, pool: pool1 });
  const two = createPairThreads({ threshold: 0, pool: pool2 });
  let nsPerPair = NaN;
  for (const n of [48, 64, 96, 128, 192, 256, 320, 448, 640, 900, 1280, 2000]) {
    const s = uniform(8, n);
    const t = uniform(9, n);
    const out = { positiveGradient: new Float64Array(n), negativeGradient: new Float64Array(n) };
    const calls = Math.max(3, Math.round(4e6 / (n * n)));
    const runs = [whole, one, two].map((r) => () => void sigmoid.gradient(s, t, BETA, out, r));
    for (const run of runs) run();
    const wall = runs.map(() => [] as number[]);
    const cpu = runs.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      runs.forEach((run, k) => {
        const r = timed(calls, run);
        wall[k].push(1000 * r.wall);
        cpu[k].push(1000 * r.cpu);
      });
    }
    console.log(
      `${String(n).padStart(6)}${pad((n * n).toLocaleString('en'), 10)}${pad(String(two.plan(n, n).blocks), 8)}${pad(f(min(wall[0])), 10)}${pad(f(min(wall[1])), 10)}${pad(f(min(wall[2])), 11)}` +
        `${pad(`${f(min(wall[1]) / min(wall[2]), 2)}×`, 11)}${pad(`${f(median(wall[1]) / median(wall[2]), 2)}×`, 8)}${pad(`${f(min(cpu[2]) / min(cpu[1]), 2)}×`, 11)}`,
    );
    nsPerPair = (1000 * min(cpu[0])) / (n * n);
  }
  console.log('1t/2t = wall time on a pool of 1 thread / on 2 threads (> 1: threading pays). CPU 2t/1t: CPU spent (all threads), 2 threads over 1.');
  return nsPerPair;
}

/** Returns the extra wall µs of a region on 2 threads over the whole-range call (min over rounds). */
function emptyRegion(pool1: ParallelPool, pool2: ParallelPool): number {
  // 64 positive rows × 1 negative: 64 pairs, 2 blocks of 32 rows — all region cost, no pair work.
  const s = uniform(10, 64);
  const t = uniform(11, 1);
  const out = { positiveGradient: new Float64Array(64), negativeGradient: new Float64Array(1) };
  const runners = [createPairThreads({ threshold: Infinity }), createPairThreads({ threshold: 0 }), createPairThreads({ threshold: 0, pool: pool1 }), createPairThreads({ threshold: 0, pool: pool2 })];
  const { wall } = compare(
    '3. A region with no pair work: 64 × 1 pairs in 2 blocks (copies into shared buffers, dispatch, wake-up, combination)',
    'µs',
    500,
    [
      { name: 'whole range (no region)', run: () => void sigmoid.gradient(s, t, BETA, out, runners[0]) },
      { name: 'row blocks, no pool', run: () => void sigmoid.gradient(s, t, BETA, out, runners[1]) },
      { name: 'pool of 1 thread (caller only)', run: () => void sigmoid.gradient(s, t, BETA, out, runners[2]) },
      { name: 'pool of 2 threads (caller + 1 worker)', run: () => void sigmoid.gradient(s, t, BETA, out, runners[3]) },
    ],
    0,
  );
  return min(wall[3]) - min(wall[0]);
}

/**
 * Where 2 threads pay on two free cores, from measured pieces (this machine could not grant a
 * second core while others worked): 1 thread takes c·P for P pairs, 2 threads c·P/2 + o, so the
 * break-even is P = 2o/c. Printed beside the default threshold and its expected speedup.
 */
function thresholdEstimate(nsPerPair: number, overheadUs: number): void {
  const breakEven = (2 * overheadUs * 1000) / nsPerPair;
  const at = (pairs: number): number => (nsPerPair * pairs) / ((nsPerPair * pairs) / 2 + overheadUs * 1000);
  console.log(
    `\nThreshold from the pieces: pair cost c = ${f(nsPerPair, 2)} ns (CPU), 2-thread region overhead o = ${f(overheadUs)} µs → break-even 2o/c ≈ ${Math.round(breakEven).toLocaleString('en')} pairs; ` +
      `expected speedup on two free cores at ${DEFAULT_PARALLEL_THRESHOLD.toLocaleString('en')} pairs (the default threshold) ≈ ${f(at(DEFAULT_PARALLEL_THRESHOLD), 2)}×, at 10⁶ ≈ ${f(at(1e6), 2)}×`,
  );
}

const pool1 = createPool({ threads: 1 });
const pool2 = createPool({ threads: 2 });
try {
  console.log(`cores ${availableParallelism()} · load average ${load()} (2 cores shared: treat timings as provisional) · ${ROUNDS} rounds per figure`);
  // Each comparison calls every variant once before timing: the worker starts and imports the kernels then.
  speedup4000(pool1, pool2);
  hessianCrossTerm(pool1, pool2);
  const overhead = emptyRegion(pool1, pool2);
  thresholdEstimate(threshold(pool1, pool2), overhead);
  console.log(`\nload average after: ${load()}`);
} finally {
  await Promise.all([pool1.close(), pool2.close()]);
}

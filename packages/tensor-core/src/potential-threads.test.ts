// SPDX-License-Identifier: MIT
// The loss potential with a @lossscape/parallel pool: energy, gradient, Hessian and
// Hessian-vector product bitwise identical with no pool and on 1, 2, 3 threads; equal to the
// whole-range potential within the fast-path contract; derivatives still match central
// differences; the threshold decides when the pool is used; other losses ignore it; validation.
import { TOL, checkGradient, checkHessian, createRng, maxAbs, maxAbsDiff } from '@lossscape/numeric';
import type { ParallelPool } from '@lossscape/parallel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARALLEL_THRESHOLD } from './kernels/pair-threads.js';
import { ensureFreshKernelsDist } from './kernels/test-utils/fresh-dist.js';
import { createTestPools } from './kernels/test-utils/test-pools.js';
import type { LossSpec } from './losses/types.js';
import { randomWeights, type ModelSpec } from './model.js';
import { createLossPotential, type Dataset, type LossPotential } from './potential.js';
import { contractError, randomDataset, randomVector } from './test-utils/problems.js';

const THREADS = [1, 2, 3] as const;
// Pools start no thread until their first region, which comes after the dist check below.
const { pools, staticPool, close } = createTestPools(THREADS);

beforeAll(() => ensureFreshKernelsDist(), 240_000);
afterAll(close);

const sameBits = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** Everything a sampler or evaluator asks of the potential at w, v. */
function evaluateAll(potential: LossPotential, w: Float64Array, v: Float64Array) {
  const gradient = new Float64Array(potential.dimension);
  const hv = new Float64Array(potential.dimension);
  const energyGradient = potential.energyGradient(w, gradient);
  potential.hessianVectorProduct(w, v, hv);
  return { energy: potential.energy(w), energyGradient, gradient, hessian: potential.hessian(w), hv };
}

/** Gaussian features with alternating labels: N⁺ = N⁻ = n/2 exactly. */
function alternating(rng: ReturnType<typeof createRng>, model: ModelSpec, n: number): Dataset {
  return { ...randomDataset(rng, model, n), labels: Int32Array.from({ length: n }, (_, d) => d % 2) };
}

const MODEL: ModelSpec = { inputs: 3, hidden: 4, classes: 2 };
const COUNT = 300; // 150 × 150 pairs: 5 blocks of 32 positive rows at threshold 0 (the last one 22)

describe.each<{ name: string; loss: LossSpec; smooth: boolean }>([
  { name: 'sigmoid β=40', loss: { kind: 'sigmoid' }, smooth: true },
  { name: 'tanh β=1', loss: { kind: 'tanh' }, smooth: true },
  // Too sharp for central differences at any usable step; checked for determinism only.
  { name: 'sigmoid β=1e4 (exp per pair)', loss: { kind: 'sigmoid', beta: 1e4 }, smooth: false },
])('$name potential with row blocks (parallelThreshold 0)', ({ loss, smooth }) => {
  const rng = createRng(0x7e4d5);
  const data = alternating(rng, MODEL, COUNT);
  const w = randomWeights(MODEL, rng, { scale: 1 });
  const v = randomVector(rng, w.length);
  const create = (pool?: ParallelPool, parallelThreshold = 0): LossPotential => createLossPotential({ model: MODEL, data, loss, pool, parallelThreshold });
  // No pool; 1, 2, 3 threads with the static schedule; 2 threads with the default (dynamic) one.
  const blocked = [create(), ...THREADS.map((t) => create(staticPool(t))), create(pools.get(2))];

  it('reports its plan: several blocks, threads from the pool', () => {
    expect(blocked.map((p) => p.pairPlan.blocks)).toEqual([5, 5, 5, 5, 5]);
    expect(blocked.map((p) => p.pairPlan.threads)).toEqual([1, 1, 2, 3, 2]);
    expect(create(undefined, Infinity).pairPlan.blocks).toBe(1);
  });

  it('energy, gradient, Hessian and HVP are bitwise identical with no pool and on 1, 2, 3 threads (static and dynamic schedules)', () => {
    const [first, ...rest] = blocked.map((p) => evaluateAll(p, w, v));
    for (const r of rest) {
      expect(Object.is(r.energy, first.energy)).toBe(true);
      expect(Object.is(r.energyGradient, first.energyGradient)).toBe(true);
      expect(sameBits(r.gradient, first.gradient)).toBe(true);
      expect(sameBits(r.hessian, first.hessian)).toBe(true);
      expect(sameBits(r.hv, first.hv)).toBe(true);
    }
  });

  it('equals the whole-range potential within the fast-path contract (1e-12 relative)', () => {
    const threaded = evaluateAll(blocked[3], w, v);
    const whole = evaluateAll(create(undefined, Infinity), w, v);
    const within = (a: number | Float64Array, b: number | Float64Array): number => contractError(a, b, TOL.F64_FAST_PATH, TOL.F64_ABS_FLOOR);
    expect(within(threaded.energy, whole.energy)).toBeLessThanOrEqual(1);
    expect(within(threaded.gradient, whole.gradient)).toBeLessThanOrEqual(1);
    expect(within(threaded.hessian, whole.hessian)).toBeLessThanOrEqual(1);
    expect(within(threaded.hv, whole.hv)).toBeLessThanOrEqual(1);
  });

  if (smooth) {
    it('threaded gradient and Hessian match central differences', () => {
      expect(checkGradient(blocked[3], w).relativeError).toBeLessThanOrEqual(TOL.F64_FD_DERIVATIVE);
      expect(checkHessian(blocked[3], w).relativeError).toBeLessThanOrEqual(TOL.F64_FD_DERIVATIVE);
    });
  }

  it('threaded HVP equals the threaded Hessian times v', () => {
    const r = evaluateAll(blocked[3], w, v);
    const n = w.length;
    const hv = new Float64Array(n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) hv[a] += r.hessian[a * n + b] * v[b];
    expect(maxAbsDiff(r.hv, hv)).toBeLessThanOrEqual(TOL.F64 * maxAbs(r.hessian) * n);
  });
});

describe('threshold and pool use', () => {
  /** A pool that counts blocking regions and forwards them to the 2-thread pool. */
  function countingPool(): { pool: ParallelPool; calls: () => number } {
    let calls = 0;
    const real = pools.get(2)!;
    const pool = { threads: 2, parallelReduceSync: (...args: Parameters<ParallelPool['parallelReduceSync']>) => (calls++, real.parallelReduceSync(...args)) };
    return { pool: pool as unknown as ParallelPool, calls: () => calls };
  }
  const model: ModelSpec = { inputs: 2, hidden: 3, classes: 2 };

  it(`default threshold ${DEFAULT_PARALLEL_THRESHOLD} pairs: below it the pool is never used, from it every evaluation uses it`, () => {
    const rng = createRng(11);
    // N⁺ = N⁻ = N/2: 630 → 99 225 pairs (below), 634 → 100 489 (above).
    const alternate = (n: number): Dataset => alternating(rng, model, n);
    const w = randomWeights(model, rng, { scale: 1 });
    const g = new Float64Array(w.length);
    const below = countingPool();
    const small = createLossPotential({ model, data: alternate(630), loss: { kind: 'sigmoid' }, pool: below.pool });
    expect(small.pairPlan).toMatchObject({ pairs: 315 * 315, blocks: 1, threads: 1 });
    small.energyGradient(w, g);
    small.hessian(w);
    expect(below.calls()).toBe(0);
    const above = countingPool();
    const large = createLossPotential({ model, data: alternate(634), loss: { kind: 'tanh' }, pool: above.pool });
    expect(large.pairPlan).toMatchObject({ pairs: 317 * 317, blocks: 10, rowsPerBlock: 32, threads: 2 });
    large.energy(w);
    large.energyGradient(w, g);
    large.hessianVectorProduct(w, g, new Float64Array(w.length));
    large.hessian(w);
    expect(above.calls()).toBe(4);
  });

  it.each<LossSpec>([{ kind: 'ce' }, { kind: 'hinge' }, { kind: 'exp' }, { kind: 'quad' }])('$kind ignores the pool (no pair sums to spread)', (loss) => {
    const rng = createRng(12);
    const counting = countingPool();
    const p = createLossPotential({ model, data: randomDataset(rng, model, 40), loss, pool: counting.pool, parallelThreshold: 0 });
    const w = randomWeights(model, rng, { scale: 1 });
    p.energyGradient(w, new Float64Array(w.length));
    p.hessian(w);
    expect(counting.calls()).toBe(0);
    expect(p.pairPlan).toMatchObject({ blocks: 1, threads: 1 });
  });

  it('rejects a non-pool and a bad threshold at the edge, naming the option', () => {
    const rng = createRng(13);
    const data = randomDataset(rng, model, 20);
    const base = { model, data, loss: { kind: 'sigmoid' } as LossSpec };
    expect(() => createLossPotential({ ...base, pool: {} as ParallelPool })).toThrow(/^Expected a ParallelPool \(createPool from @lossscape\/parallel\) for pool but received/);
    expect(() => createLossPotential({ ...base, parallelThreshold: -5 })).toThrow(RangeError);
    expect(() => createLossPotential({ ...base, parallelThreshold: '1e5' as unknown as number })).toThrow(/^Expected number between 0 and Infinity for parallelThreshold/);
  });
});

// SPDX-License-Identifier: MIT
// Row blocks of the sigmoid/tanh pair sums: bitwise identical with no pool and on 1, 2, 3
// threads (the determinism contract), equal to the whole-range sums within the fast-path
// contract, for value, gradient sums, second-order sums and both cross products, on the
// exp-free and the exp-per-pair paths; the block layout; validation.
import { TOL, createRng } from '@lossscape/numeric';
import type { ParallelPool } from '@lossscape/parallel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sigmoidLoss } from '../losses/sigmoid.js';
import { tanhLoss } from '../losses/tanh.js';
import type { LossParameters, PairwiseLossDefinition, ScoreCurvature, ScoreGradient } from '../losses/types.js';
import { contractError, randomVector, uniformScores } from '../test-utils/problems.js';
import { PAIR_BLOCKS, PAIR_BLOCK_MIN_ROWS, WHOLE_RANGE, createPairThreads, pairBlockRows, type PairThreads } from './pair-threads.js';
import { ensureFreshKernelsDist } from './test-utils/fresh-dist.js';
import { createTestPools } from './test-utils/test-pools.js';

const THREADS = [1, 2, 3] as const;
// Pools start no thread until their first region, which comes after the dist check below.
const { pools, staticPool, close } = createTestPools(THREADS);

beforeAll(() => ensureFreshKernelsDist(), 240_000);
afterAll(close);

/** Blocked runners (threshold 0): without a pool, on 1, 2 and 3 threads (static), and on 2 threads (dynamic). */
function runners(): PairThreads[] {
  return [
    createPairThreads({ threshold: 0 }),
    ...THREADS.map((t) => createPairThreads({ threshold: 0, pool: staticPool(t) })),
    createPairThreads({ threshold: 0, pool: pools.get(2) }),
  ];
}

/** Same bits, element by element (Object.is also tells −0 from +0). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

function expectSameGradient(a: ScoreGradient, b: ScoreGradient): void {
  expect(Object.is(a.value, b.value)).toBe(true);
  expect(sameBits(a.positiveGradient, b.positiveGradient)).toBe(true);
  expect(sameBits(a.negativeGradient, b.negativeGradient)).toBe(true);
}

const CURVATURE_FIELDS = ['positiveGradient', 'negativeGradient', 'positiveSecond', 'negativeSecond', 'cross', 'crossTranspose'] as const;

const within = (actual: number | Float64Array, reference: number | Float64Array): number => contractError(actual, reference, TOL.F64_FAST_PATH, TOL.F64_ABS_FLOOR);

// β·range decides the path: factors (exp-free) below 700, one exp per pair above.
const CASES: readonly { name: string; definition: PairwiseLossDefinition; beta: number }[] = [
  { name: 'sigmoid β=40 (exp-free)', definition: sigmoidLoss, beta: 40 },
  { name: 'tanh β=1 (exp-free)', definition: tanhLoss, beta: 1 },
  { name: 'sigmoid β=1e4 (exp per pair)', definition: sigmoidLoss, beta: 1e4 },
  { name: 'tanh β=1e3 (Math.tanh per pair)', definition: tanhLoss, beta: 1e3 },
];

describe.each(CASES)('$name in row blocks', ({ definition, beta }) => {
  const rng = createRng(0xb10c + beta);
  // 150 rows: 5 blocks of 32 (the last one 22, not a multiple of 4); 97 columns.
  const s = uniformScores(rng, 150);
  const t = uniformScores(rng, 97);
  const p: LossParameters = { beta, margin: NaN };

  it('the layout has several blocks, the last one short', () => {
    const plan = createPairThreads({ threshold: 0 }).plan(s.length, t.length);
    expect(plan).toEqual({ pairs: 150 * 97, blocks: 5, rowsPerBlock: 32, threads: 1 });
  });

  it('value and gradient: bitwise identical without a pool and on 1, 2, 3 threads (static and dynamic schedules); equal to the whole range within the fast-path contract', () => {
    const results = runners().map((r) => definition.gradient(s, t, p, undefined, r));
    for (const r of results.slice(1)) expectSameGradient(r, results[0]);
    const whole = definition.gradient(s, t, p);
    expect(within(results[0].value, whole.value)).toBeLessThanOrEqual(1);
    expect(within(results[0].positiveGradient, whole.positiveGradient)).toBeLessThanOrEqual(1);
    expect(within(results[0].negativeGradient, whole.negativeGradient)).toBeLessThanOrEqual(1);
  });

  it.each([
    { k: 5, transpose: false, what: 'Hessian shape: K·X, k = 5, no transposed product' },
    { k: 2, transpose: true, what: 'HVP shape: K·X and Kᵀ·Y, k = 2' },
  ])('second order, $what: bitwise identical across runners; equal to the whole range', ({ k, transpose }) => {
    const x = randomVector(rng, t.length * k);
    const y = transpose ? randomVector(rng, s.length * k) : new Float64Array(0);
    const results: ScoreCurvature[] = runners().map((r) => definition.curvature(s, t, p, { k, x, y }, r));
    const whole = definition.curvature(s, t, p, { k, x, y });
    for (const r of results.slice(1)) {
      expect(Object.is(r.value, results[0].value)).toBe(true);
      for (const f of CURVATURE_FIELDS) expect(sameBits(r[f], results[0][f]), f).toBe(true);
    }
    expect(within(results[0].value, whole.value)).toBeLessThanOrEqual(1);
    for (const f of CURVATURE_FIELDS) expect(within(results[0][f], whole[f]), f).toBeLessThanOrEqual(1);
    expect(results[0].crossTranspose).toHaveLength(transpose ? t.length * k : 0);
  });

  it('a runner keeps giving the same bits when called again (buffers reused, not stale)', () => {
    const r = createPairThreads({ threshold: 0, pool: pools.get(2) });
    const first = definition.gradient(s, t, p, undefined, r);
    definition.gradient(uniformScores(rng, 150), uniformScores(rng, 97), p, undefined, r);
    expectSameGradient(definition.gradient(s, t, p, undefined, r), first);
  });
});

describe('block layout', () => {
  it('rows per block: a multiple of 4, at least PAIR_BLOCK_MIN_ROWS, at most PAIR_BLOCKS blocks (+1 for rounding), independent of threads', () => {
    for (let n = 1; n <= 20_000; n += 37) {
      const rows = pairBlockRows(n);
      expect(rows % 4).toBe(0);
      expect(rows).toBeGreaterThanOrEqual(PAIR_BLOCK_MIN_ROWS);
      expect(Math.ceil(n / rows)).toBeLessThanOrEqual(PAIR_BLOCKS);
    }
  });

  it('below the threshold: one block, no pool call; from the threshold on: one blocking region per call', () => {
    let calls = 0;
    const real = pools.get(2)!;
    const counting = { threads: 2, parallelReduceSync: (...args: Parameters<ParallelPool['parallelReduceSync']>) => (calls++, real.parallelReduceSync(...args)) };
    const r = createPairThreads({ pool: counting as unknown as ParallelPool, threshold: 100 * 80 });
    const rng = createRng(7);
    const p: LossParameters = { beta: 40, margin: NaN };
    expect(r.plan(100, 79)).toEqual({ pairs: 7900, blocks: 1, rowsPerBlock: 100, threads: 1 });
    sigmoidLoss.gradient(uniformScores(rng, 100), uniformScores(rng, 79), p, undefined, r);
    expect(calls).toBe(0);
    expect(r.plan(100, 80)).toEqual({ pairs: 8000, blocks: 4, rowsPerBlock: 32, threads: 2 });
    sigmoidLoss.gradient(uniformScores(rng, 100), uniformScores(rng, 80), p, undefined, r);
    tanhLoss.curvature(uniformScores(rng, 100), uniformScores(rng, 80), p, { k: 1, x: new Float64Array(80), y: new Float64Array(0) }, r);
    expect(calls).toBe(2);
  });

  it('the whole-range runner never blocks', () => {
    expect(WHOLE_RANGE.plan(1e6, 1e6).blocks).toBe(1);
    expect(WHOLE_RANGE.pool).toBeUndefined();
  });
});

describe('createPairThreads validation', () => {
  it('rejects what is not a pool, naming the option', () => {
    expect(() => createPairThreads({ pool: {} as ParallelPool })).toThrow(TypeError);
    expect(() => createPairThreads({ pool: { threads: 2 } as ParallelPool })).toThrow(/^Expected a ParallelPool \(createPool from @lossscape\/parallel\) for pool but received/);
  });

  it('rejects a negative or NaN threshold, accepts 0 and Infinity', () => {
    expect(() => createPairThreads({ threshold: -1 })).toThrow(RangeError);
    expect(() => createPairThreads({ threshold: NaN })).toThrow(/for parallelThreshold/);
    expect(createPairThreads({ threshold: 0 }).threshold).toBe(0);
    expect(createPairThreads({ threshold: Infinity }).threshold).toBe(Infinity);
  });
});

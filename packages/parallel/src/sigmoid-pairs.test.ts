// SPDX-License-Identifier: MIT
// The benchmark's CPU-bound kernel (a sigmoid pair sum with both gradient reductions), checked
// against the direct double loop with Math.exp, and for determinism across threads.
import { afterAll, describe, expect, it } from 'vitest';
import { TOL, createRng } from '@lossscape/numeric';
import { kernel } from './kernel.js';
import { createPool } from './pool.js';
import { sharedFloat64Array } from './shared.js';

const SIGMOID_PAIRS = kernel(new URL('../test-kernels/sigmoid-pairs.mjs', import.meta.url), 'sigmoidPairs');
const pool = createPool({ threads: 3 });
afterAll(() => pool.close());

describe('sigmoid pair kernel', () => {
  const rng = createRng(40);
  const beta = 40;
  const pos = Array.from({ length: 300 }, () => rng.uniform());
  const neg = Array.from({ length: 200 }, () => rng.uniform());
  const a = sharedFloat64Array(pos.map((s) => Math.exp(-beta * s)));
  const b = sharedFloat64Array(neg.map((t) => Math.exp(beta * t)));

  it('matches the direct sums of σ(β(s_i − t_j)) and σ′ factors, rows and columns', async () => {
    const rows = sharedFloat64Array(pos.length);
    const out = await pool.parallelReduce(pos.length, SIGMOID_PAIRS, { buffers: [a, b, rows], width: 1 + neg.length, schedule: 'dynamic' });
    let value = 0;
    const cols = new Float64Array(neg.length);
    const rowsRef = new Float64Array(pos.length);
    pos.forEach((s, i) =>
      neg.forEach((t, j) => {
        const sig = 1 / (1 + Math.exp(-beta * (s - t)));
        value += sig;
        rowsRef[i] += sig * (1 - sig);
        cols[j] += sig * (1 - sig);
      }),
    );
    const rel = (x: number, y: number): number => Math.abs(x - y) / Math.max(Math.abs(y), TOL.F64_ABS_FLOOR);
    expect(rel(out[0], value)).toBeLessThan(TOL.F64);
    for (let j = 0; j < neg.length; j++) expect(Math.abs(out[1 + j] - cols[j])).toBeLessThan(TOL.F64 * Math.max(1, cols[j]));
    for (let i = 0; i < pos.length; i++) expect(Math.abs(rows[i] - rowsRef[i])).toBeLessThan(TOL.F64 * Math.max(1, rowsRef[i]));
  });

  it('gives bitwise identical value and column sums on 1, 2 and 3 threads', () => {
    const rows = sharedFloat64Array(pos.length);
    const runs = [1, 2, 3].map((threads) => pool.parallelReduceSync(pos.length, SIGMOID_PAIRS, { buffers: [a, b, rows], width: 1 + neg.length, threads }));
    for (const run of runs.slice(1)) expect(run.every((v, k) => v === runs[0][k])).toBe(true);
  });
});

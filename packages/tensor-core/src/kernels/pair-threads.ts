// SPDX-License-Identifier: MIT
/**
 * Runs a loss's O(N⁺·N⁻) pair sums either over the whole row range at once or in fixed row
 * blocks, the blocks on a @lossscape/parallel pool when one is given.
 *
 * Determinism contract: whether the sums are blocked, and how, depends only on N⁺, N⁻ and the
 * threshold — never on the pool, its thread count, the schedule or the machine's load. Block
 * partials (value and column sums) are always added in block order, by the pool or, without a
 * pool, by the same loop on this thread. So for a given threshold the results are bitwise
 * identical with no pool and with a pool of any size; blocked and whole-range results differ
 * only by rounding (the additions are grouped differently). One block is the whole-range path,
 * bit for bit.
 *
 * Cost of blocking on top of the pair work: ⌈N⁺/rows⌉ partials of 1 + N⁻ doubles (first order)
 * or 1 + 2N⁻ (+ N⁻·k with a transposed product) to zero and add, i.e. about 1/rows of an addition
 * per pair (rows ≥ PAIR_BLOCK_MIN_ROWS); plus O(N⁺ + N⁻) copies into shared buffers, and
 * O(N⁻·k) for the Hessian's Jacobian rows.
 */
import { expectedMessage, requireNumberInRange } from '@lossscape/numeric';
import { kernel, sharedFloat64Array, type KernelContext, type KernelFunction, type KernelRef, type ParallelPool } from '@lossscape/parallel';
import type { CrossRequest } from '../losses/types.js';
import { allocatePairSecondOrder, type PairSecondOrderBuffers } from './pair-accumulate.js';
import { pairFactors } from './pair-factors.js';

/**
 * The module workers import the block kernels from: this package's dist/kernels/index.js (the
 * "./kernels" subpath) by file URL, so nothing depends on how @lossscape/parallel resolves
 * package names. From TypeScript sources (vitest, tsx) it is the built file beside them.
 */
export const PAIR_KERNELS_MODULE = new URL(import.meta.url.endsWith('.ts') ? '../../dist/kernels/index.js' : './index.js', import.meta.url);

/**
 * Pairs N⁺·N⁻ from which the pair sums are cut into row blocks (and spread over the pool's
 * threads). Measured: see README "Threads" and bench/parallel-pairs.bench.ts.
 */
export const DEFAULT_PARALLEL_THRESHOLD = 100_000;
/** Target number of blocks: enough for dynamic load balance on a busy machine. */
export const PAIR_BLOCKS = 64;
/** Fewest positive rows per block, so that zeroing and adding partials stays ≲ 1 % of the pair work. */
export const PAIR_BLOCK_MIN_ROWS = 32;

/** Rows per block for N⁺ positives: max(32, ⌈N⁺/64⌉) rounded up to a multiple of 4 (the row kernels take rows four at a time). */
export function pairBlockRows(nPos: number): number {
  const rows = Math.max(PAIR_BLOCK_MIN_ROWS, Math.ceil(nPos / PAIR_BLOCKS));
  return 4 * Math.ceil(rows / 4);
}

/** A loss's row kernels (sigmoid-pairs.ts, tanh-pairs.ts) and their block forms (pair-blocks.ts). */
export interface PairKernels {
  /** Factor rate per unit β: the factors are pairFactors(rate·β, …) (sigmoid 1, tanh 2). */
  readonly rate: number;
  readonly firstOrder: (a: Float64Array, b: Float64Array, i0: number, i1: number, rowOut: Float64Array, colOut: Float64Array) => number;
  readonly firstOrderDirect: (beta: number, s: Float64Array, t: Float64Array, i0: number, i1: number, rowOut: Float64Array, colOut: Float64Array) => number;
  readonly secondOrder: (
    beta: number,
    s: Float64Array,
    t: Float64Array,
    a: Float64Array,
    b: Float64Array,
    factored: boolean,
    i0: number,
    i1: number,
    k: number,
    x: Float64Array,
    y: Float64Array,
    out: PairSecondOrderBuffers,
  ) => number;
  /** The block kernels, with `local` set (the calling thread runs it; workers import the module). */
  readonly firstOrderBlock: KernelRef & { readonly local: KernelFunction };
  readonly secondOrderBlock: KernelRef & { readonly local: KernelFunction };
}

/** A block kernel of PAIR_KERNELS_MODULE by export name, with the same function for this thread. */
export function pairBlockKernel(exportName: string, local: (start: number, end: number, context: KernelContext) => void): KernelRef & { readonly local: KernelFunction } {
  return kernel(PAIR_KERNELS_MODULE, exportName, local) as KernelRef & { readonly local: KernelFunction };
}

export interface PairThreadsOptions {
  /** Pool for the row blocks; without one the blocks run in order on this thread. */
  readonly pool?: ParallelPool;
  /** Pairs from which the sums are blocked (default DEFAULT_PARALLEL_THRESHOLD; Infinity: never). */
  readonly threshold?: number;
}

/** How the pair sums of an N⁺ × N⁻ problem run. */
export interface PairPlan {
  readonly pairs: number;
  /** 1: the whole row range at once. */
  readonly blocks: number;
  readonly rowsPerBlock: number;
  /** Threads that compute blocks (the pool's size when blocked and a pool is given, else 1). */
  readonly threads: number;
}

/** The second-order sums, unscaled, as the loss's scaling step expects them. */
export interface PairSecondOrderResult {
  readonly value: number;
  readonly sums: PairSecondOrderBuffers;
}

export interface PairThreads {
  readonly pool: ParallelPool | undefined;
  readonly threshold: number;
  plan(nPos: number, nNeg: number): PairPlan;
  /** Returns Σ value terms; assigns rows[i] = Σ_j w and cols[j] = Σ_i w (w: the first-order pair weight). */
  firstOrder(kernels: PairKernels, beta: number, s: Float64Array, t: Float64Array, rows: Float64Array, cols: Float64Array): number;
  /** Second-order sums and cross products (see PairSecondOrderBuffers) in new arrays. */
  secondOrder(kernels: PairKernels, beta: number, s: Float64Array, t: Float64Array, request: CrossRequest): PairSecondOrderResult;
}

/**
 * Validates the options (names as createLossPotential's: `pool`, `parallelThreshold`) and returns
 * a runner holding its own shared buffers, allocated on first blocked use and reused (each is
 * sent to a worker once). One runner per potential; not reentrant across threads.
 */
export function createPairThreads(options: PairThreadsOptions = {}): PairThreads {
  const pool = options.pool;
  if (pool !== undefined) {
    const p = pool as unknown as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null || typeof p.parallelReduceSync !== 'function' || !Number.isInteger(p.threads)) {
      throw new TypeError(expectedMessage('a ParallelPool (createPool from @lossscape/parallel)', 'pool', pool));
    }
  }
  const threshold = requireNumberInRange('parallelThreshold', options.threshold ?? DEFAULT_PARALLEL_THRESHOLD, 0, Infinity);
  return new PairRunner(pool, threshold);
}

class PairRunner implements PairThreads {
  // Shared buffers by role, grown on demand; views of the exact length are handed to the pool.
  readonly #shared = new Map<string, Float64Array>();
  #partial = new Float64Array(0);
  #combined = new Float64Array(0);

  constructor(
    readonly pool: ParallelPool | undefined,
    readonly threshold: number,
  ) {}

  plan(nPos: number, nNeg: number): PairPlan {
    const pairs = nPos * nNeg;
    if (!(pairs >= this.threshold)) return { pairs, blocks: 1, rowsPerBlock: nPos, threads: 1 };
    const rowsPerBlock = pairBlockRows(nPos);
    const blocks = Math.ceil(nPos / rowsPerBlock);
    return { pairs, blocks, rowsPerBlock, threads: this.pool === undefined ? 1 : Math.min(this.pool.threads, blocks) };
  }

  firstOrder(kernels: PairKernels, beta: number, s: Float64Array, t: Float64Array, rows: Float64Array, cols: Float64Array): number {
    const nPos = s.length;
    const nNeg = t.length;
    const plan = this.plan(nPos, nNeg);
    if (plan.blocks === 1) {
      cols.fill(0);
      const a = new Float64Array(nPos);
      const b = new Float64Array(nNeg);
      return pairFactors(kernels.rate * beta, s, t, a, b)
        ? kernels.firstOrder(a, b, 0, nPos, rows, cols)
        : kernels.firstOrderDirect(beta, s, t, 0, nPos, rows, cols);
    }
    const { a, b, ss, tt, factored } = this.#scores(kernels.rate * beta, s, t);
    const sharedRows = this.#view('rows', nPos);
    const width = 1 + nNeg;
    const combined = this.#reduce(kernels.firstOrderBlock, plan, [a, b, ss, tt, sharedRows], [beta, factored], width);
    rows.set(sharedRows);
    cols.set(combined.subarray(1, width));
    return combined[0];
  }

  secondOrder(kernels: PairKernels, beta: number, s: Float64Array, t: Float64Array, request: CrossRequest): PairSecondOrderResult {
    const nPos = s.length;
    const nNeg = t.length;
    const { k, x, y } = request;
    const withTranspose = y.length > 0;
    const sums = allocatePairSecondOrder(nPos, nNeg, k, withTranspose);
    const plan = this.plan(nPos, nNeg);
    if (plan.blocks === 1) {
      const a = new Float64Array(nPos);
      const b = new Float64Array(nNeg);
      const factored = pairFactors(kernels.rate * beta, s, t, a, b);
      return { value: kernels.secondOrder(beta, s, t, a, b, factored, 0, nPos, k, x, y, sums), sums };
    }
    const { a, b, ss, tt, factored } = this.#scores(kernels.rate * beta, s, t);
    const xs = this.#view('x', x.length);
    xs.set(x);
    const ys = this.#view('y', y.length);
    ys.set(y);
    const rowFirst = this.#view('rowFirst', nPos);
    const rowSecond = this.#view('rowSecond', nPos);
    const cross = this.#view('cross', nPos * k);
    const width = 1 + 2 * nNeg + (withTranspose ? nNeg * k : 0);
    const combined = this.#reduce(kernels.secondOrderBlock, plan, [a, b, ss, tt, xs, ys, rowFirst, rowSecond, cross], [beta, factored, k], width);
    sums.rowFirst.set(rowFirst);
    sums.rowSecond.set(rowSecond);
    sums.cross.set(cross);
    sums.colFirst.set(combined.subarray(1, 1 + nNeg));
    sums.colSecond.set(combined.subarray(1 + nNeg, 1 + 2 * nNeg));
    if (withTranspose) sums.crossTranspose.set(combined.subarray(1 + 2 * nNeg, width));
    return { value: combined[0], sums };
  }

  /** Shared copies of the scores and, when they fit, their factors at rate κ (factored: 1, else 0: one exp per pair). */
  #scores(kappa: number, s: Float64Array, t: Float64Array): { a: Float64Array; b: Float64Array; ss: Float64Array; tt: Float64Array; factored: number } {
    const a = this.#view('a', s.length);
    const b = this.#view('b', t.length);
    const ss = this.#view('s', s.length);
    const tt = this.#view('t', t.length);
    ss.set(s);
    tt.set(t);
    return { a, b, ss, tt, factored: pairFactors(kappa, s, t, a, b) ? 1 : 0 };
  }

  /** A shared buffer for `role` of exactly `length` (the underlying buffer only grows). */
  #view(role: string, length: number): Float64Array {
    let buffer = this.#shared.get(role);
    if (buffer === undefined || buffer.length < length) {
      buffer = sharedFloat64Array(length);
      this.#shared.set(role, buffer);
    }
    return buffer.length === length ? buffer : buffer.subarray(0, length);
  }

  /**
   * Σ over blocks, in block order, of each block's partial: on the pool (blocking form), or
   * without one by the same arithmetic here — the first block's partial copied, the others added.
   */
  #reduce(ref: PairKernels['firstOrderBlock'], plan: PairPlan, buffers: Float64Array[], args: number[], width: number): Float64Array {
    if (this.#combined.length !== width) this.#combined = new Float64Array(width);
    const out = this.#combined;
    const nPos = buffers[2].length;
    if (this.pool !== undefined) {
      return this.pool.parallelReduceSync({ start: 0, end: nPos }, ref, { buffers, args, width, out, chunk: plan.rowsPerBlock });
    }
    if (this.#partial.length !== width) this.#partial = new Float64Array(width);
    const partial = this.#partial;
    const context = { buffers, args: Float64Array.from(args), partial, block: 0, thread: 0, threads: 1 };
    for (let block = 0; block < plan.blocks; block++) {
      const start = block * plan.rowsPerBlock;
      partial.fill(0);
      context.block = block;
      ref.local(start, Math.min(nPos, start + plan.rowsPerBlock), context);
      if (block === 0) out.set(partial);
      else for (let q = 0; q < width; q++) out[q] += partial[q];
    }
    return out;
  }
}

/** The runner without blocks (pairwiseLossAndGradient and other stand-alone callers). */
export const WHOLE_RANGE: PairThreads = createPairThreads({ threshold: Infinity });

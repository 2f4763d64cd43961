// SPDX-License-Identifier: MIT
/**
 * Block kernels for @lossscape/parallel: each computes the pair sums of positive rows
 * [start, end) with the row kernels of sigmoid-pairs.ts / tanh-pairs.ts, assigning per-row sums
 * into shared buffers and adding per-column sums into the block's own partial, which the pool
 * adds up block by block in block order. Worker threads load them from the built
 * dist/kernels/index.js (the "@lossscape/tensor-core/kernels" subpath); the calling thread runs
 * the same functions imported normally (`KernelRef.local`), so both run the same code.
 *
 * Buffer and argument layouts (pair-threads.ts fills them; nothing here validates):
 *   first order   buffers [a, b, s, t, rows]                         args [β, factored]
 *                 partial [Σ value terms, column sums (N⁻)]
 *   second order  buffers [a, b, s, t, x, y, rowFirst, rowSecond, cross]   args [β, factored, k]
 *                 partial [Σ value terms, colFirst (N⁻), colSecond (N⁻), crossTranspose (N⁻·k, only when y is non-empty)]
 * `factored` is 1 when a, b hold the exp-free factors (pairFactors), else 0 (one exp per pair
 * from s, t). Only @lossscape/parallel's types are imported: this module loads nothing else.
 */
import type { KernelContext } from '@lossscape/parallel';
import type { PairSecondOrderBuffers } from './pair-accumulate.js';
import { sigmoidPairsFirstOrder, sigmoidPairsFirstOrderDirect, sigmoidPairsSecondOrder } from './sigmoid-pairs.js';
import { tanhPairsFirstOrder, tanhPairsFirstOrderDirect, tanhPairsSecondOrder } from './tanh-pairs.js';

type FirstOrderRows = (a: Float64Array, b: Float64Array, i0: number, i1: number, rowOut: Float64Array, colOut: Float64Array) => number;
type FirstOrderDirectRows = (beta: number, s: Float64Array, t: Float64Array, i0: number, i1: number, rowOut: Float64Array, colOut: Float64Array) => number;
type SecondOrderRows = typeof sigmoidPairsSecondOrder;

// Per-thread scratch for one row's pair weights (each thread has its own module instance).
let scratchFirst = new Float64Array(0);
let scratchSecond = new Float64Array(0);

function rowScratch(n: number): [Float64Array, Float64Array] {
  if (scratchFirst.length < n) {
    scratchFirst = new Float64Array(n);
    scratchSecond = new Float64Array(n);
  }
  return [scratchFirst.subarray(0, n), scratchSecond.subarray(0, n)];
}

function firstOrderBlock(factoredRows: FirstOrderRows, directRows: FirstOrderDirectRows, start: number, end: number, context: KernelContext): void {
  const [a, b, s, t, rows] = context.buffers as Float64Array[];
  const { args, partial } = context;
  const cols = partial.subarray(1);
  partial[0] = args[1] === 1 ? factoredRows(a, b, start, end, rows, cols) : directRows(args[0], s, t, start, end, rows, cols);
}

function secondOrderBlock(rowsKernel: SecondOrderRows, start: number, end: number, context: KernelContext): void {
  const [a, b, s, t, x, y, rowFirst, rowSecond, cross] = context.buffers as Float64Array[];
  const { args, partial } = context;
  const n = t.length;
  const k = args[2];
  const [w1, w2] = rowScratch(n);
  const out: PairSecondOrderBuffers = {
    rowFirst,
    colFirst: partial.subarray(1, 1 + n),
    rowSecond,
    colSecond: partial.subarray(1 + n, 1 + 2 * n),
    cross,
    crossTranspose: partial.subarray(1 + 2 * n, y.length > 0 ? 1 + 2 * n + n * k : 1 + 2 * n),
    w1,
    w2,
  };
  partial[0] = rowsKernel(args[0], s, t, a, b, args[1] === 1, start, end, k, x, y, out);
}

/** Sigmoid value and gradient sums over rows [start, end) (first-order layout above). */
export function sigmoidFirstOrderBlock(start: number, end: number, context: KernelContext): void {
  firstOrderBlock(sigmoidPairsFirstOrder, sigmoidPairsFirstOrderDirect, start, end, context);
}

/** Tanh value and gradient sums over rows [start, end) (first-order layout above; a, b at rate 2β). */
export function tanhFirstOrderBlock(start: number, end: number, context: KernelContext): void {
  firstOrderBlock(tanhPairsFirstOrder, tanhPairsFirstOrderDirect, start, end, context);
}

/** Sigmoid second-order sums and cross products over rows [start, end) (second-order layout above). */
export function sigmoidSecondOrderBlock(start: number, end: number, context: KernelContext): void {
  secondOrderBlock(sigmoidPairsSecondOrder, start, end, context);
}

/** Tanh second-order sums and cross products over rows [start, end) (second-order layout above). */
export function tanhSecondOrderBlock(start: number, end: number, context: KernelContext): void {
  secondOrderBlock(tanhPairsSecondOrder, start, end, context);
}

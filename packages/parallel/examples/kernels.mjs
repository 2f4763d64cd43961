// SPDX-License-Identifier: MIT
// Kernels run on worker threads: plain functions exported from an ES module (no closures).

/** out[i] = factor · x[i] */
export function scale(start, end, { buffers: [x, out], args: [factor] }) {
  for (let i = start; i < end; i++) out[i] = factor * x[i];
}

/** Σ x[i]² over this block: the block's partial (the pool adds blocks in block order). */
export function sumOfSquares(start, end, { buffers: [x] }) {
  let s = 0;
  for (let i = start; i < end; i++) s += x[i] * x[i];
  return s;
}

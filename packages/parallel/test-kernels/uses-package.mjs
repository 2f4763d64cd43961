// SPDX-License-Identifier: MIT
// Imports a workspace package by name: in a worker this resolves with the default export
// condition, i.e. to @lossscape/numeric's built dist/, never to its TypeScript sources.
import { dot } from '@lossscape/numeric';

/** Σ over this block of x[i]·y[i], through numeric's dot on block views. */
export function blockDot(start, end, { buffers: [x, y] }) {
  return dot(x.subarray(start, end), y.subarray(start, end));
}

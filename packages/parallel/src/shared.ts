// SPDX-License-Identifier: MIT
import { requireInteger } from '@lossscape/numeric';

/**
 * A Float64Array over a new SharedArrayBuffer, zero-filled or holding a copy of `values`.
 * Kernels in other threads can only see buffers made this way.
 */
export function sharedFloat64Array(lengthOrValues: number | ArrayLike<number>): Float64Array {
  if (typeof lengthOrValues === 'number') {
    const length = requireInteger('length', lengthOrValues, 0);
    return new Float64Array(new SharedArrayBuffer(8 * length));
  }
  const out = new Float64Array(new SharedArrayBuffer(8 * lengthOrValues.length));
  for (let i = 0; i < lengthOrValues.length; i++) out[i] = lengthOrValues[i];
  return out;
}

/** True when `view` lives in a SharedArrayBuffer (so other threads can see it). */
export function isShared(view: ArrayBufferView): boolean {
  return view.buffer instanceof SharedArrayBuffer;
}

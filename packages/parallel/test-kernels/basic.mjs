// SPDX-License-Identifier: MIT
// Kernels for the tests: plain JavaScript, so worker threads import them without a TS loader.
import { threadId } from 'node:worker_threads';

/** parallelFor: out[i] = a[i]² + args[0]. */
export function square(start, end, { buffers: [a, out], args }) {
  for (let i = start; i < end; i++) out[i] = a[i] * a[i] + args[0];
}

/** parallelReduce (width 1, returned): Σ x[i] in index order within the block. */
export function sum(start, end, { buffers: [x] }) {
  let s = 0;
  for (let i = start; i < end; i++) s += x[i];
  return s;
}

/** parallelReduce (width 2, written): [Σ x, Σ x²]. */
export function moments(start, end, { buffers: [x], partial }) {
  for (let i = start; i < end; i++) {
    partial[0] += x[i];
    partial[1] += x[i] * x[i];
  }
}

/** Records which thread computed each iteration: owner[i] = thread; block[i] = block. */
export function owner(start, end, { buffers: [who, blocks], thread, block }) {
  for (let i = start; i < end; i++) {
    who[i] = thread;
    blocks[i] = block;
  }
}

export function noop() {
  return undefined;
}

/** Throws in the block that contains args[0]. */
export function failAt(start, end, { args }) {
  if (args[0] >= start && args[0] < end) throw new RangeError(`kernel failed at iteration ${args[0]}`);
}

/** Throws an error with a code (as LandscapeError would carry). */
export function failWithCode() {
  const error = new Error('coded failure');
  error.name = 'LandscapeError';
  error.code = 'ERR_NOT_FINITE';
  throw error;
}

/** Ends its thread in the block that contains args[0]. */
export function exitAt(start, end, { args }) {
  if (args[0] >= start && args[0] < end) process.exit(3);
}

/** Busy work per iteration (spin for args[0] microseconds), for abort tests. */
export function spin(start, end, { args }) {
  for (let i = start; i < end; i++) {
    const until = performance.now() + args[0] / 1000;
    while (performance.now() < until);
  }
}

/** The thread id of the worker (0 on the caller thread), for replacement tests. */
export function threadIdOf(start, end, { buffers: [ids] }) {
  for (let i = start; i < end; i++) ids[i] = threadId;
}

export const notAFunction = 42;

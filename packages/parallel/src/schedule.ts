// SPDX-License-Identifier: MIT
/**
 * Which thread computes which block: the one piece of scheduling, shared by the caller and the
 * workers. The blocks themselves are fixed by the range and `chunk` alone, so a schedule only
 * moves work between threads and never changes what is computed.
 */
import type { KernelContext, KernelFunction } from './kernel.js';
import { F_CHUNK, F_END, F_START, I_NBLOCKS, I_NEXT, I_SCHEDULE, I_STOP, I_TEAM, I_WIDTH, type SharedArray } from './layout.js';

const EMPTY = new Float64Array(0);

/** The context object a thread reuses for every block it computes in one region. */
export interface MutableKernelContext extends KernelContext {
  buffers: readonly SharedArray[];
  args: Float64Array;
  partial: Float64Array;
  block: number;
  thread: number;
  threads: number;
}

export function newContext(buffers: readonly SharedArray[], args: Float64Array, thread: number, threads: number): MutableKernelContext {
  return { buffers, args, partial: EMPTY, block: -1, thread, threads };
}

/** Contiguous share of `blocks` for `thread` of `team` (OpenMP `schedule(static)`). */
export function staticShare(blocks: number, team: number, thread: number): [number, number] {
  return [Math.floor((thread * blocks) / team), Math.floor(((thread + 1) * blocks) / team)];
}

/** Blocks a guided claim takes when `remaining` are left: half an even share, at least one. */
export function guidedClaim(remaining: number, team: number): number {
  return Math.max(1, Math.ceil(remaining / (2 * team)));
}

/**
 * Computes this thread's blocks of the region described in the control block. Stops early when
 * another thread raised the stop flag. A kernel's exception propagates; `context.block` then
 * names the failing block.
 */
export function runBlocks(i32: Int32Array, f64: Float64Array, fn: KernelFunction, context: MutableKernelContext, partials: Float64Array | null): void {
  const blocks = i32[I_NBLOCKS];
  const team = i32[I_TEAM];
  const schedule = i32[I_SCHEDULE];
  const width = i32[I_WIDTH];
  const start = f64[F_START];
  const end = f64[F_END];
  const chunk = f64[F_CHUNK];

  const compute = (b: number): void => {
    const s = start + b * chunk;
    const e = Math.min(end, s + chunk);
    context.block = b;
    if (partials === null) {
      fn(s, e, context);
      return;
    }
    const partial = partials.subarray(b * width, (b + 1) * width);
    partial.fill(0);
    context.partial = partial;
    const value = fn(s, e, context);
    if (width === 1 && typeof value === 'number') partial[0] = value;
  };

  if (schedule === 0) {
    const [lo, hi] = staticShare(blocks, team, context.thread);
    for (let b = lo; b < hi; b++) {
      if (Atomics.load(i32, I_STOP) !== 0) return;
      compute(b);
    }
  } else if (schedule === 1) {
    for (;;) {
      if (Atomics.load(i32, I_STOP) !== 0) return;
      const b = Atomics.add(i32, I_NEXT, 1);
      if (b >= blocks) return;
      compute(b);
    }
  } else {
    for (;;) {
      if (Atomics.load(i32, I_STOP) !== 0) return;
      const next = Atomics.load(i32, I_NEXT);
      if (next >= blocks) return;
      const take = guidedClaim(blocks - next, team);
      if (Atomics.compareExchange(i32, I_NEXT, next, next + take) !== next) continue;
      for (let b = next; b < next + take; b++) {
        if (Atomics.load(i32, I_STOP) !== 0) return;
        compute(b);
      }
    }
  }
}

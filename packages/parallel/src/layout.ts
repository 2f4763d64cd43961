// SPDX-License-Identifier: MIT
/**
 * The shared control block of a pool: one SharedArrayBuffer read by the caller and every
 * worker. A parallel region is described entirely here (no message per region or per block),
 * so dispatch is a few Atomics stores and one Atomics.notify per woken worker.
 *
 * Int32 words come first, then a Float64 area (aligned to 8 bytes) for values that may exceed
 * 2³¹ or are not integers (range bounds, kernel arguments, buffer offsets and lengths).
 */

/** Region number, incremented per region (diagnostics; errors carry it). */
export const I_REGION = 0;
export const I_KERNEL = 1;
/** 0 static, 1 dynamic, 2 guided. */
export const I_SCHEDULE = 2;
export const I_NBLOCKS = 3;
/** Threads in the team, the caller included when it takes part. */
export const I_TEAM = 4;
/** 1 when the caller is thread 0 (blocking form), 0 when only workers compute. */
export const I_THREAD_OFFSET = 5;
/** Reduction width (partials per block); 0 for parallelFor. */
export const I_WIDTH = 6;
export const I_NBUF = 7;
export const I_NARGS = 8;
/** Buffer id of the pool's partials buffer, −1 when the region has none. */
export const I_PARTIALS = 9;
/** Next unclaimed block (dynamic and guided schedules). */
export const I_NEXT = 10;
/** Team workers still running this region; the last one notifies. */
export const I_REMAINING = 11;
/** Non-zero: stop claiming blocks (a kernel failed, a worker crashed, or the caller aborted). */
export const I_STOP = 12;
export const I_SHUTDOWN = 13;

export const MAX_BUFFERS = 16;
export const MAX_ARGS = 16;

/** Per buffer: id, element-type code. */
export const I_BUF = 16;
const I_BUF_STRIDE = 2;
export const bufferIdIndex = (k: number): number => I_BUF + I_BUF_STRIDE * k;
export const bufferTypeIndex = (k: number): number => I_BUF + I_BUF_STRIDE * k + 1;

/** Per worker: wake counter, busy flag, state, exit code. */
const I_WORKERS = I_BUF + I_BUF_STRIDE * MAX_BUFFERS;
const I_WORKER_STRIDE = 4;
export const wakeIndex = (w: number): number => I_WORKERS + I_WORKER_STRIDE * w;
export const busyIndex = (w: number): number => I_WORKERS + I_WORKER_STRIDE * w + 1;
export const stateIndex = (w: number): number => I_WORKERS + I_WORKER_STRIDE * w + 2;
export const exitCodeIndex = (w: number): number => I_WORKERS + I_WORKER_STRIDE * w + 3;

export const STATE_BOOTING = 0;
export const STATE_READY = 1;
export const STATE_DEAD = 2;

export const F_START = 0;
export const F_END = 1;
export const F_CHUNK = 2;
export const F_ARGS = 3;
const F_BUF = F_ARGS + MAX_ARGS;
export const bufferOffsetIndex = (k: number): number => F_BUF + 2 * k;
export const bufferLengthIndex = (k: number): number => F_BUF + 2 * k + 1;
const F_WORDS = F_BUF + 2 * MAX_BUFFERS;

export const SCHEDULES = ['static', 'dynamic', 'guided'] as const;

export interface ControlViews {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
}

export function controlBytes(maxWorkers: number): number {
  const intBytes = 4 * (I_WORKERS + I_WORKER_STRIDE * maxWorkers);
  return Math.ceil(intBytes / 8) * 8 + 8 * F_WORDS;
}

export function controlViews(buffer: SharedArrayBuffer, maxWorkers: number): ControlViews {
  const intWords = I_WORKERS + I_WORKER_STRIDE * maxWorkers;
  const floatOffset = Math.ceil((4 * intWords) / 8) * 8;
  return { i32: new Int32Array(buffer, 0, intWords), f64: new Float64Array(buffer, floatOffset, F_WORDS) };
}

/** A typed array a region can share with its workers (over a SharedArrayBuffer). */
export type SharedArray =
  | Float64Array<ArrayBufferLike>
  | Float32Array<ArrayBufferLike>
  | Int32Array<ArrayBufferLike>
  | Uint32Array<ArrayBufferLike>
  | Int16Array<ArrayBufferLike>
  | Uint16Array<ArrayBufferLike>
  | Int8Array<ArrayBufferLike>
  | Uint8Array<ArrayBufferLike>;

type SharedArrayConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => SharedArray;

/** Element types a shared buffer may have, by code (the code travels in the control block). */
export const ARRAY_TYPES: readonly SharedArrayConstructor[] = [Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array];

export function arrayTypeCode(view: ArrayBufferView): number {
  return ARRAY_TYPES.findIndex((type) => view instanceof type);
}

interface WaitAsyncResult {
  readonly async: boolean;
  readonly value: 'not-equal' | 'timed-out' | 'ok' | Promise<'ok' | 'timed-out'>;
}

/** Atomics.waitAsync (Node ≥ 16; not yet in TypeScript's ES2023 library). */
export function waitAsync(i32: Int32Array, index: number, value: number, timeoutMs?: number): WaitAsyncResult {
  return (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t?: number): WaitAsyncResult }).waitAsync(i32, index, value, timeoutMs);
}

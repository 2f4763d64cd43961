// SPDX-License-Identifier: MIT
/**
 * Entry of a pool worker. It sleeps in Atomics.wait on its own wake word; when woken it reads
 * the region from the control block, picks up new buffers and kernels that the caller posted
 * beforehand (synchronously, with receiveMessageOnPort), computes its blocks, and counts itself
 * out. It returns to its event loop only to import a kernel module for the first time.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { KernelFunction } from './kernel.js';
import { loadFailure, pickExport } from './kernel-loader.js';
import {
  ARRAY_TYPES,
  F_ARGS,
  I_KERNEL,
  I_NARGS,
  I_NBUF,
  I_PARTIALS,
  I_REGION,
  I_REMAINING,
  I_SHUTDOWN,
  I_STOP,
  I_TEAM,
  I_THREAD_OFFSET,
  STATE_DEAD,
  STATE_READY,
  bufferIdIndex,
  bufferLengthIndex,
  bufferOffsetIndex,
  bufferTypeIndex,
  busyIndex,
  controlViews,
  exitCodeIndex,
  stateIndex,
  wakeIndex,
  type SharedArray,
} from './layout.js';
import { newContext, runBlocks, type MutableKernelContext } from './schedule.js';
import { serializeError, type SerializedError } from './serialized-error.js';

export interface RegionWorkerData {
  readonly control: SharedArrayBuffer;
  readonly maxWorkers: number;
  readonly index: number;
  readonly port: MessagePort;
}

export type ToRegionWorker =
  | { readonly type: 'buffer'; readonly id: number; readonly buffer: SharedArrayBuffer }
  | { readonly type: 'release'; readonly id: number }
  | { readonly type: 'kernel'; readonly id: number; readonly specifier: string; readonly exportName: string };

export interface RegionWorkerError {
  readonly type: 'error';
  readonly region: number;
  readonly thread: number;
  readonly block: number;
  readonly error: SerializedError;
}

const BUSY_CRASHED = 2;

const { control, maxWorkers, index, port } = workerData as RegionWorkerData;
const { i32, f64 } = controlViews(control, maxWorkers);
const buffers = new Map<number, SharedArrayBuffer>();
const kernels = new Map<number, KernelFunction | SerializedError>();
const toLoad: Array<{ id: number; specifier: string; exportName: string }> = [];

// Runs on process.exit() and on an uncaught exception inside this thread: count this worker
// out of the region it was in, so that a caller blocked in Atomics.wait wakes up.
process.on('exit', (code) => {
  Atomics.store(i32, exitCodeIndex(index), code);
  Atomics.store(i32, stateIndex(index), STATE_DEAD);
  Atomics.notify(i32, stateIndex(index));
  if (Atomics.compareExchange(i32, busyIndex(index), 1, BUSY_CRASHED) === 1) {
    Atomics.store(i32, I_STOP, 1);
    if (Atomics.sub(i32, I_REMAINING, 1) === 1) Atomics.notify(i32, I_REMAINING);
  }
});

function drainMessages(): void {
  for (let received = receiveMessageOnPort(port); received !== undefined; received = receiveMessageOnPort(port)) {
    const message = received.message as ToRegionWorker;
    if (message.type === 'buffer') buffers.set(message.id, message.buffer);
    else if (message.type === 'release') buffers.delete(message.id);
    else toLoad.push(message);
  }
}

async function loadKernels(): Promise<void> {
  while (toLoad.length > 0) {
    const { id, specifier, exportName } = toLoad.shift()!;
    try {
      kernels.set(id, pickExport(await import(specifier), specifier, exportName));
    } catch (cause) {
      kernels.set(id, loadFailure(specifier, cause));
    }
  }
}

function view(k: number): SharedArray {
  const Type = ARRAY_TYPES[i32[bufferTypeIndex(k)]];
  return new Type(buffers.get(i32[bufferIdIndex(k)])!, f64[bufferOffsetIndex(k)], f64[bufferLengthIndex(k)]);
}

function runRegion(): void {
  const thread = index + i32[I_THREAD_OFFSET];
  let context: MutableKernelContext | undefined;
  try {
    const fn = kernels.get(i32[I_KERNEL]);
    if (typeof fn !== 'function') throw Object.assign(new Error(fn?.message ?? 'kernel was never sent to this worker'), fn);
    const views: SharedArray[] = [];
    for (let k = 0; k < i32[I_NBUF]; k++) views.push(view(k));
    const args = f64.slice(F_ARGS, F_ARGS + i32[I_NARGS]);
    const partialsId = i32[I_PARTIALS];
    const partials = partialsId >= 0 ? new Float64Array(buffers.get(partialsId)!) : null;
    context = newContext(views, args, thread, i32[I_TEAM]);
    runBlocks(i32, f64, fn, context, partials);
  } catch (error) {
    Atomics.store(i32, I_STOP, 1);
    const message: RegionWorkerError = { type: 'error', region: i32[I_REGION], thread, block: context?.block ?? -1, error: serializeError(error) };
    port.postMessage(message);
  } finally {
    if (Atomics.compareExchange(i32, busyIndex(index), 1, 0) === 1 && Atomics.sub(i32, I_REMAINING, 1) === 1) {
      Atomics.notify(i32, I_REMAINING);
    }
  }
}

async function serve(): Promise<void> {
  let seen = Atomics.load(i32, wakeIndex(index));
  Atomics.store(i32, stateIndex(index), STATE_READY);
  Atomics.notify(i32, stateIndex(index));
  for (;;) {
    Atomics.wait(i32, wakeIndex(index), seen);
    const now = Atomics.load(i32, wakeIndex(index));
    if (now === seen) continue;
    seen = now;
    if (Atomics.load(i32, I_SHUTDOWN) !== 0) break;
    drainMessages();
    if (toLoad.length > 0) await loadKernels();
    runRegion();
  }
  port.close();
}

void serve();

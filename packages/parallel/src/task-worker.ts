// SPDX-License-Identifier: MIT
/**
 * Entry of a task thread: imports the task module, calls the export with the task's data and a
 * TaskContext, forwards what it emits (or yields, for an async generator) to the main thread,
 * and reports its return value or error. One task per thread; the main thread ends the thread
 * once the outcome has arrived.
 */
import { parentPort, workerData, type TransferListItem } from 'node:worker_threads';
import { loadFailure, pickExport } from './kernel-loader.js';
import { serializeError, type SerializedError } from './serialized-error.js';
import type { TaskContext, TaskFunction } from './task.js';

export interface TaskWorkerData {
  readonly specifier: string;
  readonly exportName: string;
  readonly data: unknown;
}

export type ToTask = { readonly type: 'message'; readonly message: unknown } | { readonly type: 'abort'; readonly reason: string };

export type FromTask =
  | { readonly type: 'message'; readonly message: unknown }
  | { readonly type: 'result'; readonly value: unknown }
  | { readonly type: 'error'; readonly error: SerializedError };

const port = parentPort!;
const { specifier, exportName, data } = workerData as TaskWorkerData;
const controller = new AbortController();
const inbox: unknown[] = [];
const waiting: Array<{ resolve: (message: unknown) => void; reject: (reason: unknown) => void }> = [];

const post = (message: FromTask, transferList?: readonly TransferListItem[]): void => port.postMessage(message, transferList);

port.on('message', (message: ToTask) => {
  if (message.type === 'abort') {
    const reason = Object.assign(new Error(message.reason), { name: 'AbortError', code: 'ERR_ABORTED' });
    controller.abort(reason);
    for (const w of waiting.splice(0)) w.reject(reason);
  } else if (waiting.length > 0) {
    waiting.shift()!.resolve(message.message);
  } else {
    inbox.push(message.message);
  }
});

const context: TaskContext = {
  signal: controller.signal,
  emit: (message, transferList) => post({ type: 'message', message }, transferList),
  receive: () => {
    if (inbox.length > 0) return Promise.resolve(inbox.shift());
    if (controller.signal.aborted) return Promise.reject(controller.signal.reason);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  },
};

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

async function run(): Promise<unknown> {
  let fn: TaskFunction | SerializedError;
  try {
    fn = pickExport(await import(specifier), specifier, exportName) as TaskFunction | SerializedError;
  } catch (cause) {
    fn = loadFailure(specifier, cause, 'task.module');
  }
  if (typeof fn !== 'function') throw Object.assign(new Error(fn.message), fn);
  const returned = fn(data, context);
  if (!isAsyncIterable(returned)) return await returned;
  // An async generator: each yielded value is a message, its return value the result.
  const iterator = returned[Symbol.asyncIterator]();
  for (;;) {
    const step = await iterator.next();
    if (step.done) return step.value;
    post({ type: 'message', message: step.value });
  }
}

run().then(
  (value) => post({ type: 'result', value }),
  (error: unknown) => post({ type: 'error', error: serializeError(error) }),
).finally(() => port.close());

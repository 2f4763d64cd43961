// SPDX-License-Identifier: MIT
/**
 * Long-running independent tasks (basin-hopping chains) on their own worker threads, with a
 * message stream both ways. Unlike parallel regions, a task owns its thread for its whole life:
 * one thread per task, ended when the task settles.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';
import { LandscapeError, expectedMessage, requireInteger } from '@lossscape/numeric';
import { normalizeSpecifier } from './kernel-loader.js';
import { rebuildError } from './remote-error.js';
import { serializeError } from './serialized-error.js';
import type { FromTask, TaskWorkerData, ToTask } from './task-worker.js';

/** What a task function receives besides its data. */
export interface TaskContext {
  /** Fires when the main thread calls abort(): stop soon, then return or throw. */
  readonly signal: AbortSignal;
  /** Sends a message to the main thread (it arrives in the TaskRun's iteration). */
  emit(message: unknown, transferList?: readonly TransferListItem[]): void;
  /** The next message the main thread posted (TaskRun.post); rejects once aborted. */
  receive(): Promise<unknown>;
}

/**
 * A task: `(data, context) => result`, sync or async; or an async generator whose yielded values
 * are messages and whose return value is the result.
 */
export type TaskFunction = (data: unknown, context: TaskContext) => unknown;

export interface TaskRef {
  /** Package specifier (resolved from @lossscape/parallel's folder), absolute path or URL. */
  readonly module: string | URL;
  readonly exportName: string;
}

export interface TaskOptions {
  readonly signal?: AbortSignal;
  /** Transferred with `data` (e.g. ArrayBuffers); SharedArrayBuffers are shared anyway. */
  readonly transferList?: readonly TransferListItem[];
  /** Node flags for the task's thread (e.g. ['--import', 'tsx'] for TypeScript task modules). Default none. */
  readonly execArgv?: readonly string[];
  readonly resourceLimits?: ResourceLimits;
  /** After abort(), how long the task may take to stop by itself before its thread is terminated. Default 2000 ms. */
  readonly abortGraceMs?: number;
}

/** A running task: iterate it for its messages; await `result` for its outcome. */
export interface TaskRun<M = unknown, R = unknown> extends AsyncIterable<M>, AsyncDisposable {
  readonly threadId: number;
  /**
   * The task's return value. Rejects with the task's error (same class, message, code and its
   * stack), ERR_WORKER if its thread died, ERR_ABORTED if it was aborted and did not return.
   */
  readonly result: Promise<R>;
  /** Sends a message to the task (its context.receive()). */
  post(message: unknown, transferList?: readonly TransferListItem[]): void;
  /** Asks the task to stop (context.signal fires); terminates its thread after the grace period. */
  abort(reason?: unknown): void;
  /** Ends the task's thread at once. */
  terminate(): Promise<void>;
}

const ignore = (): void => undefined;
const TASK_ENTRY = new URL(import.meta.url.endsWith('.ts') ? '../dist/task-worker.js' : './task-worker.js', import.meta.url);

/**
 * Starts `task` on a new worker thread with `data` (structured-cloned).
 *
 * ```ts
 * const run = runTask({ module: new URL('./chain.mjs', import.meta.url), exportName: 'chain' }, { seed: 1 });
 * for await (const event of run) console.log(event);   // breaking out of the loop aborts the task
 * const summary = await run.result;
 * ```
 */
export function runTask<M = unknown, R = unknown>(task: TaskRef, data?: unknown, options: TaskOptions = {}): TaskRun<M, R> {
  if (typeof task !== 'object' || task === null) throw new TypeError(expectedMessage('{ module, exportName }', 'task', task));
  if (!(task.module instanceof URL) && (typeof task.module !== 'string' || task.module === '' || task.module.startsWith('.'))) {
    throw new TypeError(expectedMessage('a package specifier, absolute path or URL', 'task.module', task.module));
  }
  if (typeof task.exportName !== 'string' || task.exportName === '') throw new TypeError(expectedMessage('an export name', 'task.exportName', task.exportName));
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError(expectedMessage('an AbortSignal', 'signal', options.signal));
  const abortGraceMs = requireInteger('abortGraceMs', options.abortGraceMs ?? 2000, 0);
  if (!existsSync(TASK_ENTRY)) {
    throw new LandscapeError(`Expected the built worker entry ${fileURLToPath(TASK_ENTRY)} but received none (build @lossscape/parallel: npx tsc -p tsconfig.lib.json)`, 'ERR_WORKER');
  }
  return new Task<M, R>(normalizeSpecifier(task.module), task.exportName, data, options, abortGraceMs);
}

class Task<M, R> implements TaskRun<M, R> {
  readonly threadId: number;
  readonly result: Promise<R>;
  readonly #worker: Worker;
  readonly #where: string;
  readonly #callSite = new Error();
  readonly #abortGraceMs: number;
  readonly #messages: M[] = [];
  readonly #readers: Array<(step: IteratorResult<M>) => void> = [];
  readonly #failReaders: Array<(error: unknown) => void> = [];
  #resolve!: (value: R) => void;
  #reject!: (error: unknown) => void;
  #outcome: { ok: true } | { ok: false; error: unknown } | undefined;
  #abortRequested: unknown;
  #graceTimer: NodeJS.Timeout | undefined;
  #detachSignal: () => void = ignore;

  constructor(specifier: string, exportName: string, data: unknown, options: TaskOptions, abortGraceMs: number) {
    this.#where = `task ${specifier}#${exportName}`;
    this.#abortGraceMs = abortGraceMs;
    this.result = new Promise<R>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Callers may only iterate; the iteration reports the error then.
    this.result.catch(ignore);
    const workerData: TaskWorkerData = { specifier, exportName, data };
    this.#worker = new Worker(TASK_ENTRY, {
      workerData,
      transferList: options.transferList ? [...options.transferList] : undefined,
      execArgv: options.execArgv ? [...options.execArgv] : [],
      resourceLimits: options.resourceLimits,
      name: `lossscape-task ${exportName}`,
    });
    this.threadId = this.#worker.threadId;
    this.#worker.on('message', (message: FromTask) => this.#onMessage(message));
    this.#worker.on('error', (error) => this.#settle({ ok: false, error: rebuildError(serializeError(error), this.#where, this.#callSite) }));
    this.#worker.on('exit', (code) => {
      const error = this.#abortRequested !== undefined ? this.#abortError() : new LandscapeError(`Expected ${this.#where} to return but its thread exited with code ${code}`, 'ERR_WORKER');
      this.#settle({ ok: false, error });
    });
    const signal = options.signal;
    if (signal) {
      const onAbort = (): void => this.abort(signal.reason);
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.#detachSignal = () => signal.removeEventListener('abort', onAbort);
      }
    }
  }

  post(message: unknown, transferList?: readonly TransferListItem[]): void {
    if (this.#outcome) return;
    const envelope: ToTask = { type: 'message', message };
    this.#worker.postMessage(envelope, transferList);
  }

  abort(reason: unknown = new Error('aborted')): void {
    if (this.#outcome || this.#abortRequested !== undefined) return;
    this.#abortRequested = reason;
    const envelope: ToTask = { type: 'abort', reason: reason instanceof Error ? reason.message : String(reason) };
    this.#worker.postMessage(envelope);
    this.#graceTimer = setTimeout(() => void this.terminate(), this.#abortGraceMs);
  }

  async terminate(): Promise<void> {
    this.#abortRequested ??= new Error('terminated');
    this.#settle({ ok: false, error: this.#abortError() });
    await this.#worker.terminate();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.abort();
    await this.result.catch(ignore);
  }

  [Symbol.asyncIterator](): AsyncIterator<M> {
    return {
      next: () => {
        if (this.#messages.length > 0) return Promise.resolve({ done: false, value: this.#messages.shift()! });
        if (this.#outcome) return this.#outcome.ok ? Promise.resolve({ done: true, value: undefined }) : Promise.reject(this.#outcome.error);
        return new Promise<IteratorResult<M>>((resolve, reject) => {
          this.#readers.push(resolve);
          this.#failReaders.push(reject);
        });
      },
      // Leaving a for-await loop early abandons the task, like breaking out of a stream.
      return: () => {
        this.abort(new Error('iteration ended'));
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  #onMessage(message: FromTask): void {
    if (this.#outcome) return;
    if (message.type === 'message') {
      const reader = this.#readers.shift();
      this.#failReaders.shift();
      if (reader) reader({ done: false, value: message.message as M });
      else this.#messages.push(message.message as M);
    } else if (message.type === 'result') {
      this.#settle({ ok: true }, message.value as R);
    } else {
      const error = rebuildError(message.error, this.#where, this.#callSite);
      this.#settle({ ok: false, error: this.#abortRequested !== undefined ? this.#abortError(error) : error });
    }
  }

  #abortError(cause?: unknown): LandscapeError {
    return new LandscapeError(`Expected ${this.#where} to return but received an abort`, 'ERR_ABORTED', { cause: cause ?? this.#abortRequested });
  }

  #settle(outcome: { ok: true } | { ok: false; error: unknown }, value?: R): void {
    if (this.#outcome) return;
    this.#outcome = outcome;
    clearTimeout(this.#graceTimer);
    this.#detachSignal();
    if (outcome.ok) this.#resolve(value as R);
    else this.#reject(outcome.error);
    for (const reader of this.#readers.splice(0)) {
      const fail = this.#failReaders.shift()!;
      if (outcome.ok) reader({ done: true, value: undefined });
      else fail(outcome.error);
    }
    // The outcome is in: end the thread (a task may leave timers or handles behind).
    void this.#worker.terminate();
  }
}

// SPDX-License-Identifier: MIT
/**
 * A persistent team of worker threads for OpenMP-style parallel regions. See README.md for the
 * model; in short: one region runs at a time; the range is cut into fixed blocks of `chunk`
 * iterations; the schedule decides only which thread computes which block; reductions keep one
 * partial per block and add them up block by block on the calling thread.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { LandscapeError, expectedMessage, requireInteger, requireOneOf } from '@lossscape/numeric';
import type { KernelFunction, KernelRef } from './kernel.js';
import { loadFailure, normalizeSpecifier, pickExport } from './kernel-loader.js';
import {
  F_ARGS,
  F_CHUNK,
  F_END,
  F_START,
  I_KERNEL,
  I_NARGS,
  I_NBLOCKS,
  I_NBUF,
  I_NEXT,
  I_PARTIALS,
  I_REGION,
  I_REMAINING,
  I_SCHEDULE,
  I_SHUTDOWN,
  I_STOP,
  I_TEAM,
  I_THREAD_OFFSET,
  I_WIDTH,
  MAX_ARGS,
  MAX_BUFFERS,
  SCHEDULES,
  STATE_BOOTING,
  STATE_DEAD,
  arrayTypeCode,
  bufferIdIndex,
  bufferLengthIndex,
  bufferOffsetIndex,
  bufferTypeIndex,
  busyIndex,
  controlBytes,
  controlViews,
  exitCodeIndex,
  stateIndex,
  waitAsync,
  wakeIndex,
  type SharedArray,
} from './layout.js';
import type { RegionWorkerData, RegionWorkerError, ToRegionWorker } from './region-worker.js';
import { rebuildError } from './remote-error.js';
import { newContext, runBlocks } from './schedule.js';
import { serializeError, type SerializedError } from './serialized-error.js';

export type Schedule = (typeof SCHEDULES)[number];

/** `n` means the range 0 … n−1. */
export type Range = number | { readonly start: number; readonly end: number };

/** Blocks per region when `chunk` is not given: enough for load balance on up to ~16 threads. */
export const DEFAULT_BLOCKS = 64;
/** Most threads a pool may have (the control block is sized for this many workers). */
export const MAX_THREADS = 256;

export interface PoolOptions {
  /** Most threads any region may use, the caller included. Default: os.availableParallelism(). */
  readonly threads?: number;
  /** Node flags for the workers. Default none: kernels are plain JavaScript (built dist, .mjs). */
  readonly execArgv?: readonly string[];
  readonly resourceLimits?: ResourceLimits;
  /** How long to wait for a worker thread to start. Default 30 s. */
  readonly startupTimeoutMs?: number;
}

export interface RegionOptions {
  /** Threads for this region (clamped to the pool's size and to the number of blocks). */
  readonly threads?: number;
  /**
   * Default 'dynamic': on a shared machine a worker may wake late, and dynamic lets the other
   * threads take its blocks. The result is the same whichever schedule runs.
   */
  readonly schedule?: Schedule;
  /** Iterations per block: the unit of work and of determinism. Default ⌈n / 64⌉. */
  readonly chunk?: number;
  /** Buffers the kernel reads and writes (typed arrays over SharedArrayBuffers), at most 16. */
  readonly buffers?: readonly SharedArray[];
  /** Scalar arguments, at most 16 (more: put them in a buffer). */
  readonly args?: readonly number[];
}

export interface ReduceOptions extends RegionOptions {
  /** Partials per block (a vector reduction); default 1. */
  readonly width?: number;
  /** Where to write the result (length `width`); default a new Float64Array. */
  readonly out?: Float64Array;
}

export interface AsyncRegionOptions extends RegionOptions {
  readonly signal?: AbortSignal;
}
export interface AsyncReduceOptions extends ReduceOptions {
  readonly signal?: AbortSignal;
}

export interface ParallelPool extends AsyncDisposable {
  /** Most threads a region may use. */
  readonly threads: number;
  /** Runs the kernel over the range on worker threads; resolves when every block is done. */
  parallelFor(range: Range, kernel: KernelRef, options?: AsyncRegionOptions): Promise<void>;
  /** Blocking form: the caller computes blocks too (thread 0) and waits with Atomics.wait. */
  parallelForSync(range: Range, kernel: KernelRef, options?: RegionOptions): void;
  /** Sum over blocks, in block order, of each block's partial (length `width`). */
  parallelReduce(range: Range, kernel: KernelRef, options?: AsyncReduceOptions): Promise<Float64Array>;
  /** Blocking form of parallelReduce. */
  parallelReduceSync(range: Range, kernel: KernelRef, options?: ReduceOptions): Float64Array;
  /** Starts every worker and imports the kernel in each, so the first region pays neither. */
  load(kernel: KernelRef): Promise<void>;
  /** Stops the workers; pending regions reject with ERR_WORKER. */
  close(): Promise<void>;
}

/**
 * Creates a pool. No thread starts until a region needs it; workers are then reused for every
 * later region, and never keep the process alive while idle.
 *
 * ```ts
 * const pool = createPool({ threads: 2 });
 * const squares = kernel(new URL('./kernels.mjs', import.meta.url), 'sumOfSquares');
 * const [total] = pool.parallelReduceSync(1_000_000, squares);
 * await pool.close();
 * ```
 */
export function createPool(options: PoolOptions = {}): ParallelPool {
  return new Pool(options);
}

const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? '../dist/region-worker.js' : './region-worker.js', import.meta.url);
const requireHere = createRequire(import.meta.url);
const BUSY_CRASHED = 2;
const ignore = (): void => undefined;
/** Atomics.load polls before sleeping: a worker often finishes within a few microseconds. */
const SPIN = 2_000;

interface Slot {
  readonly index: number;
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly knownBuffers: Set<number>;
  readonly knownKernels: Set<number>;
  dead: boolean;
}

interface RegionSpec {
  readonly start: number;
  readonly end: number;
  readonly chunk: number;
  readonly blocks: number;
  readonly schedule: number;
  readonly threads: number;
  readonly buffers: readonly SharedArray[];
  readonly args: readonly number[];
  readonly width: number;
  readonly out: Float64Array | undefined;
  readonly kernel: KernelRef;
  readonly kernelId: number;
  readonly where: string;
}

interface Region {
  readonly serial: number;
  readonly spec: RegionSpec;
  readonly team: number;
  /** 1 when the caller is thread 0. */
  readonly offset: number;
  readonly workers: number;
  readonly partials: Float64Array | null;
  readonly callSite: Error;
  finished: boolean;
  /** Set for promise-form regions. */
  job: Job | undefined;
}

interface Job {
  readonly spec: RegionSpec;
  readonly callSite: Error;
  readonly resolve: (value: Float64Array | undefined) => void;
  readonly reject: (error: unknown) => void;
  settled: boolean;
  cleanup: () => void;
}

class Pool implements ParallelPool {
  readonly threads: number;
  readonly #execArgv: string[];
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #startupTimeoutMs: number;
  readonly #control = new SharedArrayBuffer(controlBytes(MAX_THREADS));
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #slots: Array<Slot | undefined> = [];
  readonly #bufferIds = new WeakMap<SharedArrayBuffer, number>();
  readonly #released = new FinalizationRegistry<number>((id) => this.#release(id));
  readonly #kernelIds = new Map<string, number>();
  readonly #kernelInfo: Array<{ specifier: string; exportName: string }> = [];
  readonly #localKernels = new Map<number, KernelFunction>();
  readonly #queue: Job[] = [];
  #nextBufferId = 0;
  #partials: Float64Array = new Float64Array(new SharedArrayBuffer(8 * DEFAULT_BLOCKS));
  #serial = 0;
  #active: Region | undefined;
  #driving = false;
  #keepAlive = false;
  #inSync = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: PoolOptions) {
    const threads = options.threads ?? availableParallelism();
    this.threads = requireInteger('threads', threads, 1, MAX_THREADS);
    this.#execArgv = options.execArgv ? [...options.execArgv] : [];
    this.#resourceLimits = options.resourceLimits;
    this.#startupTimeoutMs = requireInteger('startupTimeoutMs', options.startupTimeoutMs ?? 30_000, 1);
    const views = controlViews(this.#control, MAX_THREADS);
    this.#i32 = views.i32;
    this.#f64 = views.f64;
    this.#i32[I_PARTIALS] = -1;
  }

  parallelFor(range: Range, kernel: KernelRef, options: AsyncRegionOptions = {}): Promise<void> {
    return this.#runAsync(range, kernel, options, 0, 'parallelFor').then(() => undefined);
  }

  parallelReduce(range: Range, kernel: KernelRef, options: AsyncReduceOptions = {}): Promise<Float64Array> {
    return this.#runAsync(range, kernel, options, options?.width ?? 1, 'parallelReduce') as Promise<Float64Array>;
  }

  parallelForSync(range: Range, kernel: KernelRef, options: RegionOptions = {}): void {
    this.#runSync(this.#spec(range, kernel, options, 0, 'parallelForSync'));
  }

  parallelReduceSync(range: Range, kernel: KernelRef, options: ReduceOptions = {}): Float64Array {
    return this.#runSync(this.#spec(range, kernel, options, options?.width ?? 1, 'parallelReduceSync'))!;
  }

  async load(kernel: KernelRef): Promise<void> {
    const spec = this.#spec({ start: 0, end: 0 }, kernel, { threads: this.threads }, 0, 'load');
    await this.#enqueue({ ...spec, threads: this.threads }, new Error());
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ── validation ──────────────────────────────────────────────────────────────────────────

  #spec(range: Range, kernel: KernelRef, options: ReduceOptions, width: number, method: string): RegionSpec {
    if (this.#closed) throw new LandscapeError(`Expected an open pool for ${method} but received a closed pool`, 'ERR_WORKER');
    if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('an options object', 'options', options));
    let start: number;
    let end: number;
    if (typeof range === 'number') {
      start = 0;
      end = requireInteger('range', range, 0);
    } else if (typeof range === 'object' && range !== null) {
      start = requireInteger('range.start', range.start, 0);
      end = requireInteger('range.end', range.end, start);
    } else {
      throw new TypeError(expectedMessage('a count or { start, end }', 'range', range));
    }
    if (typeof kernel !== 'object' || kernel === null) throw new TypeError(expectedMessage('{ module, exportName }', 'kernel', kernel));
    if (!(kernel.module instanceof URL) && (typeof kernel.module !== 'string' || kernel.module === '' || kernel.module.startsWith('.'))) {
      throw new TypeError(expectedMessage('a package specifier, absolute path or URL', 'kernel.module', kernel.module));
    }
    if (typeof kernel.exportName !== 'string' || kernel.exportName === '') throw new TypeError(expectedMessage('an export name', 'kernel.exportName', kernel.exportName));
    if (kernel.local !== undefined && typeof kernel.local !== 'function') throw new TypeError(expectedMessage('a function', 'kernel.local', kernel.local));
    const n = end - start;
    const chunk = requireInteger('chunk', options.chunk ?? Math.max(1, Math.ceil(n / DEFAULT_BLOCKS)), 1);
    const threads = Math.min(requireInteger('threads', options.threads ?? this.threads, 1), this.threads);
    const schedule = SCHEDULES.indexOf(requireOneOf('schedule', options.schedule ?? 'dynamic', SCHEDULES));
    const buffers = options.buffers ?? [];
    if (!Array.isArray(buffers) || buffers.length > MAX_BUFFERS) throw new TypeError(expectedMessage(`an array of at most ${MAX_BUFFERS} typed arrays`, 'buffers', buffers));
    buffers.forEach((b, k) => {
      if (!ArrayBuffer.isView(b) || arrayTypeCode(b) < 0 || !(b.buffer instanceof SharedArrayBuffer)) {
        throw new TypeError(expectedMessage('a typed array over a SharedArrayBuffer (see sharedFloat64Array)', `buffers[${k}]`, b));
      }
    });
    const args = options.args ?? [];
    if (!Array.isArray(args) || args.length > MAX_ARGS) throw new TypeError(expectedMessage(`an array of at most ${MAX_ARGS} numbers`, 'args', args));
    args.forEach((a, k) => {
      if (typeof a !== 'number') throw new TypeError(expectedMessage('a number', `args[${k}]`, a));
    });
    if (width !== 0) requireInteger('width', width, 1);
    const out = options.out;
    if (out !== undefined && (!(out instanceof Float64Array) || out.length !== width)) throw new TypeError(expectedMessage(`a Float64Array of length ${width}`, 'out', out));
    const specifier = normalizeSpecifier(kernel.module);
    return {
      start,
      end,
      chunk,
      blocks: Math.ceil(n / chunk),
      schedule,
      threads,
      buffers,
      args,
      width,
      out,
      kernel,
      kernelId: this.#kernelId(specifier, kernel.exportName),
      where: `${method} ${specifier}#${kernel.exportName}`,
    };
  }

  #kernelId(specifier: string, exportName: string): number {
    const key = `${exportName}\u0000${specifier}`;
    let id = this.#kernelIds.get(key);
    if (id === undefined) {
      id = this.#kernelInfo.length;
      this.#kernelIds.set(key, id);
      this.#kernelInfo.push({ specifier, exportName });
    }
    return id;
  }

  // ── blocking form ───────────────────────────────────────────────────────────────────────

  #runSync(spec: RegionSpec): Float64Array | undefined {
    if (this.#inSync) {
      throw new LandscapeError(`Expected no parallel region in progress on this thread for ${spec.where} but received a nested call`, 'ERR_WORKER');
    }
    this.#inSync = true;
    try {
      if (this.#active) {
        // A promise-form region is in flight: let it end (its promise settles later).
        this.#waitRemainingSync();
        this.#finish(this.#active);
      }
      if (spec.blocks === 0) return this.#emptyResult(spec);
      const callSite = new Error();
      const team = Math.min(spec.threads, spec.blocks);
      const fn = this.#localKernel(spec);
      for (let w = 0; w < team - 1; w++) this.#readySync(this.#slot(w));
      const region = this.#dispatch(spec, team, 1, callSite);
      let callerError: RegionWorkerError | undefined;
      const context = newContext(spec.buffers, Float64Array.from(spec.args), 0, team);
      try {
        runBlocks(this.#i32, this.#f64, fn, context, region.partials);
      } catch (error) {
        Atomics.store(this.#i32, I_STOP, 1);
        callerError = { type: 'error', region: region.serial, thread: 0, block: context.block, error: serializeError(error) };
      }
      this.#waitRemainingSync();
      const outcome = this.#finish(region, callerError);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    } finally {
      this.#inSync = false;
    }
  }

  #localKernel(spec: RegionSpec): KernelFunction {
    if (spec.kernel.local) return spec.kernel.local;
    const cached = this.#localKernels.get(spec.kernelId);
    if (cached) return cached;
    const { specifier, exportName } = this.#kernelInfo[spec.kernelId];
    let picked: KernelFunction | SerializedError;
    try {
      // require() of an ES module (Node ≥ 20.19) is synchronous, as the blocking form must be.
      picked = pickExport(requireHere(specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier), specifier, exportName);
    } catch (cause) {
      picked = loadFailure(specifier, cause);
    }
    if (typeof picked !== 'function') {
      throw new LandscapeError(`${picked.message}; pass kernel.local to run it on the calling thread`, 'ERR_WORKER');
    }
    this.#localKernels.set(spec.kernelId, picked);
    return picked;
  }

  #waitRemainingSync(): void {
    const i32 = this.#i32;
    for (let k = 0; k < SPIN; k++) if (Atomics.load(i32, I_REMAINING) === 0) return;
    for (let r = Atomics.load(i32, I_REMAINING); r !== 0; r = Atomics.load(i32, I_REMAINING)) Atomics.wait(i32, I_REMAINING, r);
  }

  #readySync(slot: Slot): void {
    const at = stateIndex(slot.index);
    const deadline = Date.now() + this.#startupTimeoutMs;
    while (Atomics.load(this.#i32, at) === STATE_BOOTING) {
      if (Date.now() > deadline) throw this.#startupError(slot);
      Atomics.wait(this.#i32, at, STATE_BOOTING, 50);
    }
    if (Atomics.load(this.#i32, at) === STATE_DEAD) throw this.#startupError(slot);
  }

  // ── promise form ────────────────────────────────────────────────────────────────────────

  #runAsync(range: Range, kernel: KernelRef, options: AsyncReduceOptions, width: number, method: string): Promise<Float64Array | undefined> {
    const callSite = new Error();
    let spec: RegionSpec;
    try {
      spec = this.#spec(range, kernel, options, width, method);
      if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError(expectedMessage('an AbortSignal', 'signal', options.signal));
    } catch (error) {
      return Promise.reject(error);
    }
    if (spec.blocks === 0) return Promise.resolve(this.#emptyResult(spec));
    return this.#enqueue(spec, callSite, options.signal);
  }

  #enqueue(spec: RegionSpec, callSite: Error, signal?: AbortSignal): Promise<Float64Array | undefined> {
    return new Promise((resolve, reject) => {
      const job: Job = {
        spec,
        callSite,
        resolve: (value) => {
          if (job.settled) return;
          job.settled = true;
          job.cleanup();
          resolve(value);
        },
        reject: (error) => {
          if (job.settled) return;
          job.settled = true;
          job.cleanup();
          reject(error);
        },
        settled: false,
        cleanup: ignore,
      };
      if (signal) {
        const onAbort = (): void => {
          if (this.#active?.job === job) Atomics.store(this.#i32, I_STOP, 1);
          job.reject(new LandscapeError(`Expected ${spec.where} to run to completion but received an abort signal`, 'ERR_ABORTED', { cause: signal.reason }));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        job.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#queue.push(job);
      if (!this.#driving) void this.#drive();
    });
  }

  async #drive(): Promise<void> {
    this.#driving = true;
    this.#setKeepAlive(true);
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const job = this.#queue.shift()!;
        if (job.settled) continue;
        try {
          if (this.#active) await this.#waitRegionAsync(this.#active);
          const spec = job.spec;
          // Promise form: the caller keeps its event loop, so only workers compute.
          // (load() sends an empty region to every worker.)
          const team = spec.blocks === 0 ? spec.threads : Math.min(spec.threads, spec.blocks);
          for (let w = 0; w < team; w++) await this.#readyAsync(this.#slot(w));
          if (job.settled || this.#closed) continue;
          if (this.#active) await this.#waitRegionAsync(this.#active);
          const region = this.#dispatch(spec, team, 0, job.callSite);
          region.job = job;
          await this.#waitRegionAsync(region);
        } catch (error) {
          job.reject(error);
        }
      }
    } finally {
      this.#driving = false;
      this.#setKeepAlive(false);
      if (this.#queue.length > 0 && !this.#closed) void this.#drive();
    }
  }

  async #waitRegionAsync(region: Region): Promise<void> {
    const i32 = this.#i32;
    while (!region.finished) {
      const r = Atomics.load(i32, I_REMAINING);
      if (r === 0) {
        this.#finish(region);
        return;
      }
      const waiting = waitAsync(i32, I_REMAINING, r);
      if (waiting.async) await waiting.value;
    }
  }

  async #readyAsync(slot: Slot): Promise<void> {
    const at = stateIndex(slot.index);
    const deadline = Date.now() + this.#startupTimeoutMs;
    while (Atomics.load(this.#i32, at) === STATE_BOOTING) {
      if (Date.now() > deadline) throw this.#startupError(slot);
      const waiting = waitAsync(this.#i32, at, STATE_BOOTING, 50);
      if (waiting.async) await waiting.value;
    }
    if (Atomics.load(this.#i32, at) === STATE_DEAD) throw this.#startupError(slot);
  }

  // ── regions ─────────────────────────────────────────────────────────────────────────────

  /** Writes the region into the control block and wakes workers 0 … team−offset−1. */
  #dispatch(spec: RegionSpec, team: number, offset: number, callSite: Error): Region {
    const i32 = this.#i32;
    const f64 = this.#f64;
    const workers = team - offset;
    const partials = spec.width > 0 ? this.#partialsFor(spec.blocks * spec.width) : null;
    for (let w = 0; w < workers; w++) {
      const slot = this.#slots[w]!;
      this.#sendKernel(slot, spec.kernelId);
      for (const b of spec.buffers) this.#sendBuffer(slot, b.buffer as SharedArrayBuffer);
      if (partials) this.#sendBuffer(slot, partials.buffer as SharedArrayBuffer);
    }
    const serial = ++this.#serial;
    i32[I_REGION] = serial;
    i32[I_KERNEL] = spec.kernelId;
    i32[I_SCHEDULE] = spec.schedule;
    i32[I_NBLOCKS] = spec.blocks;
    i32[I_TEAM] = team;
    i32[I_THREAD_OFFSET] = offset;
    i32[I_WIDTH] = spec.width;
    i32[I_NBUF] = spec.buffers.length;
    i32[I_NARGS] = spec.args.length;
    i32[I_PARTIALS] = partials ? this.#bufferIds.get(partials.buffer as SharedArrayBuffer)! : -1;
    f64[F_START] = spec.start;
    f64[F_END] = spec.end;
    f64[F_CHUNK] = spec.chunk;
    spec.args.forEach((a, k) => (f64[F_ARGS + k] = a));
    spec.buffers.forEach((b, k) => {
      i32[bufferIdIndex(k)] = this.#bufferIds.get(b.buffer as SharedArrayBuffer)!;
      i32[bufferTypeIndex(k)] = arrayTypeCode(b);
      f64[bufferOffsetIndex(k)] = b.byteOffset;
      f64[bufferLengthIndex(k)] = b.length;
    });
    Atomics.store(i32, I_NEXT, 0);
    Atomics.store(i32, I_STOP, 0);
    Atomics.store(i32, I_REMAINING, workers);
    for (let w = 0; w < workers; w++) Atomics.store(i32, busyIndex(w), 1);
    for (let w = 0; w < workers; w++) {
      Atomics.add(i32, wakeIndex(w), 1);
      Atomics.notify(i32, wakeIndex(w), 1);
    }
    const region: Region = { serial, spec, team, offset, workers, partials, callSite, finished: false, job: undefined };
    this.#active = region;
    return region;
  }

  /**
   * Ends a region whose workers have all counted out: picks the error of the lowest thread that
   * failed (or a crash), else combines the partials. Settles the region's promise if it has one.
   */
  #finish(region: Region, callerError?: RegionWorkerError): Float64Array | undefined | Error {
    region.finished = true;
    if (this.#active === region) this.#active = undefined;
    const i32 = this.#i32;
    let failure: RegionWorkerError | undefined = callerError;
    let crash: string | undefined;
    for (let w = 0; w < region.workers; w++) {
      const slot = this.#slots[w]!;
      for (let m = receiveMessageOnPort(slot.port); m !== undefined; m = receiveMessageOnPort(slot.port)) {
        const message = m.message as RegionWorkerError;
        if (message.region === region.serial && (failure === undefined || message.thread < failure.thread)) failure = message;
      }
      if (Atomics.load(i32, busyIndex(w)) === BUSY_CRASHED) {
        Atomics.store(i32, busyIndex(w), 0);
        slot.dead = true;
        crash ??= `Expected worker ${w} (thread ${w + region.offset}) to finish ${region.spec.where} but it exited with code ${Atomics.load(i32, exitCodeIndex(w))}`;
      }
    }
    let outcome: Float64Array | undefined | Error;
    if (failure) {
      const where = `${region.spec.where}, region ${region.serial}, thread ${failure.thread}, block ${failure.block}`;
      outcome = rebuildError(failure.error, where, region.callSite);
    } else if (crash) {
      outcome = new LandscapeError(crash, 'ERR_WORKER');
    } else if (this.#closed) {
      outcome = new LandscapeError(`Expected an open pool for ${region.spec.where} but received a closed pool`, 'ERR_WORKER');
    } else {
      outcome = region.partials ? this.#combine(region) : undefined;
    }
    if (region.job) {
      if (outcome instanceof Error) region.job.reject(outcome);
      else region.job.resolve(outcome);
    }
    return outcome;
  }

  /** out[k] = Σ_b partial[b][k], always in block order b = 0, 1, 2, …: bitwise reproducible. */
  #combine(region: Region): Float64Array {
    const { width, blocks, out } = region.spec;
    const p = region.partials!;
    const result = out ?? new Float64Array(width);
    for (let k = 0; k < width; k++) result[k] = p[k];
    for (let b = 1; b < blocks; b++) {
      const base = b * width;
      for (let k = 0; k < width; k++) result[k] += p[base + k];
    }
    return result;
  }

  #emptyResult(spec: RegionSpec): Float64Array | undefined {
    if (spec.width === 0) return undefined;
    const result = spec.out ?? new Float64Array(spec.width);
    result.fill(0);
    return result;
  }

  #partialsFor(length: number): Float64Array {
    if (this.#partials.length < length) {
      let size = this.#partials.length;
      while (size < length) size *= 2;
      this.#partials = new Float64Array(new SharedArrayBuffer(8 * size));
    }
    return this.#partials;
  }

  // ── workers ─────────────────────────────────────────────────────────────────────────────

  /** The live worker in slot `w`, started (or replaced after a crash) when needed. */
  #slot(w: number): Slot {
    const existing = this.#slots[w];
    if (existing && !existing.dead && Atomics.load(this.#i32, stateIndex(w)) !== STATE_DEAD) return existing;
    if (existing) {
      existing.dead = true;
      void existing.worker.terminate();
      existing.port.close();
    }
    if (!existsSync(WORKER_ENTRY)) {
      throw new LandscapeError(
        `Expected the built worker entry ${fileURLToPath(WORKER_ENTRY)} but received none (build @lossscape/parallel: npx tsc -p tsconfig.lib.json)`,
        'ERR_WORKER',
      );
    }
    const i32 = this.#i32;
    Atomics.store(i32, stateIndex(w), STATE_BOOTING);
    Atomics.store(i32, busyIndex(w), 0);
    Atomics.store(i32, exitCodeIndex(w), 0);
    const { port1, port2 } = new MessageChannel();
    const workerData: RegionWorkerData = { control: this.#control, maxWorkers: MAX_THREADS, index: w, port: port2 };
    const worker = new Worker(WORKER_ENTRY, {
      workerData,
      transferList: [port2],
      execArgv: this.#execArgv,
      resourceLimits: this.#resourceLimits,
      name: `lossscape-parallel-${w}`,
    });
    const slot: Slot = { index: w, worker, port: port1, knownBuffers: new Set(), knownKernels: new Set(), dead: false };
    if (!this.#keepAlive) worker.unref();
    // An 'error' event without a listener would be rethrown on this thread.
    worker.on('error', ignore);
    worker.on('exit', (code) => this.#onExit(slot, code));
    this.#slots[w] = slot;
    return slot;
  }

  /** Backstop for deaths the worker could not report itself (its exit handler did not run). */
  #onExit(slot: Slot, code: number): void {
    if (this.#slots[slot.index] !== slot) return;
    slot.dead = true;
    const i32 = this.#i32;
    const w = slot.index;
    if (Atomics.load(i32, stateIndex(w)) !== STATE_DEAD) {
      Atomics.store(i32, exitCodeIndex(w), code);
      Atomics.store(i32, stateIndex(w), STATE_DEAD);
      Atomics.notify(i32, stateIndex(w));
    }
    if (Atomics.compareExchange(i32, busyIndex(w), 1, BUSY_CRASHED) === 1) {
      Atomics.store(i32, I_STOP, 1);
      if (Atomics.sub(i32, I_REMAINING, 1) === 1) Atomics.notify(i32, I_REMAINING);
    }
  }

  #startupError(slot: Slot): LandscapeError {
    const state = Atomics.load(this.#i32, stateIndex(slot.index));
    return new LandscapeError(
      state === STATE_DEAD
        ? `Expected worker ${slot.index} to start but it exited with code ${Atomics.load(this.#i32, exitCodeIndex(slot.index))}`
        : `Expected worker ${slot.index} to start within ${this.#startupTimeoutMs} ms but received no answer`,
      'ERR_WORKER',
    );
  }

  #setKeepAlive(on: boolean): void {
    this.#keepAlive = on;
    for (const slot of this.#slots) {
      if (slot && !slot.dead) {
        if (on) slot.worker.ref();
        else slot.worker.unref();
      }
    }
  }

  #sendKernel(slot: Slot, id: number): void {
    if (slot.knownKernels.has(id)) return;
    slot.knownKernels.add(id);
    const message: ToRegionWorker = { type: 'kernel', id, ...this.#kernelInfo[id] };
    slot.port.postMessage(message);
  }

  #sendBuffer(slot: Slot, buffer: SharedArrayBuffer): void {
    let id = this.#bufferIds.get(buffer);
    if (id === undefined) {
      id = this.#nextBufferId++;
      this.#bufferIds.set(buffer, id);
      this.#released.register(buffer, id);
    }
    if (slot.knownBuffers.has(id)) return;
    slot.knownBuffers.add(id);
    const message: ToRegionWorker = { type: 'buffer', id, buffer };
    slot.port.postMessage(message);
  }

  /** A buffer was garbage-collected here: let the workers drop their reference too. */
  #release(id: number): void {
    for (const slot of this.#slots) {
      if (slot?.knownBuffers.delete(id)) {
        const message: ToRegionWorker = { type: 'release', id };
        slot.port.postMessage(message);
      }
    }
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    const closedError = (job: Job): LandscapeError => new LandscapeError(`Expected an open pool for ${job.spec.where} but received a closed pool`, 'ERR_WORKER');
    for (const job of this.#queue.splice(0)) job.reject(closedError(job));
    const i32 = this.#i32;
    Atomics.store(i32, I_STOP, 1);
    if (this.#active?.job) this.#active.job.reject(closedError(this.#active.job));
    Atomics.store(i32, I_SHUTDOWN, 1);
    const slots = this.#slots.filter((s): s is Slot => s !== undefined && !s.dead);
    for (const slot of slots) {
      Atomics.add(i32, wakeIndex(slot.index), 1);
      Atomics.notify(i32, wakeIndex(slot.index));
    }
    await Promise.all(slots.map(async (slot) => {
      await slot.worker.terminate();
      slot.port.close();
    }));
  }
}

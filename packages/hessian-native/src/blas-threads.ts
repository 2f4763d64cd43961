// SPDX-License-Identifier: MIT
/**
 * OpenBLAS thread control. OpenBLAS starts as many threads as OPENBLAS_NUM_THREADS (read once,
 * when the library loads) or the core count. Its threads and any other parallelism in the process
 * (the parallel pool, worker threads, several async calls on the libuv pool) oversubscribe the
 * cores catastrophically — 70 ms became 3–4 s on 2 cores (DESIGN.md) — so keep OpenBLAS at one
 * thread whenever anything else runs in parallel, and use more only for one large matrix at a time.
 */
import { requireInteger } from '@lossscape/numeric';
import { binding } from './binding.js';

/**
 * Sets the number of OpenBLAS threads for every later call, process-wide (all threads share one
 * OpenBLAS). Call it while no eigen-decomposition is running.
 *
 * ```ts
 * setBlasThreads(1);   // before starting a worker pool or many symEigvalsAsync calls
 * ```
 */
export function setBlasThreads(threads: number): void {
  binding().setBlasThreads(requireInteger('threads', threads, 1, 1024));
}

/** The number of threads OpenBLAS will use for the next call. */
export function getBlasThreads(): number {
  return binding().getBlasThreads();
}

/** OpenBLAS's build configuration and the CPU kernel it selected, e.g. "OpenBLAS 0.3.21 … | Haswell". */
export function blasDescription(): string {
  return binding().blasDescription();
}

// SPDX-License-Identifier: MIT
/**
 * The process's thread budget (DESIGN.md "Threads"): chains × kernel threads never exceed the
 * cores, and OpenBLAS runs one thread whenever anything else runs in parallel (its own threads
 * and concurrent callers oversubscribe the cores catastrophically: 70 ms became 3–4 s here).
 */
import { availableParallelism } from 'node:os';
import { requireInteger } from '@lossscape/numeric';

export interface ThreadPlanOptions {
  /** Independent chains (task threads) wanted; default 1. Clamped to the cores. */
  readonly chains?: number;
  /** Cores to use; default os.availableParallelism(). */
  readonly cores?: number;
  /** Most kernel threads wanted per chain; default as many as the budget allows. */
  readonly kernelThreads?: number;
  /** True when eigen-solves may run while kernels or other work run (e.g. libuv-pool async solves). */
  readonly concurrentBlas?: boolean;
}

export interface ThreadPlan {
  readonly cores: number;
  /** Chains to run: min(requested, cores). */
  readonly chains: number;
  /** Threads per chain's parallel regions (its pool size): ⌊cores / chains⌋, at most as requested. */
  readonly kernelThreads: number;
  /** Set OPENBLAS_NUM_THREADS to this before the LAPACK addon loads. */
  readonly openblasThreads: number;
}

/**
 * Decides how many threads each level may use so that they never exceed the cores together.
 *
 * ```ts
 * planThreads({ chains: 2, cores: 2 });  // { cores: 2, chains: 2, kernelThreads: 1, openblasThreads: 1 }
 * planThreads({ chains: 1, cores: 2 });  // { cores: 2, chains: 1, kernelThreads: 2, openblasThreads: 2 }
 * ```
 */
export function planThreads(options: ThreadPlanOptions = {}): ThreadPlan {
  const cores = requireInteger('cores', options.cores ?? availableParallelism(), 1);
  const chains = Math.min(requireInteger('chains', options.chains ?? 1, 1), cores);
  const wanted = options.kernelThreads === undefined ? Infinity : requireInteger('kernelThreads', options.kernelThreads, 1);
  const kernelThreads = Math.max(1, Math.min(wanted, Math.floor(cores / chains)));
  // BLAS may use every core only when nothing else can run beside it: one chain whose kernel
  // regions and eigen-solves alternate.
  const openblasThreads = chains > 1 || options.concurrentBlas === true ? 1 : cores;
  return { cores, chains, kernelThreads, openblasThreads };
}

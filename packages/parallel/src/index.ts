// SPDX-License-Identifier: MIT
export {
  createPool,
  DEFAULT_BLOCKS,
  MAX_THREADS,
  type ParallelPool,
  type PoolOptions,
  type Range,
  type RegionOptions,
  type ReduceOptions,
  type AsyncRegionOptions,
  type AsyncReduceOptions,
  type Schedule,
} from './pool.js';
export { kernel, type KernelRef, type KernelFunction, type KernelContext } from './kernel.js';
export { MAX_ARGS, MAX_BUFFERS, type SharedArray } from './layout.js';
export { sharedFloat64Array, isShared } from './shared.js';
export { runTask, type TaskRef, type TaskRun, type TaskOptions, type TaskContext, type TaskFunction } from './task.js';
export { planThreads, type ThreadPlan, type ThreadPlanOptions } from './budget.js';

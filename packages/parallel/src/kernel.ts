// SPDX-License-Identifier: MIT
/**
 * Kernels: plain functions exported from an ES module, addressed by module specifier and export
 * name because functions cannot cross threads. Each thread imports the module once and caches
 * the function.
 */
import type { SharedArray } from './layout.js';

/** What a kernel sees while it computes one block. Valid only during that call. */
export interface KernelContext {
  /** The region's shared buffers, in the order given (views over the same SharedArrayBuffers). */
  readonly buffers: readonly SharedArray[];
  /** The region's scalar arguments (read-only). */
  readonly args: Float64Array;
  /** parallelReduce: this block's partial, zero-filled, of length `width`; parallelFor: empty. */
  readonly partial: Float64Array;
  /** Index of the block being computed (blocks do not depend on the thread count). */
  readonly block: number;
  /** Thread computing the block: 0 … threads−1 (0 is the caller in the blocking form). */
  readonly thread: number;
  readonly threads: number;
}

/**
 * A kernel computes iterations `start` (inclusive) to `end` (exclusive) of the range. In a
 * reduction it adds into `context.partial`; with width 1 it may instead return the block's value.
 */
export type KernelFunction = (start: number, end: number, context: KernelContext) => number | void;

/**
 * Where each thread finds a kernel: `(await import(module))[exportName]`.
 *
 * `module` is a package specifier (resolved from @lossscape/parallel's own folder, with the
 * default export conditions, i.e. built JavaScript), an absolute path, or a file URL.
 * `local` optionally gives the same function already imported by the caller: the blocking
 * form's calling thread then uses it instead of loading the module itself (useful when the
 * caller runs from TypeScript sources, where the package specifier would not load).
 */
export interface KernelRef {
  readonly module: string | URL;
  readonly exportName: string;
  readonly local?: KernelFunction;
}

/** Shorthand for a KernelRef. */
export function kernel(module: string | URL, exportName: string, local?: KernelFunction): KernelRef {
  return local === undefined ? { module, exportName } : { module, exportName, local };
}

// SPDX-License-Identifier: MIT
/**
 * The two interfaces that let the sampler work on any surface and any eigen-solver without
 * importing tensor-core or hessian-native (DESIGN.md: they arrive injected).
 */

/** A differentiable scalar field on R^dimension. Methods are synchronous and pure. */
export interface Potential {
  readonly dimension: number;
  energy(x: Float64Array): number;
  /** Writes ∇E(x) into `gradientOut` (length `dimension`) and returns E(x). */
  energyGradient(x: Float64Array, gradientOut: Float64Array): number;
  /** Dense Hessian, row-major n×n. */
  hessian?(x: Float64Array): Float64Array;
  /** Hessian-vector product H(x)·v into `out`. */
  hessianVectorProduct?(x: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Symmetry-aware identity of two minima (e.g. hidden-unit permutations and sign flips). */
  sameMinimum?(a: Float64Array, b: Float64Array): boolean;
  /** Distance between two configurations after the best symmetry alignment of `b` onto `a`. */
  alignedDistance?(a: Float64Array, b: Float64Array): number;
  /** `b` moved onto `a` by the best symmetry operation (for interpolation between minima). */
  align?(a: Float64Array, b: Float64Array): Float64Array;
}

/** Dense symmetric eigen-solver (implemented by @lossscape/hessian-native). Ascending order. */
export interface EigenSolver {
  eigenvalues(matrix: Float64Array, n: number): Float64Array;
  eigenvaluesAsync(matrix: Float64Array, n: number): Promise<Float64Array>;
  /** The k smallest eigenpairs; `vectors` is k×n row-major (row i is the eigenvector of values[i]). */
  lowest(matrix: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array };
}

// SPDX-License-Identifier: MIT
/**
 * numeric's EigenSolver over LAPACK, for injection into the sampler (which may not import this
 * package). Creating one does no work; the addon loads on the first call.
 */
import type { EigenSolver } from '@lossscape/numeric';
import { requireInteger, requireNonNegative } from '@lossscape/numeric';
import { symEig, symEigvals, symEigvalsAsync, type SymEigDriver } from './sym-eig.js';
import { requireSquareMatrix } from './validate.js';

export interface EigenSolverOptions {
  /** See SymEigvalsOptions.symmetryTol; default TOL.F64_SYMMETRY. */
  readonly symmetryTol?: number;
  /** Driver for full spectra; default 'dsyevd'. `lowest` with k < n always uses dsyevr. */
  readonly driver?: SymEigDriver;
}

/**
 * ```ts
 * const solver = createEigenSolver();
 * const { values, vectors } = solver.lowest(h, n, 2);   // two lowest modes, 2×n row-major
 * ```
 */
export function createEigenSolver(options: EigenSolverOptions = {}): EigenSolver {
  const { symmetryTol, driver } = options;
  if (symmetryTol !== undefined) requireNonNegative('symmetryTol', symmetryTol);
  return {
    eigenvalues: (matrix, n) => symEigvals(matrix, n, { symmetryTol, driver }),
    eigenvaluesAsync: (matrix, n) => symEigvalsAsync(matrix, n, { symmetryTol, driver }),
    lowest(matrix, n, k) {
      // k is checked under the interface's name (symEig would call it `smallest`).
      requireInteger('k', k, 0, requireSquareMatrix(matrix, n).n);
      return symEig(matrix, n, { vectors: true, smallest: k, symmetryTol, driver });
    },
  };
}

/** An EigenSolver with default options. */
export const nativeEigenSolver: EigenSolver = createEigenSolver();

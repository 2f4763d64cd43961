// SPDX-License-Identifier: MIT
/**
 * Validation at the public edge (STYLE R1). Types, n and the length are checked here; finite
 * values and symmetry are checked by the native core in the same pass that copies the matrix for
 * LAPACK (a separate JavaScript pass over n² entries added about 4% to a 200×200 solve), and reported back
 * with the data these functions word into the project's error grammar.
 */
import { LandscapeError, expectedMessage, requireFloat64Array, requireInteger } from '@lossscape/numeric';

/**
 * Largest dimension accepted: dsyevd's eigenvector workspace, 1 + 6n + 2n² doubles, must fit
 * LAPACK's 32-bit integers (n ≤ 32 766). Memory runs out first (n = 30 000 needs ≥ 21 GB).
 */
export const MAX_DIMENSION = 30_000;

/** Checks that `matrix` is a Float64Array of length n² with n an integer in [0, MAX_DIMENSION]. */
export function requireSquareMatrix(matrixArg: unknown, nArg: unknown): { matrix: Float64Array; n: number } {
  const matrix = requireFloat64Array('matrix', matrixArg);
  const n = requireInteger('n', nArg, 0, MAX_DIMENSION);
  if (matrix.length !== n * n) {
    throw new LandscapeError(expectedMessage(`Float64Array of length ${n * n} (n × n with n = ${n})`, 'matrix', matrix), 'ERR_DIMENSION_MISMATCH');
  }
  return { matrix, n };
}

export function notFiniteError(value: number, index: number, row: number, column: number): LandscapeError {
  return new LandscapeError(`Expected finite values for matrix but received ${String(value)} at index ${index} (row ${row}, column ${column})`, 'ERR_NOT_FINITE');
}

/** The worst pair (i, j) with its two entries, relative to max|a|. */
export function notSymmetricError(i: number, j: number, aij: number, aji: number, maxAbs: number, symmetryTol: number): LandscapeError {
  const relative = Math.abs(aij - aji) / maxAbs;
  return new LandscapeError(
    `Expected a symmetric matrix (|a[i][j] − a[j][i]| ≤ ${symmetryTol} × max|a|) for matrix but received ` +
      `a[${i}][${j}] = ${aij} and a[${j}][${i}] = ${aji}, a relative asymmetry of ${relative.toPrecision(3)} (max|a| = ${maxAbs})`,
    'ERR_NOT_SYMMETRIC',
  );
}

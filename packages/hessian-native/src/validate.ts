// SPDX-License-Identifier: MIT
/**
 * Validation at the public edge (STYLE R1): the native layers trust what passes here.
 */
import { LandscapeError, TOL, expectedMessage, requireFloat64Array, requireInteger, requireNonNegative } from '@lossscape/numeric';

/**
 * Largest dimension accepted: dsyevd's eigenvector workspace, 1 + 6n + 2n² doubles, must fit
 * LAPACK's 32-bit integers (n ≤ 32 766). Memory runs out first (n = 30 000 needs ≥ 21 GB).
 */
export const MAX_DIMENSION = 30_000;

const BLOCK = 64;

/** Checks `matrix` is an n×n row-major Float64Array of finite values, symmetric to `symmetryTol` relative to max|a_ij|. */
export function requireSymmetricMatrix(matrixArg: unknown, nArg: unknown, symmetryTol: number = TOL.F64_SYMMETRY): Float64Array {
  const matrix = requireFloat64Array('matrix', matrixArg);
  const n = requireInteger('n', nArg, 0, MAX_DIMENSION);
  if (matrix.length !== n * n) {
    throw new LandscapeError(expectedMessage(`Float64Array of length ${n * n} (n × n with n = ${n})`, 'matrix', matrix), 'ERR_DIMENSION_MISMATCH');
  }
  requireNonNegative('symmetryTol', symmetryTol);
  // One blocked pass over each pair (i ≤ j): a sum of x·0 is NaN iff some x is NaN or ±Infinity,
  // so the common all-finite case costs no branch per element; the first bad index is looked up
  // only on failure.
  let probe = 0;
  let maxAbs = 0;
  let worst = 0;
  let wi = 0;
  let wj = 0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let j0 = i0; j0 < n; j0 += BLOCK) {
      const j1 = Math.min(n, j0 + BLOCK);
      for (let i = i0; i < i1; i++) {
        const row = i * n;
        for (let j = Math.max(j0, i); j < j1; j++) {
          const upper = matrix[row + j];
          const lower = matrix[j * n + i];
          probe += upper * 0 + lower * 0;
          const a = Math.max(Math.abs(upper), Math.abs(lower));
          if (a > maxAbs) maxAbs = a;
          const d = Math.abs(upper - lower);
          if (d > worst) {
            worst = d;
            wi = i;
            wj = j;
          }
        }
      }
    }
  }
  if (probe !== 0) {
    for (let k = 0; k < matrix.length; k++) {
      if (!Number.isFinite(matrix[k])) {
        const row = Math.floor(k / n);
        throw new LandscapeError(
          `Expected finite values for matrix but received ${String(matrix[k])} at index ${k} (row ${row}, column ${k - row * n})`,
          'ERR_NOT_FINITE',
        );
      }
    }
  }
  if (worst > symmetryTol * maxAbs) {
    const relative = worst / maxAbs;
    throw new LandscapeError(
      `Expected a symmetric matrix (|a[i][j] − a[j][i]| ≤ ${symmetryTol} × max|a|) for matrix but received ` +
        `a[${wi}][${wj}] = ${matrix[wi * n + wj]} and a[${wj}][${wi}] = ${matrix[wj * n + wi]}, ` +
        `a relative asymmetry of ${relative.toPrecision(3)} (max|a| = ${maxAbs})`,
      'ERR_NOT_SYMMETRIC',
    );
  }
  return matrix;
}

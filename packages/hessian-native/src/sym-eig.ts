// SPDX-License-Identifier: MIT
/**
 * Dense symmetric eigen-decomposition through LAPACK (OpenBLAS), synchronous and on the libuv
 * pool. Every function validates its input (type, n, length n², options here; finite values and
 * symmetry in the native copy, see validate.ts) and computes the spectrum of (A + Aᵀ)/2, so
 * rounding-level asymmetry is averaged, not ignored.
 *
 * Cost: O(n³) time, O(n²) memory (one copy of the matrix; eigenvectors add 2n² workspace with
 * dsyevd, n² output). About 1 ms at n = 200, 10 ms at 500, 60 ms at 1000, 0.5 s at 2000 on
 * one core of this machine (eigenvalues only; see bench/eigvals.bench.ts).
 */
import { LandscapeError, TOL, expectedMessage, requireInteger, requireNonNegative, requireOneOf } from '@lossscape/numeric';
import { binding, type NativeSymEigResult } from './binding.js';
import { notFiniteError, notSymmetricError, requireSquareMatrix } from './validate.js';

/**
 * LAPACK driver for a full spectrum. Both reduce to tridiagonal form (dsytrd), which dominates;
 * for eigenvalues only they then run the same dsterf and time the same (bench), and dsyevd is
 * what numpy.linalg.eigvalsh calls. With eigenvectors dsyevd uses divide and conquer (2n² more
 * workspace), dsyevr MRRR. A subset (`smallest` / `largest`) always uses dsyevr (il, iu).
 */
export type SymEigDriver = 'dsyevd' | 'dsyevr';

const DRIVERS: readonly SymEigDriver[] = ['dsyevd', 'dsyevr'];

export interface SymEigvalsOptions {
  /** Only the k smallest eigenvalues (dsyevr with il = 1, iu = k). */
  readonly smallest?: number;
  /** Only the k largest eigenvalues (dsyevr with il = n − k + 1, iu = n); still ascending. */
  readonly largest?: number;
  /** LAPACK driver for a full spectrum; default 'dsyevd'. */
  readonly driver?: SymEigDriver;
  /** Largest accepted max|a_ij − a_ji| relative to max|a_ij|; default TOL.F64_SYMMETRY (1e-8). */
  readonly symmetryTol?: number;
}

export interface SymEigOptions extends SymEigvalsOptions {
  /** Also compute eigenvectors. */
  readonly vectors?: boolean;
}

export interface SymEigResult {
  /** Eigenvalues, ascending. */
  readonly values: Float64Array;
  /**
   * When `vectors: true`: m×n row-major, row i the unit eigenvector of values[i] (m = values.length),
   * signed so that its entry of largest magnitude is positive.
   */
  readonly vectors?: Float64Array;
}

/** Eigenvalues with their eigenvectors (m×n row-major, row i belongs to values[i]). */
export interface SymEigenpairs {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

interface NativeCall {
  readonly matrix: Float64Array;
  readonly n: number;
  readonly vectors: boolean;
  readonly driver: number;
  readonly il: number;
  readonly iu: number;
  readonly symmetryTol: number;
}

function prepare(matrix: unknown, n: unknown, options: SymEigOptions, valuesOnly: boolean): NativeCall {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options object', 'options', options));
  const { matrix: checked, n: size } = requireSquareMatrix(matrix, n);
  const symmetryTol = requireNonNegative('symmetryTol', options.symmetryTol ?? TOL.F64_SYMMETRY);
  const vectors = valuesOnly ? false : (options.vectors ?? false);
  if (typeof vectors !== 'boolean') throw new TypeError(expectedMessage('boolean', 'vectors', vectors));
  const driver = DRIVERS.indexOf(requireOneOf('driver', options.driver ?? 'dsyevd', DRIVERS));
  if (options.smallest !== undefined && options.largest !== undefined) {
    throw new LandscapeError(
      `Expected at most one of smallest and largest for options but received smallest = ${options.smallest} and largest = ${options.largest}`,
      'ERR_INVALID_ARGUMENT',
    );
  }
  let il = 0;
  let iu = 0;
  let k = size;
  if (options.smallest !== undefined) {
    k = requireInteger('smallest', options.smallest, 0, size);
    if (k < size) [il, iu] = [1, k];
  } else if (options.largest !== undefined) {
    k = requireInteger('largest', options.largest, 0, size);
    if (k < size) [il, iu] = [size - k + 1, size];
  }
  // k = 0 asks for nothing, which LAPACK's il ≤ iu cannot express: il = iu = −1 tells the core to
  // check the input and return empty arrays.
  if (k === 0 && size > 0) [il, iu] = [-1, -1];
  return { matrix: checked, n: size, vectors, driver, il, iu, symmetryTol };
}

type NativeError = Error & Record<string, unknown>;

/**
 * Native failures arrive as plain Errors with a `code` and data: input refused by the native scan
 * (ERR_NOT_FINITE, ERR_NOT_SYMMETRIC) is worded here like every other validation error, LAPACK
 * failures keep LAPACK's words; both become LandscapeError, with the JS call site's stack when
 * given. Anything else (e.g. std::bad_alloc) passes through. Internal; exported for tests.
 */
export function fromNative(err: unknown, symmetryTol: number, callSite?: Error): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as NativeError;
  let wrapped: LandscapeError;
  if (e.code === 'ERR_NOT_FINITE') {
    wrapped = notFiniteError(e.value as number, e.index as number, e.row as number, e.column as number);
  } else if (e.code === 'ERR_NOT_SYMMETRIC') {
    wrapped = notSymmetricError(e.i as number, e.j as number, e.aij as number, e.aji as number, e.maxAbs as number, symmetryTol);
  } else if (e.code === 'ERR_LAPACK_ARGUMENT' || e.code === 'ERR_LAPACK_CONVERGENCE') {
    wrapped = new LandscapeError(e.message, e.code, { cause: err });
  } else {
    return err;
  }
  if (callSite?.stack) wrapped.stack = `${wrapped.name}: ${wrapped.message}\n${callSite.stack.split('\n').slice(1).join('\n')}`;
  return wrapped;
}

function runSync(call: NativeCall): NativeSymEigResult {
  try {
    return binding().symEig(call.matrix, call.n, call.vectors, call.driver, call.il, call.iu, call.symmetryTol);
  } catch (err) {
    throw fromNative(err, call.symmetryTol);
  }
}

function runAsync(matrix: unknown, n: unknown, options: SymEigOptions, valuesOnly: boolean): Promise<NativeSymEigResult> {
  const callSite = new Error();
  let symmetryTol = 0;
  try {
    const call = prepare(matrix, n, options, valuesOnly);
    symmetryTol = call.symmetryTol;
    const native = binding();
    return new Promise((resolve, reject) => {
      const done = (err: Error | null, result?: NativeSymEigResult) => (err ? reject(fromNative(err, symmetryTol, callSite)) : resolve(result!));
      try {
        // The addon checks and copies the matrix before this call returns (a refusal throws here,
        // synchronously); the caller may reuse its buffer at once.
        native.symEigAsync(call.matrix, call.n, call.vectors, call.driver, call.il, call.iu, call.symmetryTol, done);
      } catch (err) {
        done(err as Error);
      }
    });
  } catch (err) {
    // STYLE R14: an async API rejects, it never throws synchronously.
    return Promise.reject(fromNative(err, symmetryTol, callSite));
  }
}

/**
 * Eigenvalues of the symmetric n×n row-major `matrix`, ascending.
 *
 * ```ts
 * symEigvals(new Float64Array([2, 1, 1, 2]), 2);            // Float64Array [1, 3]
 * symEigvals(h, n, { smallest: 2 });                        // the two lowest only
 * ```
 * @throws TypeError / RangeError for a wrong type or n; LandscapeError ERR_DIMENSION_MISMATCH,
 *   ERR_NOT_FINITE, ERR_NOT_SYMMETRIC, ERR_LAPACK_*, ERR_NATIVE_UNAVAILABLE.
 */
export function symEigvals(matrix: Float64Array, n: number, options: SymEigvalsOptions = {}): Float64Array {
  return runSync(prepare(matrix, n, options, true)).values;
}

/**
 * `symEigvals` on a libuv worker thread: the event loop stays live during a large matrix. The
 * matrix is copied before this returns. Rejects (never throws) with the same errors.
 */
export function symEigvalsAsync(matrix: Float64Array, n: number, options: SymEigvalsOptions = {}): Promise<Float64Array> {
  return runAsync(matrix, n, options, true).then((r) => r.values);
}

/**
 * Eigenvalues and, with `vectors: true`, eigenvectors (m×n row-major, row i for values[i]).
 *
 * ```ts
 * const { values, vectors } = symEig(h, n, { vectors: true, smallest: 1 });  // lowest mode
 * ```
 */
export function symEig(matrix: Float64Array, n: number, options: SymEigOptions & { readonly vectors: true }): SymEigenpairs;
export function symEig(matrix: Float64Array, n: number, options?: SymEigOptions): SymEigResult;
export function symEig(matrix: Float64Array, n: number, options: SymEigOptions = {}): SymEigResult {
  return runSync(prepare(matrix, n, options, false));
}

/** `symEig` on a libuv worker thread; copies the matrix before returning; rejects, never throws. */
export function symEigAsync(matrix: Float64Array, n: number, options: SymEigOptions & { readonly vectors: true }): Promise<SymEigenpairs>;
export function symEigAsync(matrix: Float64Array, n: number, options?: SymEigOptions): Promise<SymEigResult>;
export function symEigAsync(matrix: Float64Array, n: number, options: SymEigOptions = {}): Promise<SymEigResult> {
  return runAsync(matrix, n, options, false);
}

// SPDX-License-Identifier: MIT
/**
 * Matrices with known spectra for the tests, written here from their definitions (no solver):
 * Q·diag(λ)·Qᵀ with a random orthogonal Q (a product of seeded random Householder reflections),
 * and the tridiagonal Toeplitz matrix with eigenvalues a + 2b·cos(kπ/(n+1)).
 */
import type { Rng } from '@lossscape/numeric';

export interface KnownSpectrum {
  readonly matrix: Float64Array;
  readonly n: number;
  /** Exact eigenvalues, ascending. */
  readonly eigenvalues: Float64Array;
}

const ascending = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort();

/** A ← H·A·H with H = I − 2vvᵀ/(vᵀv), for symmetric row-major A: O(n²). */
function reflect(a: Float64Array, n: number, v: Float64Array): void {
  let vv = 0;
  for (let i = 0; i < n; i++) vv += v[i] * v[i];
  const beta = 2 / vv;
  // w = β·A·v, then HAH = A − v·wᵀ − w·vᵀ + β(vᵀw)·v·vᵀ (A symmetric).
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
    w[i] = beta * s;
  }
  let vw = 0;
  for (let i = 0; i < n; i++) vw += v[i] * w[i];
  const c = beta * vw;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] += -v[i] * w[j] - w[i] * v[j] + c * v[i] * v[j];
  }
  // Keep it exactly symmetric: rounding in the update differs between (i, j) and (j, i).
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (a[i * n + j] + a[j * n + i]);
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
}

/** Q·diag(values)·Qᵀ, Q a product of `reflections` (default n) random Householder reflections. */
export function withSpectrum(rng: Rng, values: ArrayLike<number>, reflections = values.length): KnownSpectrum {
  const n = values.length;
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) matrix[i * n + i] = values[i];
  const v = new Float64Array(n);
  for (let r = 0; r < reflections; r++) {
    for (let i = 0; i < n; i++) v[i] = rng.normal();
    reflect(matrix, n, v);
  }
  return { matrix, n, eigenvalues: ascending(values) };
}

/** n values uniform in [lo, hi), in random order. */
export function uniformValues(rng: Rng, n: number, lo: number, hi: number): Float64Array {
  return Float64Array.from({ length: n }, () => rng.uniformIn(lo, hi));
}

/** Tridiagonal Toeplitz: a on the diagonal, b beside it; λ_k = a + 2b·cos(kπ/(n+1)), k = 1..n. */
export function toeplitzTridiagonal(n: number, a: number, b: number): KnownSpectrum {
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    matrix[i * n + i] = a;
    if (i + 1 < n) {
      matrix[i * n + i + 1] = b;
      matrix[(i + 1) * n + i] = b;
    }
  }
  const eigenvalues = ascending(Array.from({ length: n }, (_, k) => a + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1))));
  return { matrix, n, eigenvalues };
}

/** A random symmetric matrix with entries N(0, 1) (spectrum unknown: for property tests). */
export function randomSymmetric(rng: Rng, n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = rng.normal();
      m[i * n + j] = x;
      m[j * n + i] = x;
    }
  }
  return m;
}

export function spectralRadius(values: ArrayLike<number>): number {
  let r = 0;
  for (let i = 0; i < values.length; i++) r = Math.max(r, Math.abs(values[i]));
  return r;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`Expected equal lengths but received ${a.length} and ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

export function isAscending(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1] <= values[i])) return false;
  return true;
}

export function matrixTrace(matrix: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += matrix[i * n + i];
  return t;
}

/** max over rows i of ‖A·v_i − λ_i·v_i‖∞, `vectors` m×n row-major. */
export function residual(matrix: Float64Array, n: number, values: Float64Array, vectors: Float64Array): number {
  let worst = 0;
  for (let k = 0; k < values.length; k++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += matrix[i * n + j] * vectors[k * n + j];
      worst = Math.max(worst, Math.abs(s - values[k] * vectors[k * n + i]));
    }
  }
  return worst;
}

/** max |V·Vᵀ − I| for m×n row-major V (rows orthonormal). */
export function orthonormalityError(vectors: Float64Array, m: number, n: number): number {
  let worst = 0;
  for (let p = 0; p < m; p++) {
    for (let q = p; q < m; q++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += vectors[p * n + j] * vectors[q * n + j];
      worst = Math.max(worst, Math.abs(s - (p === q ? 1 : 0)));
    }
  }
  return worst;
}

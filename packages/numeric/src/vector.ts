// SPDX-License-Identifier: MIT
/** Small dense-vector helpers over Float64Array shared by every package. No validation (R1). */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm2(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Root-mean-square of the entries: ‖a‖ / √n (the study's gradient criterion). */
export function rms(a: ArrayLike<number>): number {
  return a.length === 0 ? 0 : Math.sqrt(dot(a, a) / a.length);
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Euclidean distance ‖a − b‖. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** y ← y + alpha·x */
export function axpy(alpha: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/** Trace of a row-major n×n matrix. */
export function trace(matrix: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += matrix[i * n + i];
  return s;
}

/** out ← M·v for a row-major n×n matrix. */
export function matVec(matrix: ArrayLike<number>, n: number, v: ArrayLike<number>, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += matrix[row + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** Relative difference |a − b| / max(|a|, |b|, floor). */
export function relativeDifference(a: number, b: number, floor = 0): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** Mean and sample standard deviation (n − 1); σ is NaN for fewer than two values. */
export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i];
  m /= n;
  if (n < 2) return { mean: m, std: NaN };
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - m) ** 2;
  return { mean: m, std: Math.sqrt(s / (n - 1)) };
}

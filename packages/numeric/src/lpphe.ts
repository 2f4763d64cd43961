// SPDX-License-Identifier: MIT
/**
 * Log product of positive Hessian eigenvalues (LPPHE), the study's measure of basin volume,
 * and PATHSAMPLE's `fvib` column.
 *
 * ```ts
 * lpphe(new Float64Array([-1e-3, 2e-5, 4.0]));
 * // → { value: ln(2e-5) + ln 4, positiveCount: 2, droppedCount: 0, negativeCount: 1, zeroCount: 0 }
 * ```
 */
import { requireNonNegative } from './errors.js';

export interface LppheOptions {
  /**
   * Relative threshold: eigenvalues ≤ relTol × max|λ| are left out (counted in `droppedCount`).
   * Default 0: keep every positive eigenvalue, as the study does.
   */
  readonly relTol?: number;
}

export interface LppheResult {
  /** Σ ln λ over the eigenvalues kept. */
  readonly value: number;
  /** How many eigenvalues entered the sum. */
  readonly positiveCount: number;
  /** Positive eigenvalues left out by the threshold. */
  readonly droppedCount: number;
  /** Eigenvalues < 0. */
  readonly negativeCount: number;
  /** Eigenvalues exactly 0. */
  readonly zeroCount: number;
}

export function lpphe(eigenvalues: ArrayLike<number>, options: LppheOptions = {}): LppheResult {
  const relTol = requireNonNegative('relTol', options.relTol ?? 0);
  let maxAbs = 0;
  for (let i = 0; i < eigenvalues.length; i++) maxAbs = Math.max(maxAbs, Math.abs(eigenvalues[i]));
  const threshold = relTol * maxAbs;
  let value = 0;
  let positiveCount = 0;
  let droppedCount = 0;
  let negativeCount = 0;
  let zeroCount = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const l = eigenvalues[i];
    if (Number.isNaN(l)) throw new TypeError(`Expected finite eigenvalues for lpphe but received NaN at index ${i}`);
    if (l < 0) negativeCount++;
    else if (l === 0) zeroCount++;
    else if (l <= threshold) droppedCount++;
    else {
      value += Math.log(l);
      positiveCount++;
    }
  }
  return { value, positiveCount, droppedCount, negativeCount, zeroCount };
}

/** Number of negative eigenvalues below −relTol × max|λ| (the index of a stationary point). */
export function hessianIndex(eigenvalues: ArrayLike<number>, relTol = 0): number {
  let maxAbs = 0;
  for (let i = 0; i < eigenvalues.length; i++) maxAbs = Math.max(maxAbs, Math.abs(eigenvalues[i]));
  let count = 0;
  for (let i = 0; i < eigenvalues.length; i++) if (eigenvalues[i] < -relTol * maxAbs) count++;
  return count;
}

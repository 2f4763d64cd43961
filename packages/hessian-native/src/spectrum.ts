// SPDX-License-Identifier: MIT
/**
 * Hessian summaries for a stationary point: index (number of negative eigenvalues) and LPPHE.
 */
import { TOL, hessianIndex, lpphe, requireNonNegative, type LppheResult } from '@lossscape/numeric';
import { symEigvals, symEigvalsAsync } from './sym-eig.js';

export interface StationaryPointIndexOptions {
  /**
   * Eigenvalues below −relTol × max|λ| count as negative; default TOL.F64_HESSIAN_INDEX (1e-9),
   * so rounding noise in zero modes does not count. Pass 0 to count every negative eigenvalue.
   */
  readonly relTol?: number;
  /** See SymEigvalsOptions.symmetryTol. */
  readonly symmetryTol?: number;
}

/**
 * Index of a stationary point from its Hessian: 0 at a minimum, 1 at a transition state.
 *
 * ```ts
 * stationaryPointIndex(new Float64Array([-2, 0, 0, 3]), 2);   // 1
 * ```
 */
export function stationaryPointIndex(matrix: Float64Array, n: number, options: StationaryPointIndexOptions = {}): number {
  const relTol = requireNonNegative('relTol', options.relTol ?? TOL.F64_HESSIAN_INDEX);
  return hessianIndex(symEigvals(matrix, n, { symmetryTol: options.symmetryTol }), relTol);
}

export interface HessianSpectrumOptions {
  /** LPPHE threshold relative to max|λ| (numeric's lpphe `relTol`); default 0, as in the study. */
  readonly lppheRelTol?: number;
  /** Index threshold (see StationaryPointIndexOptions.relTol); default TOL.F64_HESSIAN_INDEX. */
  readonly indexRelTol?: number;
  /** See SymEigvalsOptions.symmetryTol. */
  readonly symmetryTol?: number;
}

export interface HessianSpectrum {
  /** All eigenvalues, ascending. */
  readonly eigenvalues: Float64Array;
  /** Σ ln λ over positive eigenvalues, with positive / dropped / negative / zero counts. */
  readonly lpphe: LppheResult;
  /** Eigenvalues below −indexRelTol × max|λ|. */
  readonly index: number;
}

function summarise(eigenvalues: Float64Array, lppheRelTol: number, indexRelTol: number): HessianSpectrum {
  return { eigenvalues, lpphe: lpphe(eigenvalues, { relTol: lppheRelTol }), index: hessianIndex(eigenvalues, indexRelTol) };
}

/**
 * Spectrum, LPPHE and index of a Hessian in one call.
 *
 * ```ts
 * const { lpphe, index } = hessianSpectrum(h, n);
 * console.log(lpphe.value, lpphe.negativeCount, index);
 * ```
 */
export function hessianSpectrum(matrix: Float64Array, n: number, options: HessianSpectrumOptions = {}): HessianSpectrum {
  const lppheRelTol = requireNonNegative('lppheRelTol', options.lppheRelTol ?? 0);
  const indexRelTol = requireNonNegative('indexRelTol', options.indexRelTol ?? TOL.F64_HESSIAN_INDEX);
  return summarise(symEigvals(matrix, n, { symmetryTol: options.symmetryTol }), lppheRelTol, indexRelTol);
}

/** `hessianSpectrum` with the eigenvalues computed on a libuv worker thread; rejects, never throws. */
export async function hessianSpectrumAsync(matrix: Float64Array, n: number, options: HessianSpectrumOptions = {}): Promise<HessianSpectrum> {
  const lppheRelTol = requireNonNegative('lppheRelTol', options.lppheRelTol ?? 0);
  const indexRelTol = requireNonNegative('indexRelTol', options.indexRelTol ?? TOL.F64_HESSIAN_INDEX);
  return summarise(await symEigvalsAsync(matrix, n, { symmetryTol: options.symmetryTol }), lppheRelTol, indexRelTol);
}

// SPDX-License-Identifier: MIT
// The EigenSolver implementation, the index and hessianSpectrum, and BLAS thread control.
import { describe, expect, it } from 'vitest';
import { TOL, createRng, hessianIndex as numericHessianIndex, lpphe as numericLpphe } from '@lossscape/numeric';
import {
  blasDescription,
  createEigenSolver,
  getBlasThreads,
  hessianSpectrum,
  hessianSpectrumAsync,
  lpphe,
  nativeEigenSolver,
  setBlasThreads,
  stationaryPointIndex,
  symEigvals,
} from './index.js';
import { maxAbsDifference, orthonormalityError, residual, spectralRadius, uniformValues, withSpectrum } from './test-utils/matrices.js';

describe('EigenSolver (numeric interface)', () => {
  const rng = createRng(31);
  const known = withSpectrum(rng, uniformValues(rng, 40, -2, 6));
  const n = known.n;
  const rho = spectralRadius(known.eigenvalues);

  it('eigenvalues and eigenvaluesAsync give the ascending spectrum', async () => {
    expect(maxAbsDifference(nativeEigenSolver.eigenvalues(known.matrix, n), known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * rho);
    expect(maxAbsDifference(await nativeEigenSolver.eigenvaluesAsync(known.matrix, n), known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * rho);
  });

  it.each([0, 1, 3, 40])('lowest(k = %i) gives k eigenpairs, vectors k×n row-major', (k) => {
    const { values, vectors } = createEigenSolver({ driver: 'dsyevr' }).lowest(known.matrix, n, k);
    expect(values.length).toBe(k);
    expect(vectors.length).toBe(k * n);
    expect(maxAbsDifference(values, known.eigenvalues.subarray(0, k))).toBeLessThanOrEqual(TOL.F64_EIGEN * rho);
    expect(residual(known.matrix, n, values, vectors)).toBeLessThanOrEqual(TOL.F64_EIGEN * rho);
    expect(orthonormalityError(vectors, k, n)).toBeLessThanOrEqual(TOL.F64_EIGEN);
  });

  it('createEigenSolver passes symmetryTol through', () => {
    const m = Float64Array.from([1, 1 + 3e-8, 1, 1]);
    expect(() => nativeEigenSolver.eigenvalues(m, 2)).toThrow(/^Expected a symmetric matrix/);
    expect(createEigenSolver({ symmetryTol: 1e-7 }).eigenvalues(m, 2).length).toBe(2);
  });
});

describe('index and spectrum', () => {
  it('stationaryPointIndex counts negative eigenvalues beyond the relative threshold', () => {
    const rng = createRng(41);
    // Two genuine negative modes, one at rounding level (−1e-14 relative), the rest positive.
    const known = withSpectrum(rng, [-3, -0.01, -1e-14, 1e-3, 2, 5, 8]);
    expect(stationaryPointIndex(known.matrix, known.n)).toBe(2);
    expect(stationaryPointIndex(known.matrix, known.n, { relTol: 0.1 })).toBe(1);
    // With relTol = 0 the rounding-level eigenvalue may fall on either side of 0.
    expect(stationaryPointIndex(known.matrix, known.n, { relTol: 0 })).toBeGreaterThanOrEqual(2);
    expect(stationaryPointIndex(new Float64Array([-2, 0, 0, 3]), 2)).toBe(1);
    expect(stationaryPointIndex(new Float64Array(0), 0)).toBe(0);
  });

  it('hessianSpectrum agrees with numeric lpphe / hessianIndex on the computed eigenvalues', async () => {
    const rng = createRng(43);
    const values = [-0.5, ...new Array<number>(11).fill(2e-5), ...uniformValues(rng, 30, 0.01, 10)];
    const known = withSpectrum(rng, values);
    const spectrum = hessianSpectrum(known.matrix, known.n);
    expect(maxAbsDifference(spectrum.eigenvalues, known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(known.eigenvalues));
    expect(spectrum.index).toBe(1);
    expect(spectrum.lpphe).toEqual(numericLpphe(spectrum.eigenvalues));
    expect(spectrum.lpphe.negativeCount).toBe(1);
    expect(spectrum.lpphe.positiveCount).toBe(41);
    // Σ ln λ over the 41 exact positive eigenvalues, to float64 relative rounding of the logs.
    const exact = known.eigenvalues.filter((l) => l > 0).reduce((s, l) => s + Math.log(l), 0);
    // d(ln λ) = dλ/λ: the 2e-5 cluster carries the largest relative error.
    expect(Math.abs(spectrum.lpphe.value - exact)).toBeLessThanOrEqual((11 * TOL.F64_EIGEN * spectralRadius(known.eigenvalues)) / 2e-5);
    const thresholded = hessianSpectrum(known.matrix, known.n, { lppheRelTol: 1e-4, indexRelTol: 0 });
    expect(thresholded.lpphe.droppedCount).toBe(11);
    expect(thresholded.index).toBe(numericHessianIndex(thresholded.eigenvalues, 0));
    const viaAsync = await hessianSpectrumAsync(known.matrix, known.n);
    expect(viaAsync.index).toBe(1);
    expect(maxAbsDifference(viaAsync.eigenvalues, spectrum.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(known.eigenvalues));
  });

  it('re-exports numeric lpphe', () => {
    expect(lpphe).toBe(numericLpphe);
  });
});

describe('BLAS threads', () => {
  it('setBlasThreads / getBlasThreads round-trip, and results do not depend on the thread count', () => {
    const before = getBlasThreads();
    expect(before).toBeGreaterThanOrEqual(1);
    const rng = createRng(47);
    const known = withSpectrum(rng, uniformValues(rng, 150, -1, 1));
    try {
      setBlasThreads(1);
      expect(getBlasThreads()).toBe(1);
      const one = symEigvals(known.matrix, known.n);
      setBlasThreads(2);
      expect(getBlasThreads()).toBe(2);
      const two = symEigvals(known.matrix, known.n);
      expect(maxAbsDifference(one, two)).toBeLessThanOrEqual(TOL.F64_EIGEN);
    } finally {
      setBlasThreads(before);
    }
    expect(getBlasThreads()).toBe(before);
  });

  it('refuses a thread count that is not a positive integer', () => {
    expect(() => setBlasThreads(0)).toThrow(/^Expected integer between 1 and 1024 for threads but received 0 of type number$/);
    expect(() => setBlasThreads(1.5)).toThrow(RangeError);
    expect(() => setBlasThreads('2' as unknown as number)).toThrow(TypeError);
  });

  it('describes the OpenBLAS build and kernel', () => {
    expect(blasDescription()).toMatch(/^OpenBLAS \d+\.\d+\.\d+.* \| \S+/);
  });
});

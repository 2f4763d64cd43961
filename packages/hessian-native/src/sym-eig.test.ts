// SPDX-License-Identifier: MIT
// symEigvals / symEig against matrices with known spectra, and the properties every answer must
// have. Never skipped: without the addon these fail with the loader's ERR_NATIVE_UNAVAILABLE.
import { describe, expect, it } from 'vitest';
import { TOL, createRng } from '@lossscape/numeric';
import { symEig, symEigvals, type SymEigDriver } from './index.js';
import {
  isAscending,
  matrixTrace,
  maxAbsDifference,
  orthonormalityError,
  randomSymmetric,
  residual,
  spectralRadius,
  toeplitzTridiagonal,
  uniformValues,
  withSpectrum,
} from './test-utils/matrices.js';

const drivers: SymEigDriver[] = ['dsyevd', 'dsyevr'];

describe.each(drivers)('symEigvals with %s', (driver) => {
  it.each([5, 50, 160])('recovers Q·diag·Qᵀ spectra to 1e-10 × spectral radius (n = %i)', (n) => {
    const rng = createRng(1000 + n);
    const known = withSpectrum(rng, uniformValues(rng, n, -3, 7));
    const w = symEigvals(known.matrix, n, { driver });
    expect(maxAbsDifference(w, known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(known.eigenvalues));
  });

  it('recovers a Hessian-like spectrum: wide range, a negative mode, an 11-fold cluster at 2e-5', () => {
    const rng = createRng(7);
    const values = [-0.3, ...Array.from({ length: 11 }, () => 2e-5), ...uniformValues(rng, 40, 1e-3, 12)];
    const known = withSpectrum(rng, values);
    const w = symEigvals(known.matrix, known.n, { driver });
    expect(maxAbsDifference(w, known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(known.eigenvalues));
  });

  it.each([
    [1, 2, -1],
    [97, 0.5, 3],
    [200, -1, 0.25],
  ])('matches the closed form of tridiagonal Toeplitz (n = %i, a = %d, b = %d)', (n, a, b) => {
    const known = toeplitzTridiagonal(n, a, b);
    const w = symEigvals(known.matrix, n, { driver });
    expect(maxAbsDifference(w, known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(known.eigenvalues));
  });

  it('returns ascending eigenvalues that sum to the trace', () => {
    const rng = createRng(11);
    for (const n of [2, 17, 90]) {
      const m = randomSymmetric(rng, n);
      const w = symEigvals(m, n, { driver });
      expect(w).toBeInstanceOf(Float64Array);
      expect(w.length).toBe(n);
      expect(isAscending(w)).toBe(true);
      const sum = w.reduce((s, x) => s + x, 0);
      expect(Math.abs(sum - matrixTrace(m, n))).toBeLessThanOrEqual(TOL.F64_EIGEN * n * spectralRadius(w));
    }
  });
});

describe('symEigvals edge cases', () => {
  it('n = 0 gives an empty array', () => {
    const w = symEigvals(new Float64Array(0), 0);
    expect(w).toBeInstanceOf(Float64Array);
    expect(w.length).toBe(0);
    expect(symEig(new Float64Array(0), 0, { vectors: true }).vectors.length).toBe(0);
    expect(symEigvals(new Float64Array(0), 0, { smallest: 0 }).length).toBe(0);
  });

  it('n = 1 gives the entry itself, and the eigenvector +1', () => {
    expect(Array.from(symEigvals(new Float64Array([-4.5]), 1))).toEqual([-4.5]);
    const { values, vectors } = symEig(new Float64Array([7]), 1, { vectors: true, driver: 'dsyevr' });
    expect(Array.from(values)).toEqual([7]);
    expect(Array.from(vectors)).toEqual([1]);
  });

  it('the zero matrix and a multiple of the identity have exact spectra', () => {
    expect(Array.from(symEigvals(new Float64Array(9), 3))).toEqual([0, 0, 0]);
    const n = 6;
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) m[i * n + i] = 2.5;
    expect(maxAbsDifference(symEigvals(m, n), new Float64Array(n).fill(2.5))).toBeLessThanOrEqual(TOL.F64_EIGEN * 2.5);
  });

  it('leaves the input untouched (LAPACK works on a copy)', () => {
    const m = randomSymmetric(createRng(3), 12);
    const before = Float64Array.from(m);
    symEigvals(m, 12);
    symEig(m, 12, { vectors: true, largest: 3 });
    expect(m).toEqual(before);
  });

  it('reads a matrix that is a view into a larger buffer at its offset', () => {
    const known = toeplitzTridiagonal(10, 1, 0.5);
    const buffer = new Float64Array(5 + 100 + 5).fill(Number.NaN);
    buffer.set(known.matrix, 5);
    const view = buffer.subarray(5, 105);
    expect(maxAbsDifference(symEigvals(view, 10), known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * 2);
  });

  it('averages a rounding-level asymmetry rather than reading one triangle', () => {
    const rng = createRng(21);
    const known = withSpectrum(rng, uniformValues(rng, 30, 1, 2));
    const n = known.n;
    // An antisymmetric perturbation of 1e-9 × max|a| (inside TOL.F64_SYMMETRY) moves the
    // spectrum of either triangle by ~1e-9, but leaves (A + Aᵀ)/2 unchanged.
    const perturbed = Float64Array.from(known.matrix);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const e = 1e-9 * rng.uniformIn(-2, 2);
        perturbed[i * n + j] += e;
        perturbed[j * n + i] -= e;
      }
    }
    const w = symEigvals(perturbed, n);
    expect(maxAbsDifference(w, known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(known.eigenvalues));
    // and one triangle alone would have missed: make it symmetric from the upper triangle only
    const upper = Float64Array.from(perturbed);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upper[j * n + i] = upper[i * n + j];
    expect(maxAbsDifference(symEigvals(upper, n), known.eigenvalues)).toBeGreaterThan(TOL.F64_EIGEN * spectralRadius(known.eigenvalues));
  });
});

describe.each(drivers)('symEig with eigenvectors (%s)', (driver) => {
  it.each([3, 40, 130])('A·v = λv and V·Vᵀ = I, rows are eigenvectors (n = %i)', (n) => {
    const rng = createRng(500 + n);
    const known = withSpectrum(rng, uniformValues(rng, n, -5, 5));
    const { values, vectors } = symEig(known.matrix, n, { vectors: true, driver });
    const rho = spectralRadius(values);
    expect(vectors.length).toBe(n * n);
    expect(maxAbsDifference(values, known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * rho);
    expect(residual(known.matrix, n, values, vectors)).toBeLessThanOrEqual(TOL.F64_EIGEN * rho);
    expect(orthonormalityError(vectors, n, n)).toBeLessThanOrEqual(TOL.F64_EIGEN);
  });

  it('gives the same eigenvalues as symEigvals and signs each vector by its largest entry', () => {
    const rng = createRng(77);
    const n = 25;
    const m = randomSymmetric(rng, n);
    const { values, vectors } = symEig(m, n, { vectors: true, driver });
    expect(maxAbsDifference(values, symEigvals(m, n))).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(values));
    for (let k = 0; k < n; k++) {
      const row = vectors.subarray(k * n, (k + 1) * n);
      const largest = row.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('without vectors: true returns values only', () => {
    const r = symEig(new Float64Array([2, 1, 1, 2]), 2, { driver });
    expect(r.vectors).toBeUndefined();
    expect(maxAbsDifference(r.values, [1, 3])).toBeLessThanOrEqual(TOL.F64_EIGEN * 3);
  });
});

describe('k smallest / largest (dsyevr with il, iu)', () => {
  const rng = createRng(99);
  const n = 80;
  const known = withSpectrum(rng, uniformValues(rng, n, -2, 9));
  const rho = spectralRadius(known.eigenvalues);

  it.each([1, 2, 10, 79, 80])('smallest %i agree with the full spectrum', (k) => {
    const w = symEigvals(known.matrix, n, { smallest: k });
    expect(w.length).toBe(k);
    expect(maxAbsDifference(w, known.eigenvalues.subarray(0, k))).toBeLessThanOrEqual(TOL.F64_EIGEN * rho);
  });

  it.each([1, 3, 80])('largest %i agree with the full spectrum, still ascending', (k) => {
    const w = symEigvals(known.matrix, n, { largest: k });
    expect(w.length).toBe(k);
    expect(isAscending(w)).toBe(true);
    expect(maxAbsDifference(w, known.eigenvalues.subarray(n - k))).toBeLessThanOrEqual(TOL.F64_EIGEN * rho);
  });

  it('subset eigenvectors are eigenvectors, orthonormal, and equal the full ones', () => {
    const k = 4;
    const full = symEig(known.matrix, n, { vectors: true });
    for (const options of [{ smallest: k }, { largest: k }]) {
      const part = symEig(known.matrix, n, { vectors: true, ...options });
      expect(part.vectors.length).toBe(k * n);
      expect(residual(known.matrix, n, part.values, part.vectors)).toBeLessThanOrEqual(TOL.F64_EIGEN * rho);
      expect(orthonormalityError(part.vectors, k, n)).toBeLessThanOrEqual(TOL.F64_EIGEN);
      const offset = 'smallest' in options ? 0 : n - k;
      // Distinct eigenvalues and the sign convention make the vectors themselves comparable; an
      // eigenvector is determined to (rounding × ρ) / (gap to its neighbours).
      let gap = Infinity;
      for (let i = Math.max(1, offset); i < Math.min(n, offset + k + 1); i++) gap = Math.min(gap, known.eigenvalues[i] - known.eigenvalues[i - 1]);
      expect(maxAbsDifference(part.vectors, full.vectors.subarray(offset * n, (offset + k) * n))).toBeLessThanOrEqual((TOL.F64_EIGEN * rho) / gap);
    }
  });

  it('k = 0 gives empty arrays', () => {
    expect(symEigvals(known.matrix, n, { smallest: 0 }).length).toBe(0);
    const r = symEig(known.matrix, n, { largest: 0, vectors: true });
    expect(r.values.length).toBe(0);
    expect(r.vectors.length).toBe(0);
  });
});

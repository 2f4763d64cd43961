// SPDX-License-Identifier: MIT
// Every bad input is refused at the edge with the project's error grammar, synchronously by the
// sync functions and as a rejection (never a throw) by the async ones.
import { describe, expect, it } from 'vitest';
import { LandscapeError } from '@lossscape/numeric';
import { MAX_DIMENSION, hessianSpectrum, nativeEigenSolver, stationaryPointIndex, symEig, symEigAsync, symEigvals, symEigvalsAsync } from './index.js';

const sym3 = () => new Float64Array([2, 1, 0, 1, 2, 1, 0, 1, 2]);

interface BadCase {
  readonly title: string;
  readonly args: readonly unknown[];
  readonly error: new (...args: never[]) => Error;
  readonly code?: string;
  readonly message: RegExp;
}

const cases: BadCase[] = [
  { title: 'an Array', args: [[1, 0, 0, 1], 2], error: TypeError, message: /^Expected Float64Array for matrix but received Array\(4\)$/ },
  { title: 'a Float32Array', args: [new Float32Array(4), 2], error: TypeError, message: /^Expected Float64Array for matrix but received Float32Array\(4\)$/ },
  { title: 'n a string', args: [sym3(), '3'], error: TypeError, message: /^Expected integer between 0 and 30000 for n but received '3' of type string$/ },
  { title: 'n fractional', args: [sym3(), 2.5], error: RangeError, message: /^Expected integer between 0 and 30000 for n but received 2\.5 of type number$/ },
  { title: 'n negative', args: [new Float64Array(0), -1], error: RangeError, message: /^Expected integer between 0 and 30000 for n but received -1/ },
  { title: 'n above MAX_DIMENSION', args: [new Float64Array(0), MAX_DIMENSION + 1], error: RangeError, message: /for n but received 30001 of type number$/ },
  {
    title: 'length ≠ n²',
    args: [new Float64Array(8), 3],
    error: LandscapeError,
    code: 'ERR_DIMENSION_MISMATCH',
    message: /^Expected Float64Array of length 9 \(n × n with n = 3\) for matrix but received Float64Array\(8\)$/,
  },
  {
    title: 'NaN (named by index, row and column)',
    args: [Float64Array.from([2, 1, 0, 1, 2, 1, 0, Number.NaN, 2]), 3],
    error: LandscapeError,
    code: 'ERR_NOT_FINITE',
    message: /^Expected finite values for matrix but received NaN at index 7 \(row 2, column 1\)$/,
  },
  {
    title: 'Infinity on the diagonal',
    args: [Float64Array.from([2, 1, 0, 1, -Infinity, 1, 0, 1, 2]), 3],
    error: LandscapeError,
    code: 'ERR_NOT_FINITE',
    message: /^Expected finite values for matrix but received -Infinity at index 4 \(row 1, column 1\)$/,
  },
  {
    title: 'NaN even when nothing is asked for (k = 0)',
    args: [Float64Array.from([Number.NaN, 0, 0, 1]), 2, { smallest: 0 }],
    error: LandscapeError,
    code: 'ERR_NOT_FINITE',
    message: /^Expected finite values for matrix but received NaN at index 0 \(row 0, column 0\)$/,
  },
  {
    title: 'NaN in the lower triangle, behind a finite upper entry',
    args: [Float64Array.from([1, 5, Number.POSITIVE_INFINITY, 1]), 2],
    error: LandscapeError,
    code: 'ERR_NOT_FINITE',
    message: /^Expected finite values for matrix but received Infinity at index 2 \(row 1, column 0\)$/,
  },
  {
    title: 'asymmetry (the worst pair named, with its relative size)',
    // (0,1) differs by 0.5, (1,2) by 2: the worst pair is (1,2); max|a| = 4.
    args: [Float64Array.from([1, 0.5, 0, 1, 2, 3, 0, 1, 4]), 3],
    error: LandscapeError,
    code: 'ERR_NOT_SYMMETRIC',
    message: /^Expected a symmetric matrix \(\|a\[i\]\[j\] − a\[j\]\[i\]\| ≤ 1e-8 × max\|a\|\) for matrix but received a\[1\]\[2\] = 3 and a\[2\]\[1\] = 1, a relative asymmetry of 0\.500 \(max\|a\| = 4\)$/,
  },
  {
    title: 'asymmetry just above the tolerance',
    args: [Float64Array.from([1, 1 + 3e-8, 1, 1]), 2],
    error: LandscapeError,
    code: 'ERR_NOT_SYMMETRIC',
    message: /a\[0\]\[1\] = 1\.00000003 and a\[1\]\[0\] = 1, a relative asymmetry of 3\.00e-8/,
  },
  { title: 'negative symmetryTol', args: [sym3(), 3, { symmetryTol: -1 }], error: RangeError, message: /^Expected non-negative finite number for symmetryTol but received -1/ },
  { title: 'smallest > n', args: [sym3(), 3, { smallest: 4 }], error: RangeError, message: /^Expected integer between 0 and 3 for smallest but received 4 of type number$/ },
  { title: 'largest fractional', args: [sym3(), 3, { largest: 1.5 }], error: RangeError, message: /^Expected integer between 0 and 3 for largest but received 1\.5/ },
  {
    title: 'both smallest and largest',
    args: [sym3(), 3, { smallest: 1, largest: 1 }],
    error: LandscapeError,
    code: 'ERR_INVALID_ARGUMENT',
    message: /^Expected at most one of smallest and largest for options but received smallest = 1 and largest = 1$/,
  },
  { title: 'an unknown driver', args: [sym3(), 3, { driver: 'dsyev' }], error: LandscapeError, code: 'ERR_INVALID_ARGUMENT', message: /^Expected one of 'dsyevd', 'dsyevr' for driver but received 'dsyev'/ },
  { title: 'options not an object', args: [sym3(), 3, 5], error: TypeError, message: /^Expected options object for options but received 5 of type number$/ },
];

describe.each(cases)('refuses $title', ({ args, error, code, message }) => {
  const call = args as Parameters<typeof symEig>;

  it('symEigvals and symEig throw', () => {
    for (const fn of [symEigvals, symEig] as ((...a: unknown[]) => unknown)[]) {
      let thrown: unknown;
      try {
        fn(...call);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(error);
      expect((thrown as Error).message).toMatch(message);
      if (code) expect((thrown as LandscapeError).code).toBe(code);
    }
  });

  it('symEigvalsAsync and symEigAsync reject without throwing', async () => {
    for (const fn of [symEigvalsAsync, symEigAsync] as ((...a: unknown[]) => Promise<unknown>)[]) {
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = fn(...call);
      }).not.toThrow();
      const thrown = await pending!.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(thrown).toBeInstanceOf(error);
      expect((thrown as Error).message).toMatch(message);
      if (code) expect((thrown as LandscapeError).code).toBe(code);
    }
  });
});

describe('validation at the other entry points', () => {
  it('symmetryTol relaxes the symmetry check', () => {
    const m = Float64Array.from([1, 1 + 3e-8, 1, 1]);
    expect(() => symEigvals(m, 2, { symmetryTol: 1e-7 })).not.toThrow();
  });

  it('stationaryPointIndex, hessianSpectrum and the EigenSolver validate too', () => {
    const asym = Float64Array.from([1, 2, 0, 1]);
    expect(() => stationaryPointIndex(asym, 2)).toThrow(/^Expected a symmetric matrix/);
    expect(() => hessianSpectrum(asym, 2)).toThrow(/^Expected a symmetric matrix/);
    expect(() => nativeEigenSolver.eigenvalues(asym, 2)).toThrow(/^Expected a symmetric matrix/);
    expect(() => nativeEigenSolver.lowest(sym3(), 3, 4)).toThrow(/^Expected integer between 0 and 3 for k but received 4/);
    expect(() => stationaryPointIndex(sym3(), 3, { relTol: -1 })).toThrow(/^Expected non-negative finite number for relTol but received -1/);
    expect(() => hessianSpectrum(sym3(), 3, { lppheRelTol: Number.NaN })).toThrow(/^Expected non-negative number for lppheRelTol but received NaN/);
  });

  it('the EigenSolver rejects asynchronously', async () => {
    await expect(nativeEigenSolver.eigenvaluesAsync(new Float64Array(3), 2)).rejects.toThrow(/^Expected Float64Array of length 4/);
  });
});

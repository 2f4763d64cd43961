// SPDX-License-Identifier: MIT
// The libuv path: correct under load, the event loop stays live, and the input is copied.
import { describe, expect, it } from 'vitest';
import { TOL, createRng } from '@lossscape/numeric';
import { symEig, symEigAsync, symEigvals, symEigvalsAsync } from './index.js';
import { maxAbsDifference, orthonormalityError, randomSymmetric, residual, spectralRadius, uniformValues, withSpectrum } from './test-utils/matrices.js';

describe('symEigvalsAsync', () => {
  it('resolves to the same spectrum as the sync call', async () => {
    const rng = createRng(5);
    const known = withSpectrum(rng, uniformValues(rng, 70, -1, 4));
    const w = await symEigvalsAsync(known.matrix, known.n);
    expect(w).toBeInstanceOf(Float64Array);
    expect(maxAbsDifference(w, known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(known.eigenvalues));
    expect(maxAbsDifference(w, symEigvals(known.matrix, known.n))).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(w));
  });

  it('50 calls in flight at once all resolve correctly, each to its own matrix', async () => {
    const rng = createRng(50);
    const problems = Array.from({ length: 50 }, (_, i) => withSpectrum(rng, uniformValues(rng, 20 + (i % 7) * 10, -i - 1, i + 1)));
    const results = await Promise.all(problems.map((p, i) => (i % 2 === 0 ? symEigvalsAsync(p.matrix, p.n) : symEigAsync(p.matrix, p.n, { vectors: true, smallest: 3 }).then((r) => r.values))));
    results.forEach((w, i) => {
      const p = problems[i];
      const expected = i % 2 === 0 ? p.eigenvalues : p.eigenvalues.subarray(0, 3);
      expect(w.length).toBe(expected.length);
      expect(maxAbsDifference(w, expected)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(p.eigenvalues));
    });
  });

  it('keeps the event loop live during a large call: a timer fires before it resolves', async () => {
    const n = 900; // tens of milliseconds at least, on one core
    const m = randomSymmetric(createRng(9), n);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const pending = symEigvalsAsync(m, n);
      expect(ticks).toBe(0); // nothing ran synchronously
      await pending;
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(timer);
    }
  });

  it('copies its input before returning: mutating the array right after the call changes nothing', async () => {
    const rng = createRng(13);
    const known = withSpectrum(rng, uniformValues(rng, 300, 1, 2));
    const matrix = Float64Array.from(known.matrix);
    const pending = symEigvalsAsync(matrix, known.n);
    const pendingVectors = symEigAsync(matrix, known.n, { vectors: true, largest: 2 });
    matrix.fill(1e6); // would give eigenvalues 0 and 3e8 if the worker read it
    const w = await pending;
    expect(maxAbsDifference(w, known.eigenvalues)).toBeLessThanOrEqual(TOL.F64_EIGEN * 2);
    const { values, vectors } = await pendingVectors;
    expect(maxAbsDifference(values, known.eigenvalues.subarray(known.n - 2))).toBeLessThanOrEqual(TOL.F64_EIGEN * 2);
    expect(residual(known.matrix, known.n, values, vectors)).toBeLessThanOrEqual(TOL.F64_EIGEN * 2);
  });

  it('returns eigenvectors like the sync call', async () => {
    const rng = createRng(17);
    const m = randomSymmetric(rng, 33);
    const sync = symEig(m, 33, { vectors: true });
    const async = await symEigAsync(m, 33, { vectors: true, driver: 'dsyevr' });
    expect(maxAbsDifference(async.values, sync.values)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(sync.values));
    expect(orthonormalityError(async.vectors, 33, 33)).toBeLessThanOrEqual(TOL.F64_EIGEN);
    expect(residual(m, 33, async.values, async.vectors)).toBeLessThanOrEqual(TOL.F64_EIGEN * spectralRadius(sync.values));
  });

  it('n = 0 and k = 0 resolve to empty arrays', async () => {
    expect((await symEigvalsAsync(new Float64Array(0), 0)).length).toBe(0);
    expect((await symEigvalsAsync(new Float64Array([1, 0, 0, 1]), 2, { largest: 0 })).length).toBe(0);
  });
});

// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import {
  LandscapeError,
  TOL,
  asymmetry,
  centralDifferenceGradient,
  centralDifferenceHessianVector,
  checkGradient,
  checkHessian,
  createRng,
  hessianIndex,
  lpphe,
  meanAndStd,
  requireNumberInRange,
  requirePositive,
  rms,
  rngFromState,
  type Potential,
} from './index.js';

/** Rosenbrock in n dimensions: known analytic gradient and Hessian. */
function rosenbrock(n: number): Potential {
  return {
    dimension: n,
    energy: (x) => {
      let e = 0;
      for (let i = 0; i < n - 1; i++) e += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
      return e;
    },
    energyGradient(x, g) {
      g.fill(0);
      for (let i = 0; i < n - 1; i++) {
        const d = x[i + 1] - x[i] ** 2;
        g[i] += -400 * x[i] * d - 2 * (1 - x[i]);
        g[i + 1] += 200 * d;
      }
      return this.energy(x);
    },
    hessian(x) {
      const h = new Float64Array(n * n);
      for (let i = 0; i < n - 1; i++) {
        h[i * n + i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2;
        h[(i + 1) * n + i + 1] += 200;
        h[i * n + i + 1] += -400 * x[i];
        h[(i + 1) * n + i] += -400 * x[i];
      }
      return h;
    },
  };
}

describe('errors', () => {
  it('uses the one message grammar and codes', () => {
    expect(() => requireNumberInRange('temperature', -1, 0, Infinity)).toThrow(/^Expected number between 0 and Infinity for temperature but received -1 of type number$/);
    expect(() => requirePositive('beta', 'x')).toThrow(TypeError);
    const err = new LandscapeError('boom', 'ERR_NOT_SYMMETRIC');
    expect(err.name).toBe('LandscapeError');
    expect(err.code).toBe('ERR_NOT_SYMMETRIC');
    expect(err).toBeInstanceOf(Error);
  });
});

describe('rng', () => {
  it('is reproducible from a seed and from a saved state', () => {
    const a = createRng(7);
    const b = createRng(7);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b.uniform()));
    const saved = a.state();
    const next = [a.normal(), a.int(10), a.uniformIn(-1, 1)];
    const resumed = rngFromState(saved);
    expect([resumed.normal(), resumed.int(10), resumed.uniformIn(-1, 1)]).toEqual(next);
  });
  it('gives different independent streams', () => {
    const s0 = createRng(1).stream(0);
    const s1 = createRng(1).stream(1);
    expect(s0.uniform()).not.toBe(s1.uniform());
  });
  it('draws uniforms in [0,1) with mean 1/2 and normals with unit variance', () => {
    const rng = createRng(123);
    const u = Float64Array.from({ length: 20000 }, () => rng.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(meanAndStd(u).mean).toBeCloseTo(0.5, 1);
    const z = Float64Array.from({ length: 20000 }, () => rng.normal());
    const { mean, std } = meanAndStd(z);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(std - 1)).toBeLessThan(0.05);
  });
  it('rejects a bad state', () => {
    expect(() => rngFromState([1, 2] as unknown as number[])).toThrow(/rng state/);
  });
});

describe('lpphe', () => {
  it('sums logs of positive eigenvalues and counts the rest', () => {
    const r = lpphe(new Float64Array([-1e-3, 0, 2e-5, 4]));
    expect(r.value).toBeCloseTo(Math.log(2e-5) + Math.log(4), 12);
    expect(r).toMatchObject({ positiveCount: 2, negativeCount: 1, zeroCount: 1, droppedCount: 0 });
  });
  it('drops eigenvalues under a relative threshold', () => {
    const r = lpphe([1e-12, 1, 10], { relTol: 1e-9 });
    expect(r).toMatchObject({ positiveCount: 2, droppedCount: 1 });
    expect(r.value).toBeCloseTo(Math.log(10), 12);
  });
  it('counts the index', () => {
    expect(hessianIndex([-2, -1e-14, 3], 1e-10)).toBe(1);
    expect(hessianIndex([-2, -1e-14, 3])).toBe(2);
  });
});

describe('finite differences', () => {
  const rng = createRng(99);
  const pot = rosenbrock(5);
  const x = Float64Array.from({ length: 5 }, () => rng.uniformIn(-1.5, 1.5));
  it('agree with the analytic Rosenbrock gradient and Hessian', () => {
    expect(checkGradient(pot, x).relativeError).toBeLessThan(TOL.F64_FD_DERIVATIVE);
    const h = checkHessian(pot, x);
    expect(h.relativeError).toBeLessThan(TOL.F64_FD_DERIVATIVE);
    expect(asymmetry(h.numeric, 5)).toBe(0);
  });
  it('detect a wrong gradient', () => {
    const broken: Potential = { ...pot, energyGradient: (y, g) => { pot.energyGradient(y, g); g[2] *= 1.001; return pot.energy(y); } };
    expect(checkGradient(broken, x).relativeError).toBeGreaterThan(1e-5);
  });
  it('Hessian-vector product matches H·v', () => {
    const v = Float64Array.from({ length: 5 }, () => rng.normal());
    const hv = centralDifferenceHessianVector((y, g) => pot.energyGradient(y, g), x, v);
    const h = pot.hessian!(x);
    const exact = new Float64Array(5);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) exact[i] += h[i * 5 + j] * v[j];
    const scale = Math.max(...exact.map(Math.abs));
    for (let i = 0; i < 5; i++) expect(Math.abs(hv[i] - exact[i])).toBeLessThan(TOL.F64_FD_DERIVATIVE * scale);
  });
  it('gradient of a quadratic is exact to rounding', () => {
    const g = centralDifferenceGradient((y) => 3 * y[0] * y[0] + y[1], new Float64Array([2, 5]));
    expect(g[0]).toBeCloseTo(12, 8);
    expect(g[1]).toBeCloseTo(1, 8);
    expect(rms(new Float64Array([3, 4]))).toBeCloseTo(Math.sqrt(12.5), 14);
  });
});

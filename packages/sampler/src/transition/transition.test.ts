// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOL, centralDifferenceHessianVector, createRng, matVec, maxAbs, maxAbsDiff, trace, type Potential } from '@lossscape/numeric';
import { mullerBrown, quadratic } from '../test-utils/potentials.js';
import { jacobiEigenSolver } from '../test-utils/jacobi-eigen.js';
import { hessianVectorProduct, rayleighRitz } from './eigen.js';
import { dneb } from './dneb.js';
import { followEigenvector, partitionedRfoStep, uphillStep } from './eigenvector-following.js';
import { checkIndex, findTransitionState } from './find-transition-state.js';

interface Stationary {
  label: string;
  type: string;
  x: number;
  y: number;
  V: number;
  hessian_eigenvalues: [number, number];
  connects?: [string, string];
}
const reference = JSON.parse(readFileSync(new URL('../../../../tools/reference/muller_brown.json', import.meta.url), 'utf8')) as {
  stationary_points: Stationary[];
};
const point = (label: string): Stationary => reference.stationary_points.find((p) => p.label === label)!;
const at = (label: string): Float64Array => Float64Array.of(point(label).x, point(label).y);
/** The reference lists positions and energies to 10 digits; the issue asks for agreement to 1e-6. */
const REFERENCE_AGREEMENT = 1e-6;
/** Reference eigenvalues carry 7 significant digits. */
const REFERENCE_EIGEN_DIGITS = 1e-6;

const mb = mullerBrown();
const withoutHessian: Potential = { dimension: 2, energy: (x) => mb.energy(x), energyGradient: (x, g) => mb.energyGradient(x, g) };

describe('curvature helpers', () => {
  it('the Jacobi test solver is right: ascending, summing to the trace, A·v = λ·v', () => {
    const rng = createRng(0xe16e);
    const n = 9;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const { values, vectors } = jacobiEigenSolver.lowest(a, n, n);
    expect(values.every((v, k) => k === 0 || values[k - 1] <= v)).toBe(true);
    expect(Math.abs(values.reduce((s, v) => s + v, 0) - trace(a, n))).toBeLessThan(TOL.F64_EIGEN * maxAbs(values) * n);
    for (let k = 0; k < n; k++) {
      const v = vectors.slice(k * n, (k + 1) * n);
      expect(maxAbsDiff(matVec(a, n, v), v.map((x) => x * values[k]))).toBeLessThan(TOL.F64_EIGEN * maxAbs(values));
    }
  });

  it('finite-difference H·v matches the analytic Hessian', () => {
    const rng = createRng(0x4e55);
    for (let trial = 0; trial < 5; trial++) {
      const x = Float64Array.of(rng.uniformIn(-1, 1), rng.uniformIn(0, 1.5));
      const v = Float64Array.of(rng.normal(), rng.normal());
      const out = new Float64Array(2);
      hessianVectorProduct(withoutHessian, x, v, out);
      const exact = matVec(mb.hessian!(x), 2, v);
      expect(maxAbsDiff(out, exact)).toBeLessThan(TOL.F64_FD_DERIVATIVE * maxAbs(exact));
      // …and the shared reference implementation agrees with ours.
      const shared = centralDifferenceHessianVector((y, g) => void mb.energyGradient(y, g), x, v);
      expect(maxAbsDiff(out, shared)).toBeLessThan(TOL.F64_FD_DERIVATIVE * maxAbs(exact));
    }
  });

  it('Rayleigh–Ritz finds the lowest eigenpair the dense solver finds, and the next one by deflation', () => {
    for (const label of ['MA', 'S1', 'S2']) {
      const x = at(label);
      const dense = jacobiEigenSolver.lowest(mb.hessian!(x), 2, 2);
      const rr = rayleighRitz(withoutHessian, x, { tolerance: 1e-10 });
      expect(Math.abs(rr.value - dense.values[0])).toBeLessThan(TOL.F64_FD_DERIVATIVE * maxAbs(dense.values));
      expect(Math.abs(Math.abs(rr.vector[0] * dense.vectors[0] + rr.vector[1] * dense.vectors[1]) - 1)).toBeLessThan(TOL.F64_FD_DERIVATIVE);
      const second = rayleighRitz(withoutHessian, x, { orthogonalTo: [rr.vector], tolerance: 1e-10 });
      expect(Math.abs(second.value - dense.values[1])).toBeLessThan(TOL.F64_FD_DERIVATIVE * maxAbs(dense.values));
    }
  });

  it('the uphill step is Newton along a negative mode and is capped', () => {
    expect(uphillStep(-4, 1e-6, 1)).toBeCloseTo(1e-6 / 4, 15);
    expect(uphillStep(-4, -1e-6, 1)).toBeCloseTo(-1e-6 / 4, 15);
    expect(uphillStep(3, 0.5, 0.1)).toBe(0.1);
    expect(uphillStep(3, 0, 0.1)).toBe(0);
  });

  it('the partitioned RFO step climbs one mode, descends the others, skips zero modes and tends to Newton', () => {
    const values = Float64Array.of(-2, 1e-14, 0.5, 3, -0.1);
    const f = Float64Array.of(0.3, 0.7, -0.4, 0.2, 0.05);
    const h = partitionedRfoStep(values, f, 0, 1e-9);
    expect(Math.sign(h[0])).toBe(Math.sign(f[0])); // uphill along the chosen mode
    expect(h[1]).toBe(0); // symmetry mode untouched
    for (const i of [2, 3, 4]) expect(Math.sign(h[i])).toBe(-Math.sign(f[i])); // downhill, even along λ < 0
    // The shift σ = −F_i/h_i + λ_i is one number, below every minimised eigenvalue and 0, and
    // solves σ = Σ F_i² / (σ − λ_i).
    const sigmas = [2, 3, 4].map((i) => values[i] + f[i] / h[i]);
    for (const sg of sigmas) expect(Math.abs(sg - sigmas[0])).toBeLessThan(TOL.F64 * 1e3);
    const sigma = sigmas[0];
    expect(sigma).toBeLessThan(-0.1);
    const rhs = [2, 3, 4].reduce((acc, i) => acc + (f[i] * f[i]) / (sigma - values[i]), 0);
    expect(Math.abs(sigma - rhs)).toBeLessThan(TOL.F64 * 1e3);
    // Tiny gradients: the step is Newton's, −F/λ along minimised modes, F/|λ| up the climbed one.
    const tiny = Float64Array.of(1e-9, 0, -2e-9, 3e-9, 0);
    const newton = partitionedRfoStep(Float64Array.of(-2, 1, 0.5, 3, 4), tiny, 0, 1e-9);
    expect(newton[0]).toBeCloseTo(1e-9 / 2, 15);
    expect(newton[2]).toBeCloseTo(2e-9 / 0.5, 15);
    expect(newton[3]).toBeCloseTo(-1e-9, 15);
  });

  it('checkIndex counts one negative eigenvalue at each saddle and none at a minimum, dense or not', () => {
    for (const eigenSolver of [jacobiEigenSolver, undefined]) {
      const options = eigenSolver ? { eigenSolver } : {};
      expect(checkIndex(mb, at('S1'), options).index).toBe(1);
      expect(checkIndex(mb, at('S2'), options).index).toBe(1);
      expect(checkIndex(withoutHessian, at('MB'), options).index).toBe(0);
    }
    // A maximum-like point of a quadratic with two negative directions has index 2.
    const q = quadratic(Float64Array.of(-1, 0, 0, 0, -2, 0, 0, 0, 3), Float64Array.of(0, 0, 0));
    expect(checkIndex(q, Float64Array.of(0, 0, 0), { eigenSolver: jacobiEigenSolver }).index).toBe(2);
    expect(checkIndex(q, Float64Array.of(0, 0, 0)).index).toBe(2);
    const s1 = checkIndex(mb, at('S1'), { eigenSolver: jacobiEigenSolver });
    const [neg, pos] = point('S1').hessian_eigenvalues;
    expect(Math.abs(s1.lowestEigenvalue - neg)).toBeLessThan(REFERENCE_EIGEN_DIGITS * Math.abs(neg));
    expect(s1.lpphe).toBeCloseTo(Math.log(pos), 5);
  });
});

describe('dneb', () => {
  it('relaxes the MA–MC band onto the path over S1: perpendicular force small, images evenly spaced, top image near S1', () => {
    const band = dneb(mb, at('MA'), at('MC'), { images: 12 });
    expect(band.converged).toBe(true);
    const gaps: number[] = [];
    for (let j = 1; j < band.path.length; j++) gaps.push(Math.hypot(band.path[j][0] - band.path[j - 1][0], band.path[j][1] - band.path[j - 1][1]));
    expect(Math.max(...gaps) / Math.min(...gaps)).toBeLessThan(1.5);
    expect(band.maxima).toHaveLength(1);
    const top = band.path[band.maxima[0]];
    expect(Math.hypot(top[0] - point('S1').x, top[1] - point('S1').y)).toBeLessThan(0.1);
    // The band stops at RMS band gradient 1e-3 × (energy range / length): the true force left
    // perpendicular to the path is that small against the largest force along it.
    const g = new Float64Array(2);
    const perpendicular: number[] = [];
    let largest = 0;
    for (let j = 1; j < band.path.length - 1; j++) {
      mb.energyGradient(band.path[j], g);
      const t = band.tangents[j - 1];
      const along = g[0] * t[0] + g[1] * t[1];
      perpendicular.push(Math.hypot(g[0] - along * t[0], g[1] - along * t[1]));
      largest = Math.max(largest, Math.hypot(g[0], g[1]));
    }
    expect(Math.max(...perpendicular)).toBeLessThan(1e-3 * largest);
    // Straight interpolation, before relaxing, is far off the path.
    const straight = dneb(mb, at('MA'), at('MC'), { images: 12, maxIterations: 0 });
    expect(straight.converged).toBe(false);
  });

  it('with a climbing image, the top image itself approaches S1', () => {
    const band = dneb(mb, at('MA'), at('MC'), { images: 12, climbingImage: true, maxIterations: 2000 });
    const top = band.path[band.maxima[0]];
    expect(Math.hypot(top[0] - point('S1').x, top[1] - point('S1').y)).toBeLessThan(1e-3);
  });
});

describe('findTransitionState on Müller–Brown', () => {
  for (const [name, options] of [
    ['dense eigenvectors (injected solver)', { eigenSolver: jacobiEigenSolver }],
    ['Rayleigh–Ritz with finite-difference H·v', {}],
  ] as const) {
    it(`finds S1 and S2 between MA and MB, connecting the right minima (${name})`, () => {
      const potential = 'eigenSolver' in options ? mb : withoutHessian;
      const result = findTransitionState(potential, at('MA'), at('MB'), options);
      expect(result.transitionStates.map((t) => t.check.index)).toEqual([1, 1]);
      const [s1, s2] = result.transitionStates;
      for (const [found, label] of [[s1, 'S1'], [s2, 'S2']] as const) {
        const ref = point(label);
        expect(Math.abs(found.energy - ref.V)).toBeLessThan(REFERENCE_AGREEMENT);
        expect(Math.abs(found.coordinates[0] - ref.x)).toBeLessThan(REFERENCE_AGREEMENT);
        expect(Math.abs(found.coordinates[1] - ref.y)).toBeLessThan(REFERENCE_AGREEMENT);
        expect(found.rmsGradient).toBeLessThanOrEqual(TOL.RMS_GRADIENT_CONVERGED);
        expect(Math.abs(found.eigenvalue - ref.hessian_eigenvalues[0])).toBeLessThan(REFERENCE_EIGEN_DIGITS * Math.abs(ref.hessian_eigenvalues[0]));
        const ends = [found.minus, found.plus].map((m) => {
          expect(m.converged).toBe(true);
          return reference.stationary_points.find((p) => p.type === 'minimum' && Math.hypot(m.x[0] - p.x, m.x[1] - p.y) < REFERENCE_AGREEMENT)?.label;
        });
        expect(ends.sort()).toEqual([...ref.connects!].sort());
      }
      expect(s1.check.method).toBe('eigenSolver' in options ? 'dense' : 'rayleigh-ritz');
      if (!('eigenSolver' in options)) expect(s1.lpphe).toBeNaN();
    });
  }

  it('puts B in register with A through the potential’s align before interpolating', () => {
    const calls: Array<[number, number]> = [];
    const aligned: Potential = {
      ...mb,
      energy: (x) => mb.energy(x),
      energyGradient: (x, g) => mb.energyGradient(x, g),
      hessian: (x) => mb.hessian!(x),
      // A pretend symmetry: B arrives shifted by a lattice vector and align undoes it.
      align: (a, b) => {
        calls.push([a[0], b[0]]);
        return Float64Array.of(b[0] - 10, b[1]);
      },
    };
    const shifted = Float64Array.of(point('MC').x + 10, point('MC').y);
    const result = findTransitionState(aligned, at('MA'), shifted, { eigenSolver: jacobiEigenSolver });
    expect(calls).toHaveLength(1);
    expect(result.end[0]).toBeCloseTo(point('MC').x, 12);
    expect(Math.abs(result.transitionStates[0].energy - point('S1').V)).toBeLessThan(REFERENCE_AGREEMENT);
  });

  it('refines a rough guess near S2 by eigenvector following alone', () => {
    const r = followEigenvector(mb, Float64Array.of(0.15, 0.35), { eigenSolver: jacobiEigenSolver });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.energy - point('S2').V)).toBeLessThan(REFERENCE_AGREEMENT);
    const rr = followEigenvector(withoutHessian, Float64Array.of(0.15, 0.35));
    expect(rr.converged).toBe(true);
    expect(rr.method).toBe('rayleigh-ritz');
    expect(Math.abs(rr.energy - point('S2').V)).toBeLessThan(REFERENCE_AGREEMENT);
  });

  it('rejects bad arguments with the one message grammar', () => {
    expect(() => findTransitionState(mb, Float64Array.of(0), at('MB'))).toThrow(/^Expected Float64Array of length 2 for minimumA but received Float64Array\(1\)/);
    expect(() => findTransitionState(mb, at('MA'), at('MB'), { pushOff: -1 })).toThrow(/^Expected positive finite number for pushOff but received -1/);
    expect(() => findTransitionState(mb, at('MA'), Float64Array.of(NaN, 0))).toThrow(/^Expected finite values for minimumB/);
  });
});

// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { TOL, checkGradient, checkHessian, createRng, distance, rms, type Potential } from '@lossscape/numeric';
import { lbfgs, LBFGS_DEFAULTS } from './lbfgs.js';
import {
  MULLER_BROWN,
  diagonalQuadratic,
  lennardJones,
  mullerBrown,
  quadratic,
  randomCluster,
  rosenbrock,
} from '../test-utils/potentials.js';

/** Reference stationary points of Müller–Brown carry 10 significant digits. */
const MB_REFERENCE = 1e-9;

/** Wraps a potential to record every point it is evaluated at. */
function recording(p: Potential): { potential: Potential; points: Float64Array[] } {
  const points: Float64Array[] = [];
  return {
    points,
    potential: {
      dimension: p.dimension,
      energy: (x) => p.energy(x),
      energyGradient: (x, g) => {
        points.push(Float64Array.from(x));
        return p.energyGradient(x, g);
      },
    },
  };
}

/** Random symmetric positive-definite matrix with eigenvalues spread over [1, cond]. */
function randomSpd(n: number, cond: number, seed: number): Float64Array {
  const rng = createRng(seed);
  // A = Qᵀ D Q with Q from Gram–Schmidt on a random matrix.
  const q: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    for (const u of q) {
      let d = 0;
      for (let k = 0; k < n; k++) d += u[k] * v[k];
      for (let k = 0; k < n; k++) v[k] -= d * u[k];
    }
    const len = Math.sqrt(v.reduce((s, a) => s + a * a, 0));
    q.push(v.map((a) => a / len));
  }
  const a = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lambda = cond ** (k / (n - 1));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += lambda * q[k][i] * q[k][j];
  }
  return a;
}

describe('test surfaces', () => {
  const rng = createRng(11);
  it('have analytic gradients that match central differences', () => {
    const cases: Array<[string, Potential, Float64Array]> = [
      ['Müller–Brown', mullerBrown(), Float64Array.of(-0.3, 0.9)],
      ['Rosenbrock 10-D', rosenbrock(10), Float64Array.from({ length: 10 }, () => rng.uniformIn(-1.5, 1.5))],
      ['quadratic', quadratic(randomSpd(5, 50, 3), Float64Array.of(1, 2, 3, 4, 5)), Float64Array.of(0.1, -0.3, 2, 0, 1)],
      // Atoms 0 and 1 sit outside the container so its penalty is exercised too.
      ['LJ3 in a container', lennardJones(3, { containerRadius: 1 }), Float64Array.of(1.3, 0, 0, -0.2, 1.1, 0.3, 0, 0, 0.2)],
    ];
    for (const [name, p, x] of cases) {
      expect(checkGradient(p, x).relativeError, name).toBeLessThan(TOL.F64_FD_DERIVATIVE);
    }
  });

  it('Müller–Brown: Hessian matches central differences and the reference value at the origin', () => {
    const mb = mullerBrown();
    expect(checkHessian(mb, Float64Array.of(0.2, 0.3)).relativeError).toBeLessThan(TOL.F64_FD_DERIVATIVE);
    expect(mb.energy(Float64Array.of(0, 0))).toBeCloseTo(MULLER_BROWN.checkValue.energy, 10);
  });
});

describe('lbfgs', () => {
  it('converges on an ill-conditioned quadratic to RMS ≤ 1e-10 and to its exact solution', () => {
    const n = 20;
    const cond = 1e3;
    const a = randomSpd(n, cond, 7);
    const centre = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const result = lbfgs(quadratic(a, centre), new Float64Array(n));
    expect(result.converged).toBe(true);
    expect(result.message).toBe('converged');
    expect(result.rmsGradient).toBeLessThanOrEqual(TOL.RMS_GRADIENT_CONVERGED);
    // ‖x − c‖ ≤ ‖g‖ / λ_min with λ_min = 1: the direct solution of A x = A c.
    expect(distance(result.x, centre)).toBeLessThanOrEqual(result.rmsGradient * Math.sqrt(n) * (1 + TOL.F64));
    expect(result.energy).toBeLessThan(1e-18);
  });

  it('returns the gradient it converged on and counts evaluations', () => {
    const { potential, points } = recording(diagonalQuadratic([1, 10, 100]));
    const result = lbfgs(potential, Float64Array.of(1, 1, 1));
    expect(result.evaluations).toBe(points.length);
    const g = new Float64Array(3);
    const e = potential.energyGradient(result.x, g);
    expect(e).toBe(result.energy);
    expect(Array.from(g)).toEqual(Array.from(result.gradient));
    expect(rms(g)).toBe(result.rmsGradient);
  });

  it.each([
    ['2-D', 2, [-1.2, 1]],
    // The chained 10-D function also has a local minimum near x₁ = −1 (reached from the
    // alternating start −1.2, 1, …); all −1.2 leads to the global one.
    ['10-D', 10, new Array(10).fill(-1.2)],
  ])('converges on the %s Rosenbrock function to RMS ≤ 1e-10', (_name, n, start) => {
    const result = lbfgs(rosenbrock(n), Float64Array.from(start));
    expect(result.converged).toBe(true);
    expect(result.rmsGradient).toBeLessThanOrEqual(TOL.RMS_GRADIENT_CONVERGED);
    // The Hessian at (1,…,1) has smallest eigenvalue ≳ 0.4 (n ≤ 10): ‖x − 1‖ ≤ ‖g‖/0.39.
    const ones = new Float64Array(n).fill(1);
    expect(distance(result.x, ones)).toBeLessThan((result.rmsGradient * Math.sqrt(n)) / 0.39 + TOL.F64);
  });

  it.each(MULLER_BROWN.minima.map((m) => [m.label, m] as const))(
    'finds Müller–Brown minimum %s from starts in its basin',
    (_label, m) => {
      const rng = createRng(42);
      for (let trial = 0; trial < 5; trial++) {
        const x0 = Float64Array.of(m.x + rng.uniformIn(-0.08, 0.08), m.y + rng.uniformIn(-0.08, 0.08));
        const result = lbfgs(mullerBrown(), x0);
        expect(result.converged).toBe(true);
        expect(result.rmsGradient).toBeLessThanOrEqual(TOL.RMS_GRADIENT_CONVERGED);
        expect(Math.abs(result.x[0] - m.x)).toBeLessThan(MB_REFERENCE);
        expect(Math.abs(result.x[1] - m.y)).toBeLessThan(MB_REFERENCE);
        expect(Math.abs(result.energy - m.energy)).toBeLessThan(MB_REFERENCE * Math.abs(m.energy));
      }
    },
  );

  it('never evaluates farther than maxStep from a point it already visited', () => {
    const maxStep = 0.05;
    const { potential, points } = recording(mullerBrown());
    const result = lbfgs(potential, Float64Array.of(0.5, 1.5), { maxStep });
    expect(result.converged).toBe(true);
    for (let k = 1; k < points.length; k++) {
      let nearest = Infinity;
      for (let j = 0; j < k; j++) nearest = Math.min(nearest, distance(points[k], points[j]));
      expect(nearest).toBeLessThanOrEqual(maxStep * (1 + TOL.F64));
    }
  });

  it('ends no higher than it started from random starts on Müller–Brown (steps that raise E are rejected)', () => {
    const rng = createRng(5);
    const mb = mullerBrown();
    for (let trial = 0; trial < 40; trial++) {
      const x0 = Float64Array.of(rng.uniformIn(-1.5, 1.2), rng.uniformIn(-0.4, 2));
      const result = lbfgs(mb, x0, { maxEnergyRise: 0 });
      expect(result.energy).toBeLessThanOrEqual(mb.energy(x0));
      expect(Number.isFinite(result.energy)).toBe(true);
    }
  });

  it('after maxStepReductions halvings drops its memory and tries a DGUESS steepest-descent step', () => {
    // A gentle slope into a stiff wall at x = −1: the curvature learnt on the slope (1/h0 = 0.02)
    // sends the memory step deep into the wall, where every halving is rejected.
    const wall: Potential = {
      dimension: 1,
      energy: (x) => wall.energyGradient(x, new Float64Array(1)),
      energyGradient: (x, g) => {
        const t = x[0] + 2;
        const w = x[0] < -1 ? x[0] + 1 : 0;
        g[0] = 0.02 * t + 2e6 * w;
        return 0.01 * t * t + 1e6 * w * w;
      },
    };
    const { potential, points } = recording(wall);
    const reductions = LBFGS_DEFAULTS.maxStepReductions;
    const result = lbfgs(potential, Float64Array.of(-0.9995), { maxStep: 10 });
    expect(Number.isFinite(result.energy)).toBe(true);
    const p = points.map((x) => x[0]);
    const g = new Float64Array(1);
    let found = false;
    for (let j = reductions + 2; j < p.length && !found; j++) {
      const base = p[j - reductions - 2];
      const trials = p.slice(j - reductions - 1, j);
      const halving = trials.every((t, k) => k === 0 || Math.abs(t - base - (trials[k - 1] - base) / 2) <= TOL.F64 * Math.abs(trials[0] - base));
      wall.energyGradient(Float64Array.of(base), g);
      const steepest = base - LBFGS_DEFAULTS.initialInverseHessian * g[0];
      found = halving && Math.abs(p[j] - steepest) <= TOL.F64;
    }
    expect(found).toBe(true);
  });

  it('works with memory 1 and with a large memory', () => {
    for (const memory of [1, 30]) {
      const result = lbfgs(rosenbrock(4), Float64Array.of(-1, 1, -1, 1), { memory });
      expect(result.converged, `memory ${memory}`).toBe(true);
    }
  });

  it('relaxes a random LJ7 cluster inside its container', () => {
    const rng = createRng(3);
    const lj = lennardJones(7, { containerRadius: 2 });
    const result = lbfgs(lj, randomCluster(7, () => rng.uniform()));
    expect(result.converged).toBe(true);
    expect(result.energy).toBeLessThan(-15);
  });

  it('stops at maxIterations without claiming convergence', () => {
    const result = lbfgs(rosenbrock(2), Float64Array.of(-1.2, 1), { maxIterations: 5 });
    expect(result).toMatchObject({ converged: false, message: 'max-iterations', iterations: 5 });
  });

  it('reports non-finite energies instead of returning NaN', () => {
    // E = −x for x ≤ 1 and NaN beyond: every step towards lower energy eventually hits NaN.
    const cliff: Potential = {
      dimension: 1,
      energy: (x) => (x[0] <= 1 ? -x[0] : NaN),
      energyGradient: (x, g) => {
        g[0] = x[0] <= 1 ? -1 : NaN;
        return x[0] <= 1 ? -x[0] : NaN;
      },
    };
    const result = lbfgs(cliff, Float64Array.of(0));
    expect(result.converged).toBe(false);
    expect(result.message).toMatch(/^non-finite/);
    expect(Number.isFinite(result.energy)).toBe(true);
    expect(result.x[0]).toBeLessThanOrEqual(1);
    expect(result.x[0]).toBeGreaterThan(0.9);

    const start = lbfgs(cliff, Float64Array.of(2));
    expect(start.converged).toBe(false);
    expect(start.message).toMatch(/^non-finite/);
    expect(Number.isNaN(start.energy)).toBe(false);
    expect(Number.isNaN(start.rmsGradient)).toBe(false);
  });

  it('stops when its signal is aborted', () => {
    const controller = new AbortController();
    controller.abort();
    const early = lbfgs(rosenbrock(2), Float64Array.of(-1.2, 1), { signal: controller.signal });
    expect(early).toMatchObject({ converged: false, message: 'aborted', iterations: 0 });

    const later = new AbortController();
    let calls = 0;
    const inner = rosenbrock(2);
    const aborting: Potential = {
      dimension: 2,
      energy: (x) => inner.energy(x),
      energyGradient: (x, g) => {
        if (++calls === 6) later.abort();
        return inner.energyGradient(x, g);
      },
    };
    const mid = lbfgs(aborting, Float64Array.of(-1.2, 1), { signal: later.signal });
    expect(mid.message).toBe('aborted');
    expect(mid.iterations).toBeLessThan(6);
  });

  it('validates its arguments at the edge', () => {
    const p = rosenbrock(2);
    expect(() => lbfgs(p, Float64Array.of(1, 2, 3))).toThrow(
      expect.objectContaining({ code: 'ERR_DIMENSION_MISMATCH', message: expect.stringMatching(/^Expected Float64Array of length 2 for x0/) }),
    );
    expect(() => lbfgs(p, Float64Array.of(1, NaN))).toThrow(expect.objectContaining({ code: 'ERR_NOT_FINITE' }));
    expect(() => lbfgs(p, [1, 2] as unknown as Float64Array)).toThrow(TypeError);
    expect(() => lbfgs(p, Float64Array.of(1, 2), { memory: 0 })).toThrow(/^Expected integer between 1 and 1000 for memory but received 0/);
    expect(() => lbfgs(p, Float64Array.of(1, 2), { maxStep: -1 })).toThrow(RangeError);
    expect(() => lbfgs({} as Potential, Float64Array.of(1, 2))).toThrow(/^Expected a Potential with energyGradient\(\) for potential/);
  });

  it('has GMIN defaults', () => {
    expect(LBFGS_DEFAULTS).toMatchObject({ memory: 4, gradientTolerance: TOL.RMS_GRADIENT_CONVERGED });
  });
});

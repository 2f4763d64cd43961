// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { TOL, asymmetry, checkGradient, checkHessian, createRng, distance } from '@lossscape/numeric';
import { lbfgs } from '../optimize/lbfgs.js';
import { LJ7_MINIMA } from '../test-utils/potentials.js';
import { latticeStart, lennardJonesCluster } from './lennard-jones.js';

/** A cluster with every pair at least 0.9 apart, some atoms beyond the container wall. */
function randomCluster(atoms: number, seed: number, spread: number): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(3 * atoms);
  for (let i = 0; i < atoms; i++) {
    for (;;) {
      for (let k = 0; k < 3; k++) x[3 * i + k] = rng.uniformIn(-spread, spread);
      let ok = true;
      for (let j = 0; j < i; j++) if (Math.hypot(x[3 * i] - x[3 * j], x[3 * i + 1] - x[3 * j + 1], x[3 * i + 2] - x[3 * j + 2]) < 0.9) ok = false;
      if (ok) break;
    }
  }
  return x;
}

describe('lennardJonesCluster', () => {
  it('has the dimer minimum −1 at r = 2^(1/6), and quenches of LJ7 end at its four known minima', () => {
    const dimer = lennardJonesCluster({ atoms: 2 });
    expect(dimer.energy(Float64Array.of(0, 0, 0, 2 ** (1 / 6), 0, 0))).toBeCloseTo(-1, 14);
    const lj7 = lennardJonesCluster({ atoms: 7, containerRadius: 2 });
    for (let s = 0; s < 6; s++) {
      const q = lbfgs(lj7, latticeStart(7, s), { gradientTolerance: 1e-10 });
      expect(q.converged).toBe(true);
      expect(Math.min(...LJ7_MINIMA.map((e) => Math.abs(e - q.energy)))).toBeLessThan(1e-5);
    }
  });

  it('gradient and Hessian match central differences, inside and beyond the container wall', () => {
    for (const [seed, spread] of [
      [1, 1.2],
      [2, 2.4],
      [3, 3.5],
    ] as const) {
      const p = lennardJonesCluster({ atoms: 6, containerRadius: 2, containerStiffness: 50 });
      const x = randomCluster(6, seed, spread);
      expect(checkGradient(p, x).relativeError).toBeLessThan(TOL.F64_FD_DERIVATIVE);
      expect(checkHessian(p, x).relativeError).toBeLessThan(TOL.F64_FD_DERIVATIVE);
      expect(asymmetry(p.hessian!(x), p.dimension)).toBeLessThan(TOL.F64);
    }
  });

  it('validates its arguments', () => {
    expect(() => lennardJonesCluster({ atoms: 1 })).toThrow(RangeError);
    expect(() => lennardJonesCluster({ atoms: 3, containerRadius: -1 })).toThrow(RangeError);
    expect(() => lennardJonesCluster(null as never)).toThrow(/^Expected \{ atoms, containerRadius\? \} for args/);
  });
});

describe('latticeStart', () => {
  it('is deterministic per seed, centred, and free of overlaps', () => {
    const a = latticeStart(13, 4);
    expect(Array.from(latticeStart(13, 4))).toEqual(Array.from(a));
    expect(distance(latticeStart(13, 5), a)).toBeGreaterThan(0);
    for (let i = 0; i < 13; i++) for (let j = 0; j < i; j++) expect(Math.hypot(a[3 * i] - a[3 * j], a[3 * i + 1] - a[3 * j + 1], a[3 * i + 2] - a[3 * j + 2])).toBeGreaterThan(0.95);
  });
});


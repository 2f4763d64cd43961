// SPDX-License-Identifier: MIT
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOL, asymmetry, checkGradient, checkHessian, createRng, distance } from '@lossscape/numeric';
import type { MinimumRecord } from '@lossscape/landscape';
import { lbfgs } from '@lossscape/sampler';
import { createHessianEvaluator, createLatticeStart, createLennardJonesCluster, latticeStart } from './factories.js';
import { BUILTIN_MODULES, loadFactory, resolveModule } from './modules.js';

// Under vitest the sources are TypeScript: address this file's sibling by its .ts path.
const here = fileURLToPath(new URL('./factories.ts', import.meta.url));

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

const record = (x: Float64Array): MinimumRecord => ({ id: 1, energy: 0, coordinates: x, rmsGradient: 0, hits: 1, firstStep: 0, chain: 0, properties: {} });

describe('createLennardJonesCluster', () => {
  it('has the dimer minimum −1 at r = 2^(1/6), and quenches of LJ7 end at its four known minima', () => {
    const dimer = createLennardJonesCluster({ atoms: 2 });
    expect(dimer.energy(Float64Array.of(0, 0, 0, 2 ** (1 / 6), 0, 0))).toBeCloseTo(-1, 14);
    // The four LJ7 minima (Cambridge Cluster Database; ../tools/reference/lj7.json), 6 decimals.
    const known = [-16.505384, -15.935043, -15.593211, -15.53306];
    const lj7 = createLennardJonesCluster({ atoms: 7, containerRadius: 2 });
    for (let s = 0; s < 6; s++) {
      const q = lbfgs(lj7, latticeStart(7, s), { gradientTolerance: 1e-10 });
      expect(q.converged).toBe(true);
      expect(Math.min(...known.map((e) => Math.abs(e - q.energy)))).toBeLessThan(1e-5);
    }
  });

  it('gradient and Hessian match central differences, inside and beyond the container wall', () => {
    for (const [seed, spread] of [
      [1, 1.2],
      [2, 2.4],
      [3, 3.5],
    ] as const) {
      const p = createLennardJonesCluster({ atoms: 6, containerRadius: 2, containerStiffness: 50 });
      const x = randomCluster(6, seed, spread);
      expect(checkGradient(p, x).relativeError).toBeLessThan(TOL.F64_FD_DERIVATIVE);
      expect(checkHessian(p, x).relativeError).toBeLessThan(TOL.F64_FD_DERIVATIVE);
      expect(asymmetry(p.hessian!(x), p.dimension)).toBeLessThan(TOL.F64);
    }
  });

  it('validates its arguments', () => {
    expect(() => createLennardJonesCluster({ atoms: 1 })).toThrow(RangeError);
    expect(() => createLennardJonesCluster({ atoms: 3, containerRadius: -1 })).toThrow(RangeError);
    expect(() => createLennardJonesCluster(null as never)).toThrow(/^Expected \{ atoms, containerRadius\? \} for args/);
  });
});

describe('latticeStart', () => {
  it('is deterministic per seed, centred, and free of overlaps', () => {
    const a = latticeStart(13, 4);
    expect(Array.from(latticeStart(13, 4))).toEqual(Array.from(a));
    expect(distance(latticeStart(13, 5), a)).toBeGreaterThan(0);
    for (let i = 0; i < 13; i++) for (let j = 0; j < i; j++) expect(Math.hypot(a[3 * i] - a[3 * j], a[3 * i + 1] - a[3 * j + 1], a[3 * i + 2] - a[3 * j + 2])).toBeGreaterThan(0.95);
    expect(Array.from(createLatticeStart({ atoms: 13, seed: 1, chain: 3 }))).toEqual(Array.from(latticeStart(13, 4)));
  });
});

describe('createHessianEvaluator', () => {
  const ref = { module: here, exportName: 'createLennardJonesCluster', args: { atoms: 7, containerRadius: 2 } };

  it('reports a minimum as index 0 with the six zero modes left out of LPPHE', async () => {
    const evaluate = await createHessianEvaluator({ potential: ref });
    const p = createLennardJonesCluster(ref.args);
    const min = lbfgs(p, latticeStart(7, 0), { gradientTolerance: 1e-10 });
    const props = await evaluate(record(min.x));
    expect(props.index).toBe(0);
    expect(props.positiveCount).toBe(3 * 7 - 6);
    expect(props.flag).toBeUndefined();
    expect(props.smallestEigenvalue! / props.largestEigenvalue!).toBeGreaterThan(-TOL.F64_HESSIAN_INDEX);
    expect(Number.isFinite(props.lpphe)).toBe(true);
  });

  it('flags a point with negative curvature', async () => {
    // A dimer stretched beyond the inflection point of 4(r⁻¹² − r⁻⁶), r = (26/7)^(1/6) ≈ 1.244.
    const evaluate = await createHessianEvaluator({ potential: { ...ref, args: { atoms: 2 } } });
    const props = await evaluate(record(Float64Array.of(0, 0, 0, 1.5, 0, 0)));
    expect(props.index).toBe(1);
    expect(props.flag).toMatch(/^negative eigenvalue -/);
  });

  it('gives the same spectrum from central differences of the gradient (the fallback without a Hessian)', async () => {
    const p = createLennardJonesCluster(ref.args);
    const min = lbfgs(p, latticeStart(7, 1), { gradientTolerance: 1e-10 });
    const analytic = await (await createHessianEvaluator({ potential: ref }))(record(min.x));
    const numeric = await (await createHessianEvaluator({ potential: ref, finiteDifferences: true }))(record(min.x));
    expect(numeric.index).toBe(analytic.index);
    expect(numeric.positiveCount).toBe(analytic.positiveCount);
    expect(Math.abs(numeric.largestEigenvalue! - analytic.largestEigenvalue!)).toBeLessThan(TOL.F64_FD_DERIVATIVE * analytic.largestEigenvalue!);
    expect(Math.abs(numeric.lpphe! - analytic.lpphe!)).toBeLessThan(TOL.F64_FD_DERIVATIVE * analytic.positiveCount! * 100);
  });
});

describe('factory modules', () => {
  it('resolves lossscape: names next to the module and refuses unknown ones', () => {
    expect(resolveModule('lossscape:factories')).toBe(BUILTIN_MODULES.factories.href);
    expect(resolveModule('/abs/path/f.mjs')).toBe('file:///abs/path/f.mjs');
    expect(resolveModule('@scope/pkg')).toBe('@scope/pkg');
    expect(() => resolveModule('lossscape:nope')).toThrow(/^Expected one of lossscape:factories, .* for a built-in factory module but received lossscape:nope/);
  });

  it('reports an unimportable module or a missing export with ERR_WORKER', async () => {
    await expect(loadFactory({ module: '/nonexistent/f.mjs', exportName: 'x' }, 'potential')).rejects.toMatchObject({
      code: 'ERR_WORKER',
      message: expect.stringMatching(/^Expected an importable module for the potential factory but received \/nonexistent\/f.mjs/),
    });
    await expect(loadFactory({ module: here, exportName: 'nothing' }, 'potential')).rejects.toMatchObject({
      code: 'ERR_WORKER',
      message: expect.stringMatching(/^Expected a function export 'nothing'/),
    });
  });
});

// SPDX-License-Identifier: MIT
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOL } from '@lossscape/numeric';
import type { MinimumRecord } from '@lossscape/landscape';
import { latticeStart, lbfgs, lennardJonesCluster } from '@lossscape/sampler';
import { createHessianEvaluator, createLatticeStart, createLennardJonesCluster } from './factories.js';
import { BUILTIN_MODULES, loadFactory, resolveModule } from './modules.js';

// Under vitest the sources are TypeScript: address this file's sibling by its .ts path.
const here = fileURLToPath(new URL('./factories.ts', import.meta.url));

const record = (x: Float64Array): MinimumRecord => ({ id: 1, energy: 0, coordinates: x, rmsGradient: 0, hits: 1, firstStep: 0, chain: 0, properties: {} });

describe('createLennardJonesCluster and createLatticeStart', () => {
  it('are the sampler\'s cluster and lattice start, addressable from a spec file', () => {
    const x = latticeStart(7, 2);
    expect(createLennardJonesCluster({ atoms: 7, containerRadius: 2 }).energy(x)).toBe(lennardJonesCluster({ atoms: 7, containerRadius: 2 }).energy(x));
    expect(Array.from(createLatticeStart({ atoms: 13, seed: 1, chain: 3 }))).toEqual(Array.from(latticeStart(13, 4)));
    expect(() => createLatticeStart({ atoms: 13, seed: 1.5, chain: 0 })).toThrow(RangeError);
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

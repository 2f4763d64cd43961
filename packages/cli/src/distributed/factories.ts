// SPDX-License-Identifier: MIT
/**
 * Factories that a distributed worker imports by module and export name (functions cannot travel
 * through the job queue): a Lennard-Jones cluster — a cheap potential to try a cluster setup,
 * benchmark it and test it without any data — and a Hessian-spectrum evaluator for any
 * potential built by a factory. A run spec names them as `lossscape:factories`.
 *
 * ```json
 * { "potential": { "module": "lossscape:factories", "exportName": "createLennardJonesCluster", "args": { "atoms": 13, "containerRadius": 3 } },
 *   "evaluator": { "module": "lossscape:factories", "exportName": "createHessianEvaluator",
 *                  "args": { "potential": { "module": "lossscape:factories", "exportName": "createLennardJonesCluster", "args": { "atoms": 13, "containerRadius": 3 } } } } }
 * ```
 */
import { TOL, centralDifferenceHessian, expectedMessage, requireInteger, type Potential } from '@lossscape/numeric';
import { latticeStart, lennardJonesCluster, type LennardJonesOptions } from '@lossscape/sampler';
import { hessianSpectrumAsync } from '@lossscape/hessian-native';
import type { MinimumProperties, MinimumRecord } from '@lossscape/landscape';
import { loadFactory, type FactoryRef } from './modules.js';

/** The sampler's Lennard-Jones cluster, as a factory a spec file can name. */
export function createLennardJonesCluster(args: LennardJonesOptions): Potential {
  return lennardJonesCluster(args);
}

export { latticeStart };

/** Start factory for spec files (`"starts": { "chains": 4, "module": "lossscape:factories", "exportName": "createLatticeStart", "args": { "atoms": 13, "seed": 1 } }`). */
export function createLatticeStart(args: { atoms: number; seed: number; chain: number }): Float64Array {
  return latticeStart(args.atoms, requireInteger('args.seed', args.seed) + requireInteger('args.chain', args.chain, 0));
}

export interface HessianEvaluatorArgs {
  /** The run's potential (the same factory as the spec's `potential`). */
  readonly potential: FactoryRef;
  /**
   * Eigenvalues with |λ| ≤ this × spectral radius are left out of LPPHE (zero modes, e.g. a
   * cluster's translations and rotations). Default TOL.F64_ZERO_MODE.
   */
  readonly lppheRelTol?: number;
  /** Use central differences of the gradient even when the potential has an analytic Hessian. */
  readonly finiteDifferences?: boolean;
}

/**
 * Per-minimum properties from the Hessian spectrum (LAPACK via hessian-native, on a libuv
 * thread): LPPHE with its counts, index, extreme eigenvalues, and a flag when the point is not a
 * minimum. Uses `potential.hessian` when present, else central differences of the gradient
 * (symmetrised). Cost O(n³) per minimum for the eigenvalues.
 */
export async function createHessianEvaluator(args: HessianEvaluatorArgs): Promise<(minimum: MinimumRecord) => Promise<MinimumProperties>> {
  if (args === null || typeof args !== 'object') throw new TypeError(expectedMessage('{ potential, lppheRelTol? }', 'args', args));
  const potential = (await loadFactory(args.potential, 'evaluator potential')) as Potential;
  const lppheRelTol = args.lppheRelTol ?? TOL.F64_ZERO_MODE;
  return async (minimum) => {
    const n = potential.dimension;
    let h: Float64Array;
    if (potential.hessian && !args.finiteDifferences) h = potential.hessian(minimum.coordinates);
    else {
      h = centralDifferenceHessian((y, out) => void potential.energyGradient(y, out), minimum.coordinates);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const mean = 0.5 * (h[i * n + j] + h[j * n + i]);
          h[i * n + j] = mean;
          h[j * n + i] = mean;
        }
      }
    }
    const spectrum = await hessianSpectrumAsync(h, n, { lppheRelTol });
    const w = spectrum.eigenvalues;
    const properties: MinimumProperties = {
      lpphe: spectrum.lpphe.value,
      positiveCount: spectrum.lpphe.positiveCount,
      negativeCount: spectrum.lpphe.negativeCount,
      droppedCount: spectrum.lpphe.droppedCount,
      index: spectrum.index,
      smallestEigenvalue: w[0],
      largestEigenvalue: w[w.length - 1],
    };
    return spectrum.index > 0 ? { ...properties, flag: `negative eigenvalue ${w[0]}` } : properties;
  };
}

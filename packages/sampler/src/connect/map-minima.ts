// SPDX-License-Identifier: MIT
/**
 * Mapping minima between landscapes (the study's appAUC minima quenched in the CE landscape):
 * each source minimum is minimised under the target potential, and the minimum reached is
 * recorded with the symmetry-aligned distance travelled and the L-BFGS steps taken, plus its id
 * when a target store holds it (or receives it).
 *
 * ```ts
 * const mapped = await mapMinima(await aucStore.minima(), cePotential, { store: ceStore });
 * mapped.filter((m) => m.targetId !== undefined).length; // appAUC minima that fall into known CE minima
 * ```
 * Cost: one quench per source minimum, plus a scan of the target store's energy window.
 */
import { TOL, expectedMessage, requireFloat64Array, type Potential } from '@lossscape/numeric';
import type { DuplicateTest, LandscapeStore, MinimumRecord } from '@lossscape/landscape';
import { lbfgs, type LbfgsOptions } from '../optimize/lbfgs.js';
import { minimumDistance } from './connect.js';

export interface SourceMinimum {
  readonly id?: number;
  readonly energy?: number;
  readonly coordinates: Float64Array;
}

export interface MapMinimaOptions {
  /** Target store to look the reached minima up in. */
  readonly store?: LandscapeStore;
  /** Add reached minima that the store lacks (chain −1). Default false: look up only. */
  readonly addToStore?: boolean;
  /** Identity of minima in the target landscape. Default: TOL.DUPLICATE_ENERGY and targetPotential.sameMinimum. */
  readonly duplicateTest?: DuplicateTest;
  /** Quench options (gradient tolerance default 1e-10). */
  readonly minimize?: LbfgsOptions;
  readonly signal?: AbortSignal;
}

export interface MappedMinimum {
  readonly sourceId?: number;
  /** Energy of the source minimum under its own potential, when given. */
  readonly sourceEnergy?: number;
  /** Energy of the source point under the target potential, before quenching. */
  readonly startEnergy: number;
  readonly energy: number;
  readonly coordinates: Float64Array;
  readonly rmsGradient: number;
  readonly converged: boolean;
  /** L-BFGS iterations of the quench. */
  readonly steps: number;
  /** Symmetry-aligned distance from the source point to the minimum reached (targetPotential.alignedDistance, else Euclidean). */
  readonly distance: number;
  /** Id in the target store, when stored (or added). */
  readonly targetId?: number;
  /** True when `addToStore` added it. */
  readonly isNew?: boolean;
}

function lookup(minima: readonly MinimumRecord[], energy: number, x: Float64Array, test: DuplicateTest): number | undefined {
  const window = test.energyTolerance * Math.max(1, Math.abs(energy));
  let best: number | undefined;
  let bestGap = Infinity;
  for (const m of minima) {
    const gap = Math.abs(m.energy - energy);
    if (gap <= window && gap < bestGap && (!test.same || test.same(m.coordinates, x))) {
      best = m.id;
      bestGap = gap;
    }
  }
  return best;
}

/** Quenches every source minimum under `targetPotential`. Rejects on invalid arguments. */
export async function mapMinima(
  sourceMinima: readonly SourceMinimum[],
  targetPotential: Potential,
  options: MapMinimaOptions = {},
): Promise<MappedMinimum[]> {
  if (!Array.isArray(sourceMinima)) throw new TypeError(expectedMessage('array of minima', 'sourceMinima', sourceMinima));
  if (targetPotential === null || typeof targetPotential !== 'object' || typeof targetPotential.energyGradient !== 'function') {
    throw new TypeError(expectedMessage('a Potential with energyGradient()', 'targetPotential', targetPotential));
  }
  sourceMinima.forEach((m, i) => requireFloat64Array(`sourceMinima[${i}].coordinates`, m?.coordinates, targetPotential.dimension));
  const test: DuplicateTest =
    options.duplicateTest ??
    (targetPotential.sameMinimum
      ? { energyTolerance: TOL.DUPLICATE_ENERGY, same: (a, b) => targetPotential.sameMinimum!(a, b) }
      : { energyTolerance: TOL.DUPLICATE_ENERGY });
  let stored = options.store && !options.addToStore ? await options.store.minima() : [];
  const out: MappedMinimum[] = [];
  for (const source of sourceMinima) {
    if (options.signal?.aborted) break;
    const startEnergy = targetPotential.energy(source.coordinates);
    const q = lbfgs(targetPotential, source.coordinates, { ...options.minimize, ...(options.signal ? { signal: options.signal } : {}) });
    let targetId: number | undefined;
    let isNew: boolean | undefined;
    if (options.store && q.converged) {
      if (options.addToStore) {
        const added = await options.store.addMinimum({ energy: q.energy, coordinates: q.x, rmsGradient: q.rmsGradient, step: 0, chain: -1 }, test);
        targetId = added.minimum.id;
        isNew = added.isNew;
      } else {
        if (stored.length === 0) stored = await options.store.minima();
        targetId = lookup(stored, q.energy, q.x, test);
      }
    }
    out.push({
      ...(source.id !== undefined ? { sourceId: source.id } : {}),
      ...(source.energy !== undefined ? { sourceEnergy: source.energy } : {}),
      startEnergy,
      energy: q.energy,
      coordinates: q.x,
      rmsGradient: q.rmsGradient,
      converged: q.converged,
      steps: q.iterations,
      distance: minimumDistance(targetPotential, source.coordinates, q.x),
      ...(targetId !== undefined ? { targetId } : {}),
      ...(isNew !== undefined ? { isNew } : {}),
    });
  }
  return out;
}

// SPDX-License-Identifier: MIT
/**
 * The sigmoid minima quenched in the CE landscape (@lossscape/sampler's mapMinima), seed by
 * seed: the CE value at each sigmoid minimum, the CE minimum it falls into (its id in the CE
 * database of the same seed, when stored there), the aligned distance travelled and the L-BFGS
 * steps. Results are stored in each sigmoid minimum's `extra` properties ("ceMap.*"), so a
 * rebuilt report maps only minima it has not mapped yet — or whose CE minimum was not known and
 * the CE database has grown since.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openSqliteStore, type MinimumRecord } from '@lossscape/landscape';
import { mapMinima } from '@lossscape/sampler';
import { UsageError } from '../errors.js';
import { prepareRunFromManifest } from '../engine/run.js';
import { createRunPotential } from '../engine/potential-factory.js';
import { MAPPING_PREFIX } from './analysis.js';
import type { LandscapeEntry } from './manifest.js';

export interface MappingProgress {
  readonly seed: number;
  readonly done: number;
  readonly total: number;
}

export interface MapSigmoidOptions {
  /** Sigmoid minima per seed, lowest ids (earliest found) first. */
  readonly cap: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: MappingProgress) => void;
  /** Minima quenched per batch between event-loop turns (default 8). */
  readonly batch?: number;
}

const key = (k: string) => `${MAPPING_PREFIX}${k}`;

/** True when `m` needs (re-)mapping against a CE database that now holds `ceMinima` minima. */
export function needsMapping(m: MinimumRecord, ceLandscape: string, ceMinima: number): boolean {
  const x = m.properties.extra;
  if (!x || x[key('energy')] === undefined || x[key('landscape')] !== ceLandscape) return true;
  const target = x[key('targetId')];
  return !(typeof target === 'number' && target > 0) && x[key('converged')] === 1 && Number(x[key('ceMinima')]) < ceMinima;
}

/** Maps the sigmoid minima of every seed that has both a sigmoid and a CE main landscape. Returns how many were (re)mapped. */
export async function mapSigmoidIntoCe(dir: string, entries: readonly LandscapeEntry[], options: MapSigmoidOptions): Promise<number> {
  let mapped = 0;
  const batch = Math.max(1, options.batch ?? 8);
  const main = entries.filter((e) => e.spec.group === 'main');
  for (const sig of main.filter((e) => e.spec.loss === 'sigmoid')) {
    const ce = main.find((e) => e.spec.loss === 'ce' && e.spec.seed === sig.spec.seed);
    if (!ce) continue;
    const sigPath = path.join(dir, sig.db);
    const cePath = path.join(dir, ce.db);
    if (!existsSync(sigPath) || !existsSync(cePath)) continue;
    const ceStore = await openSqliteStore(cePath, { readonly: true });
    const sigStore = await openSqliteStore(sigPath);
    try {
      const manifest = await ceStore.getManifest();
      if (!manifest) throw new UsageError(`Expected a run manifest in ${cePath} but received none`);
      const run = prepareRunFromManifest(manifest, cePath);
      const potential = createRunPotential(run.potentialArgs);
      const ceMinima = await ceStore.minimumCount();
      const minima = (await sigStore.minima()).filter((m) => m.properties.flag === undefined).slice(0, options.cap);
      const todo = minima.filter((m) => needsMapping(m, ce.spec.id, ceMinima));
      const s = run.config.sampler;
      for (let i = 0; i < todo.length; i += batch) {
        if (options.signal?.aborted) return mapped;
        const chunk = todo.slice(i, i + batch);
        const results = await mapMinima(chunk, potential, {
          store: ceStore,
          duplicateTest: { energyTolerance: run.config.duplicates.energyTolerance, same: (a, b) => potential.sameMinimum(a, b) },
          minimize: { memory: s.lbfgsMemory, maxIterations: s.maxIterations, gradientTolerance: s.gradientTolerance },
          ...(options.signal ? { signal: options.signal } : {}),
        });
        for (const r of results) {
          const source = chunk.find((m) => m.id === r.sourceId)!;
          await sigStore.updateMinimumProperties(source.id, {
            extra: {
              ...source.properties.extra,
              [key('landscape')]: ce.spec.id,
              [key('startEnergy')]: r.startEnergy,
              [key('energy')]: r.energy,
              [key('converged')]: r.converged ? 1 : 0,
              [key('targetId')]: r.targetId ?? -1,
              [key('distance')]: r.distance,
              [key('steps')]: r.steps,
              [key('ceMinima')]: ceMinima,
            },
          });
          mapped++;
        }
        options.onProgress?.({ seed: sig.spec.seed, done: Math.min(i + batch, todo.length), total: todo.length });
        // Let signals (Ctrl-C) and output through between batches: each quench runs synchronously.
        await nextTurn();
      }
    } finally {
      await sigStore.close();
      await ceStore.close();
    }
  }
  return mapped;
}

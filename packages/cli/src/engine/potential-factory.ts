// SPDX-License-Identifier: MIT
/**
 * The loss potential of a run, built from plain JSON so that a worker thread can build the same
 * one (functions cannot cross threads): `runChains` addresses it as
 * `{ module: <this file>, exportName: 'createRunPotential', args }`.
 */
import { recreateDataset, type DatasetDescription, type PreparedDataset } from '@lossscape/data';
import { createLossPotential, type LossPotential, type LossSpec, type ModelSpec } from '@lossscape/tensor-core';
import { createPool, type ParallelPool } from '@lossscape/parallel';

export interface RunPotentialArgs {
  readonly dataset: DatasetDescription;
  /** Where the data file is now, if it moved since the run began (checked by sha256). */
  readonly datasetPath?: string;
  readonly model: ModelSpec;
  readonly loss: LossSpec;
  readonly l2: number;
  /** Aligned weight distance under which two minima are the same. */
  readonly distanceTolerance: number;
  /**
   * Threads for the O(N⁺N⁻) pair sums of sigmoid/tanh (planThreads' kernelThreads). Results are
   * bitwise the same for any value; above 1 a pool is started once per thread that builds a
   * potential (idle workers do not keep the process alive).
   */
  readonly kernelThreads?: number;
}

let pool: ParallelPool | undefined;
function kernelPool(threads: number): ParallelPool | undefined {
  if (threads <= 1) return undefined;
  pool ??= createPool({ threads });
  return pool;
}

// One worker builds its potential once; the same process may ask again (in-process chains).
const cache = new Map<string, PreparedDataset>();

export function runDataset(args: Pick<RunPotentialArgs, 'dataset' | 'datasetPath'>): PreparedDataset {
  const key = JSON.stringify([args.dataset.fingerprints, args.datasetPath ?? null]);
  let prepared = cache.get(key);
  if (!prepared) {
    prepared = recreateDataset(args.dataset, args.datasetPath ? { path: args.datasetPath } : {});
    cache.set(key, prepared);
  }
  return prepared;
}

export function createRunPotential(args: RunPotentialArgs): LossPotential {
  const { train } = runDataset(args);
  return createLossPotential({
    model: args.model,
    data: { features: train.features, labels: train.labels },
    loss: args.loss,
    l2: args.l2,
    duplicateDistance: args.distanceTolerance,
    pool: kernelPool(args.kernelThreads ?? 1),
  });
}

/** The module URL of this file in dist (what a worker imports). */
export const RUN_POTENTIAL_MODULE = new URL('./potential-factory.js', import.meta.url);

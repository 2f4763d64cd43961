// SPDX-License-Identifier: MIT
/** A run's progress as its database records it, whatever ran it (one process, threads or workers). */
import type { LandscapeStore } from '@lossscape/landscape';
import { chainCheckpointKey, type ChainCheckpoint } from '@lossscape/sampler';

/** Each chain's checkpoint (undefined for a chain that has not started). */
export async function chainCheckpoints(store: LandscapeStore, chains: number): Promise<Array<ChainCheckpoint | undefined>> {
  return Promise.all(Array.from({ length: chains }, (_, k) => store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(k))));
}

/**
 * Quenches done by all chains: the sum of their checkpoints' steps. (The discovery curve counts
 * a chain's own steps when chains run as separate jobs, so it is not used for this.)
 */
export async function totalQuenches(store: LandscapeStore, chains: number): Promise<number> {
  return (await chainCheckpoints(store, chains)).reduce((sum, cp) => sum + (cp?.step ?? 0), 0);
}

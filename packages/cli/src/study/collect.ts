// SPDX-License-Identifier: MIT
/**
 * Reading a study folder: each landscape's database (read-only, so a report can be built while
 * a session is still running) and its quench log.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openSqliteStore } from '@lossscape/landscape';
import { chainCheckpointKey, type ChainCheckpoint } from '@lossscape/sampler';
import { CALIBRATION_KEY, CONNECT_KEY } from '../engine/explore.js';
import type { LandscapeData } from './analysis.js';
import type { LandscapeEntry } from './manifest.js';
import { readQuenchLog } from './runner.js';

/** The landscape's data, or undefined when its database does not exist yet. */
export async function readLandscape(dir: string, entry: LandscapeEntry): Promise<LandscapeData | undefined> {
  const dbPath = path.join(dir, entry.db);
  if (!existsSync(dbPath)) return undefined;
  const store = await openSqliteStore(dbPath, { readonly: true });
  try {
    const [minima, transitionStates, discovery, manifest, checkpoint, calibration, connect] = await Promise.all([
      store.minima(),
      store.transitionStates(),
      store.discoveryCurve(),
      store.getManifest(),
      store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(0)),
      store.loadCheckpoint<NonNullable<LandscapeData['calibration']>>(CALIBRATION_KEY),
      store.loadCheckpoint<{ attempts: number }>(CONNECT_KEY),
    ]);
    return {
      spec: entry.spec,
      minima,
      transitionStates,
      discovery,
      quenchLog: readQuenchLog(path.join(dir, entry.log)),
      quenches: checkpoint?.step ?? 0,
      ...(manifest ? { manifest } : {}),
      ...(calibration ? { calibration } : {}),
      ...(connect ? { connectionAttempts: connect.attempts } : {}),
    };
  } finally {
    await store.close();
  }
}

export async function readStudyData(dir: string, entries: readonly LandscapeEntry[]): Promise<LandscapeData[]> {
  const out: LandscapeData[] = [];
  for (const e of entries) {
    const d = await readLandscape(dir, e);
    if (d) out.push(d);
  }
  return out;
}

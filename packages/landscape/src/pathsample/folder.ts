// SPDX-License-Identifier: MIT
/**
 * A landscape store exported to, and imported from, a PATHSAMPLE folder: `min.data`, `ts.data`,
 * `points.min`, `points.ts`, plus `lossscape.json`, a side file PATHSAMPLE ignores that carries
 * what its formats cannot (weight-vector length, RMS gradients, hits, per-minimum properties,
 * negative eigenvalues, the run manifest), so that export followed by import gives back the
 * same database.
 *
 * ```ts
 * await exportPathsample(store, 'runs/spiral/pathsample');
 * const copy = createMemoryStore();
 * await importPathsample('runs/spiral/pathsample', copy);
 * ```
 * Cost: O(records × dimension) time; files are written whole (memory for one file at a time).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LandscapeError, expectedMessage, requireInteger } from '@lossscape/numeric';
import type { MinimumProperties, RunManifest } from '../records.js';
import type { DuplicateTest, LandscapeStore } from '../store.js';
import { decodePoints, encodePoints, formatMinData, formatTsData, parseMinData, parseTsData } from './format.js';

export const SIDE_FILE = 'lossscape.json';
const SIDE_FORMAT = 'lossscape-pathsample';
const SIDE_VERSION = 1;

interface SideFile {
  readonly format: string;
  readonly version: number;
  readonly dimension: number;
  readonly minima: ReadonlyArray<{
    readonly rmsGradient: number;
    readonly hits: number;
    readonly firstStep: number;
    readonly chain: number;
    readonly properties: MinimumProperties;
  }>;
  readonly transitionStates: ReadonlyArray<{ readonly rmsGradient: number; readonly negativeEigenvalue: number }>;
  readonly manifest?: RunManifest;
}

export interface ExportResult {
  readonly minima: number;
  readonly transitionStates: number;
  readonly dimension: number;
  /** Paths written. */
  readonly files: readonly string[];
}

export interface ImportOptions {
  /** Weight-vector length; needed only when the folder has no lossscape.json. */
  readonly dimension?: number;
}

export interface ImportResult {
  readonly minima: number;
  readonly transitionStates: number;
  /** Store id of each min.data line (index 0 = line 1). */
  readonly minimumIds: readonly number[];
}

// JSON has no NaN or Infinity; properties may hold them (e.g. an LPPHE not yet computed).
const replacer = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) ? { $float: String(value) } : value;
const reviver = (_key: string, value: unknown): unknown =>
  value !== null && typeof value === 'object' && Object.keys(value).length === 1 && '$float' in value
    ? Number((value as { $float: string }).$float)
    : value;

/** Writes the four PATHSAMPLE files and the side file into `folder` (created if missing). */
export async function exportPathsample(store: LandscapeStore, folder: string): Promise<ExportResult> {
  if (typeof folder !== 'string' || folder === '') throw new TypeError(expectedMessage('folder path', 'folder', folder));
  const [minima, transitionStates, manifest] = await Promise.all([store.minima(), store.transitionStates(), store.getManifest()]);
  const dimension = minima.length > 0 ? minima[0].coordinates.length : transitionStates.length > 0 ? transitionStates[0].coordinates.length : 0;
  // min.data line numbers are the minimum ids when they are dense (as stores make them).
  const line = new Map<number, number>();
  minima.forEach((m, i) => line.set(m.id, i + 1));
  const lineOf = (id: number, ts: number): number => {
    const l = line.get(id);
    if (l === undefined) throw new LandscapeError(`Expected a stored minimum for transition state ${ts} but received minimum id ${id}`, 'ERR_DATABASE');
    return l;
  };
  const moments = [1, 1, 1] as const;
  const minData = formatMinData(minima.map((m) => ({ energy: m.energy, fvib: m.properties.lpphe ?? NaN, pointGroupOrder: 1, moments })));
  const tsData = formatTsData(
    transitionStates.map((t) => ({
      energy: t.energy,
      fvib: t.lpphe,
      pointGroupOrder: 1,
      minimum1: lineOf(t.minimum1, t.id),
      minimum2: lineOf(t.minimum2, t.id),
      moments,
    })),
  );
  const side: SideFile = {
    format: SIDE_FORMAT,
    version: SIDE_VERSION,
    dimension,
    minima: minima.map((m) => ({ rmsGradient: m.rmsGradient, hits: m.hits, firstStep: m.firstStep, chain: m.chain, properties: m.properties })),
    transitionStates: transitionStates.map((t) => ({ rmsGradient: t.rmsGradient, negativeEigenvalue: t.negativeEigenvalue })),
    ...(manifest ? { manifest } : {}),
  };
  await mkdir(folder, { recursive: true });
  const files: Array<[string, string | Uint8Array]> = [
    ['min.data', minData],
    ['ts.data', tsData],
    ['points.min', encodePoints(minima.map((m) => m.coordinates), dimension)],
    ['points.ts', encodePoints(transitionStates.map((t) => t.coordinates), dimension)],
    [SIDE_FILE, JSON.stringify(side, replacer, 1) + '\n'],
  ];
  for (const [name, data] of files) await writeFile(join(folder, name), data);
  return { minima: minima.length, transitionStates: transitionStates.length, dimension, files: files.map(([name]) => join(folder, name)) };
}

async function readText(folder: string, name: string): Promise<string | undefined> {
  try {
    return await readFile(join(folder, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function readRequired(folder: string, name: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(join(folder, name)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LandscapeError(`Expected a file ${name} in ${folder} but received none`, 'ERR_FILE_NOT_FOUND', { cause: err });
    }
    throw err;
  }
}

function sameArray(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * Adds every minimum and transition state of a PATHSAMPLE folder to `store`, in file order and
 * without duplicate merging (the files are taken as a database, not as new candidates). Into an
 * empty store the ids equal the line numbers. Without lossscape.json, RMS gradients and negative
 * eigenvalues are NaN, hits 1, and `dimension` must be given.
 */
export async function importPathsample(folder: string, store: LandscapeStore, options: ImportOptions = {}): Promise<ImportResult> {
  if (typeof folder !== 'string' || folder === '') throw new TypeError(expectedMessage('folder path', 'folder', folder));
  const sideText = await readText(folder, SIDE_FILE);
  let side: SideFile | undefined;
  if (sideText !== undefined) {
    side = JSON.parse(sideText, reviver) as SideFile;
    if (side.format !== SIDE_FORMAT || side.version !== SIDE_VERSION) {
      throw new LandscapeError(expectedMessage(`${SIDE_FORMAT} version ${SIDE_VERSION}`, `${SIDE_FILE} in ${folder}`, `${side.format} version ${side.version}`), 'ERR_SCHEMA_VERSION');
    }
  }
  const dimension = requireInteger('dimension', options.dimension ?? side?.dimension, 0);
  const minText = await readText(folder, 'min.data');
  if (minText === undefined) throw new LandscapeError(`Expected a file min.data in ${folder} but received none`, 'ERR_FILE_NOT_FOUND');
  const minRows = parseMinData(minText, join(folder, 'min.data'));
  const tsRows = parseTsData((await readText(folder, 'ts.data')) ?? '', minRows.length, join(folder, 'ts.data'));
  const minPoints = decodePoints(await readRequired(folder, 'points.min'), dimension, minRows.length, join(folder, 'points.min'));
  const tsPoints = tsRows.length > 0 ? decodePoints(await readRequired(folder, 'points.ts'), dimension, tsRows.length, join(folder, 'points.ts')) : [];
  if (side && (side.minima.length !== minRows.length || side.transitionStates.length !== tsRows.length)) {
    throw new LandscapeError(
      expectedMessage(`${minRows.length} minima and ${tsRows.length} transition states`, `${SIDE_FILE} in ${folder}`, `${side.minima.length} and ${side.transitionStates.length}`),
      'ERR_FILE_FORMAT',
    );
  }

  // Never merge: every line is its own record.
  const distinct: DuplicateTest = { energyTolerance: 0, same: () => false };
  const minimumIds: number[] = [];
  for (let j = 0; j < minRows.length; j++) {
    const extra = side?.minima[j];
    const coordinates = minPoints[j];
    const { minimum } = await store.addMinimum(
      { energy: minRows[j].energy, coordinates, rmsGradient: extra?.rmsGradient ?? NaN, step: extra?.firstStep ?? 0, chain: extra?.chain ?? -1 },
      distinct,
    );
    minimumIds.push(minimum.id);
    const properties: MinimumProperties = { ...(extra?.properties ?? {}) };
    if (!Number.isNaN(minRows[j].fvib)) Object.assign(properties, { lpphe: minRows[j].fvib });
    if (Object.keys(properties).length > 0) await store.updateMinimumProperties(minimum.id, properties);
    // Hits are restored the only way the store interface allows: by offering the same point again.
    const again: DuplicateTest = { energyTolerance: 0, same: (a, b) => sameArray(a, b) };
    for (let h = 1; h < (extra?.hits ?? 1); h++) {
      await store.addMinimum({ energy: minRows[j].energy, coordinates, rmsGradient: extra!.rmsGradient, step: extra!.firstStep, chain: extra!.chain }, again);
    }
  }
  for (let j = 0; j < tsRows.length; j++) {
    const t = tsRows[j];
    await store.addTransitionState(
      {
        energy: t.energy,
        coordinates: tsPoints[j],
        rmsGradient: side?.transitionStates[j].rmsGradient ?? NaN,
        negativeEigenvalue: side?.transitionStates[j].negativeEigenvalue ?? NaN,
        lpphe: t.fvib,
        minimum1: minimumIds[t.minimum1 - 1],
        minimum2: minimumIds[t.minimum2 - 1],
      },
      distinct,
    );
  }
  if (side?.manifest && (await store.getManifest()) === undefined) await store.setManifest(side.manifest);
  return { minima: minRows.length, transitionStates: tsRows.length, minimumIds };
}

// SPDX-License-Identifier: MIT
import { mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '@lossscape/numeric';
import { createMemoryStore } from '../database/memory-store.js';
import { openSqliteStore } from '../database/sqlite-store.js';
import type { LandscapeStore } from '../store.js';
import { exportPathsample, importPathsample } from './folder.js';
import { parseMinData, parseTsData } from './format.js';

const folders: string[] = [];
async function tempFolder(): Promise<string> {
  const f = await mkdtemp(join(tmpdir(), 'lossscape-pathsample-'));
  folders.push(f);
  return f;
}
afterEach(async () => {
  for (const f of folders.splice(0)) await rm(f, { recursive: true, force: true });
});

/** A small database with every field set: 6 minima (dimension 7, so padding is exercised), 4 TS. */
async function fill(store: LandscapeStore): Promise<void> {
  const rng = createRng(0x5a11);
  const distinct = { energyTolerance: 0, same: () => false };
  for (let i = 0; i < 6; i++) {
    const coordinates = Float64Array.from({ length: 7 }, () => rng.normal());
    const { minimum } = await store.addMinimum({ energy: -1 - i * 0.37 + rng.normal() * 1e-3, coordinates, rmsGradient: 1e-11 * (i + 1), step: 10 * i, chain: i % 2 }, distinct);
    await store.updateMinimumProperties(minimum.id, { lpphe: -119.5 + i, testAuc: 0.8 + i / 100, index: 0, flag: i === 2 ? 'checked' : undefined, extra: { 'ce.quenchedTo': i } } as never);
    // A few extra hits on some minima.
    for (let h = 0; h < i % 3; h++) await store.addMinimum({ energy: minimum.energy, coordinates, rmsGradient: 1e-11, step: 99, chain: 0 }, { energyTolerance: 0 });
  }
  const pairs: Array<[number, number]> = [[1, 2], [2, 3], [1, 4], [5, 5]];
  for (const [a, b] of pairs) {
    await store.addTransitionState(
      { energy: rng.normal(), coordinates: Float64Array.from({ length: 7 }, () => rng.normal()), rmsGradient: 3e-11, negativeEigenvalue: -rng.uniform(), lpphe: rng.normal() * 10, minimum1: a, minimum2: b },
      distinct,
    );
  }
  await store.setManifest({ schemaVersion: 1, createdAt: '2026-01-01T00:00:00Z', name: 'hand', config: { loss: 'sigmoid' }, seeds: [1], packageVersions: {}, backends: {} });
}

async function snapshot(store: LandscapeStore) {
  return { minima: await store.minima(), transitionStates: await store.transitionStates(), manifest: await store.getManifest() };
}

describe('exportPathsample / importPathsample', () => {
  it('a database exported and imported back is identical (memory and SQLite stores)', async () => {
    const original = createMemoryStore();
    await fill(original);
    const folder = await tempFolder();
    const written = await exportPathsample(original, folder);
    expect(written).toMatchObject({ minima: 6, transitionStates: 4, dimension: 7 });
    for (const target of [createMemoryStore(), await openSqliteStore(join(folder, 'copy.sqlite'))]) {
      const result = await importPathsample(folder, target);
      expect(result.minimumIds).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await snapshot(target)).toEqual(await snapshot(original));
      await target.close();
    }
  });

  it('writes files that satisfy the column definitions, with 1-based min1/min2 and padded points', async () => {
    const store = createMemoryStore();
    await fill(store);
    const folder = await tempFolder();
    await exportPathsample(store, folder);
    const minData = parseMinData(await readFile(join(folder, 'min.data'), 'utf8'));
    const tsData = parseTsData(await readFile(join(folder, 'ts.data'), 'utf8'), minData.length);
    const minima = await store.minima();
    expect(minData.map((r) => r.energy)).toEqual(minima.map((m) => m.energy));
    expect(minData.map((r) => r.fvib)).toEqual(minima.map((m) => m.properties.lpphe));
    expect(minData.every((r) => r.pointGroupOrder === 1 && r.moments.every((m) => m === 1))).toBe(true);
    expect(tsData.map((r) => [r.minimum1, r.minimum2])).toEqual([[1, 2], [2, 3], [1, 4], [5, 5]]);
    // 7 weights padded to 9 float64 per record.
    expect((await readFile(join(folder, 'points.min'))).byteLength).toBe(6 * 9 * 8);
    expect((await readFile(join(folder, 'points.ts'))).byteLength).toBe(4 * 9 * 8);
  });

  it('imports a bare PATHSAMPLE folder (no side file) when told the dimension', async () => {
    const store = createMemoryStore();
    await fill(store);
    const folder = await tempFolder();
    await exportPathsample(store, folder);
    await unlink(join(folder, 'lossscape.json'));
    await expect(importPathsample(folder, createMemoryStore())).rejects.toThrow(/^Expected integer between 0 and .* for dimension but received undefined/);
    const bare = createMemoryStore();
    await importPathsample(folder, bare, { dimension: 7 });
    const [a, b] = [await store.minima(), await bare.minima()];
    expect(b.map((m) => [m.energy, [...m.coordinates], m.properties.lpphe, m.hits])).toEqual(a.map((m) => [m.energy, [...m.coordinates], m.properties.lpphe, 1]));
    const ts = await bare.transitionStates();
    expect(ts.every((t) => Number.isNaN(t.negativeEigenvalue))).toBe(true);
    expect(ts.map((t) => t.lpphe)).toEqual((await store.transitionStates()).map((t) => t.lpphe));
  });

  it('exports an empty database and a database without transition states', async () => {
    const empty = await tempFolder();
    await exportPathsample(createMemoryStore(), empty);
    expect(await readFile(join(empty, 'min.data'), 'utf8')).toBe('');
    const back = createMemoryStore();
    await importPathsample(empty, back);
    expect(await back.minimumCount()).toBe(0);
  });

  it('names the missing file', async () => {
    const folder = await tempFolder();
    await expect(importPathsample(folder, createMemoryStore(), { dimension: 3 })).rejects.toThrow(/^Expected a file min\.data in .* but received none/);
  });
});

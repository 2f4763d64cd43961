// SPDX-License-Identifier: MIT
// One behavioural contract, run against every LandscapeStore implementation (STYLE R7).
// PostgreSQL joins when LOSSSCAPE_TEST_PG holds a connection string (each test gets a fresh
// schema, dropped afterwards); without it those tests are reported as skipped. .ci/run starts a
// server and sets LOSSSCAPE_TEST_PG, so CI always runs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOL, createRng, distance } from '@lossscape/numeric';
import type { RunManifest } from '../records.js';
import type { DuplicateTest, LandscapeStore, MinimumCandidate } from '../store.js';
import { createMemoryStore } from './memory-store.js';
import { openSqliteStore } from './sqlite-store.js';
import { openPostgresStore } from './postgres-store.js';
import { dropTestSchemas, testSchemaName } from './test-utils/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'lossscape-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;

const implementations: Array<{ name: string; open: () => Promise<LandscapeStore> }> = [
  { name: 'memory', open: async () => createMemoryStore() },
  { name: 'sqlite file', open: () => openSqliteStore(join(dir, `contract-${++fileCounter}.sqlite`)) },
  { name: 'sqlite :memory:', open: () => openSqliteStore(':memory:') },
];
const pgUrl = process.env.LOSSSCAPE_TEST_PG;
const pgSchemas: string[] = [];
if (pgUrl) {
  implementations.push({ name: 'postgres', open: () => openPostgresStore(pgUrl, { schema: testSchemaName('contract', pgSchemas) }) });
  afterAll(() => dropTestSchemas(pgUrl, pgSchemas));
}
if (!pgUrl) {
  describe('LandscapeStore contract: postgres', () => {
    it.skip('needs LOSSSCAPE_TEST_PG (a postgres:// URL); .ci/run sets it', () => undefined);
  });
}

const energyOnly: DuplicateTest = { energyTolerance: TOL.DUPLICATE_ENERGY };
const byDistance: DuplicateTest = { energyTolerance: TOL.DUPLICATE_ENERGY, same: (a, b) => distance(a, b) < TOL.DUPLICATE_DISTANCE };

function candidate(energy: number, coordinates: number[], extra: Partial<MinimumCandidate> = {}): MinimumCandidate {
  return { energy, coordinates: Float64Array.from(coordinates), rmsGradient: 1e-11, step: 0, chain: 0, ...extra };
}

const manifest: RunManifest = {
  schemaVersion: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  name: 'contract',
  config: { loss: 'sigmoid', beta: 40, lambda: 1e-5 },
  seeds: [1, 2],
  packageVersions: { '@lossscape/landscape': '0.1.0' },
  backends: { eigen: 'lapack', threads: 1 },
};

describe.each(implementations)('LandscapeStore contract: $name', ({ open }) => {
  let store: LandscapeStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('starts empty', async () => {
    expect(await store.minimumCount()).toBe(0);
    expect(await store.minima()).toEqual([]);
    expect(await store.getMinimum(1)).toBeUndefined();
    expect(await store.transitionStateCount()).toBe(0);
    expect(await store.transitionStates()).toEqual([]);
    expect(await store.failedConnections()).toEqual([]);
    expect(await store.discoveryCurve()).toEqual([]);
    expect(await store.getManifest()).toBeUndefined();
    expect(await store.loadCheckpoint('chain/0')).toBeUndefined();
  });

  it('stores a new minimum with dense ids and copies coordinates in and out', async () => {
    const c = candidate(-2.5, [0.25, -1, 3], { step: 7, chain: 2, rmsGradient: 3e-11 });
    const first = await store.addMinimum(c, energyOnly);
    expect(first.isNew).toBe(true);
    expect(first.minimum).toMatchObject({ id: 1, energy: -2.5, rmsGradient: 3e-11, hits: 1, firstStep: 7, chain: 2, properties: {} });
    expect(Array.from(first.minimum.coordinates)).toEqual([0.25, -1, 3]);
    c.coordinates[0] = 99;
    first.minimum.coordinates[1] = 99;
    const again = await store.getMinimum(1);
    expect(Array.from(again!.coordinates)).toEqual([0.25, -1, 3]);
    const second = await store.addMinimum(candidate(-1, [1, 2, 3]), energyOnly);
    expect(second.minimum.id).toBe(2);
    expect((await store.minima()).map((m) => m.id)).toEqual([1, 2]);
    expect(await store.minimumCount()).toBe(2);
  });

  it('counts hits on energy-only duplicates inside the relative window and keeps the first record', async () => {
    const e = -16.505384;
    await store.addMinimum(candidate(e, [0, 0, 0], { step: 3 }), energyOnly);
    const inside = e * (1 + 0.5 * TOL.DUPLICATE_ENERGY);
    const hit = await store.addMinimum(candidate(inside, [5, 5, 5], { step: 9, chain: 1 }), energyOnly);
    expect(hit.isNew).toBe(false);
    expect(hit.minimum).toMatchObject({ id: 1, energy: e, hits: 2, firstStep: 3, chain: 0 });
    expect(Array.from(hit.minimum.coordinates)).toEqual([0, 0, 0]);
    const outside = e * (1 + 2 * TOL.DUPLICATE_ENERGY);
    expect((await store.addMinimum(candidate(outside, [0, 0, 0]), energyOnly)).isNew).toBe(true);
    // |E| < 1: the window is absolute, energyTolerance·1.
    await store.addMinimum(candidate(0.1, [0, 0, 0]), energyOnly);
    expect((await store.addMinimum(candidate(0.1 + 0.9 * TOL.DUPLICATE_ENERGY, [0, 0, 0]), energyOnly)).isNew).toBe(false);
    expect((await store.addMinimum(candidate(0.1 + 1.1 * TOL.DUPLICATE_ENERGY, [0, 0, 0]), energyOnly)).isNew).toBe(true);
    expect((await store.getMinimum(1))!.hits).toBe(2);
  });

  it('with a comparator keeps different minima of equal energy apart and recognises the same one', async () => {
    await store.addMinimum(candidate(-1, [0, 0]), byDistance);
    const other = await store.addMinimum(candidate(-1, [1, 0]), byDistance);
    expect(other).toMatchObject({ isNew: true, minimum: { id: 2 } });
    const near = await store.addMinimum(candidate(-1, [1, 0.5 * TOL.DUPLICATE_DISTANCE]), byDistance);
    expect(near).toMatchObject({ isNew: false, minimum: { id: 2, hits: 2 } });
    expect((await store.getMinimum(1))!.hits).toBe(1);
  });

  it('matches the nearest energy first when several stored minima qualify', async () => {
    await store.addMinimum(candidate(-1, [0]), { energyTolerance: 0 });
    await store.addMinimum(candidate(-1 - 4e-10, [0]), { energyTolerance: 0 });
    const hit = await store.addMinimum(candidate(-1 - 3e-10, [0]), energyOnly);
    expect(hit.minimum.id).toBe(2);
  });

  it('never merges with energyTolerance 0 and same → false', async () => {
    const never: DuplicateTest = { energyTolerance: 0, same: () => false };
    await store.addMinimum(candidate(-1, [0]), never);
    expect((await store.addMinimum(candidate(-1, [0]), never)).isNew).toBe(true);
    expect(await store.minimumCount()).toBe(2);
  });

  it('finds the same duplicates as a direct scan over all minima (random stream)', async () => {
    const rng = createRng(77);
    const reference: Array<{ energy: number; x: Float64Array; hits: number }> = [];
    const test: DuplicateTest = { energyTolerance: 1e-3, same: (a, b) => distance(a, b) < 0.05 };
    for (let k = 0; k < 300; k++) {
      const base = reference.length > 0 && rng.uniform() < 0.5 ? reference[rng.int(reference.length)] : undefined;
      const energy = base ? base.energy * (1 + rng.uniformIn(-2e-3, 2e-3)) : rng.uniformIn(-3, 3);
      const x = base ? base.x.map((v) => v + rng.uniformIn(-0.04, 0.04)) : Float64Array.of(rng.uniform(), rng.uniform());
      // Direct: every stored minimum in the window, nearest energy first, ties by id.
      const half = test.energyTolerance * Math.max(1, Math.abs(energy));
      const hits = reference
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => Math.abs(r.energy - energy) <= half && test.same!(r.x, x))
        .sort((a, b) => Math.abs(a.r.energy - energy) - Math.abs(b.r.energy - energy) || a.i - b.i);
      const expected = hits.length > 0 ? hits[0].i + 1 : reference.length + 1;
      if (hits.length > 0) hits[0].r.hits++;
      else reference.push({ energy, x, hits: 1 });
      const got = await store.addMinimum(candidate(energy, Array.from(x)), test);
      expect(got.minimum.id).toBe(expected);
    }
    const stored = await store.minima();
    expect(stored.map((m) => m.hits)).toEqual(reference.map((r) => r.hits));
    expect(reference.length).toBeGreaterThan(20);
    expect(reference.some((r) => r.hits > 2)).toBe(true);
  });

  it('rejects bad candidates with the error grammar, asynchronously', async () => {
    await store.addMinimum(candidate(-1, [0, 0]), energyOnly);
    const wrongLength = store.addMinimum(candidate(-1, [0, 0, 0]), energyOnly);
    await expect(wrongLength).rejects.toMatchObject({ code: 'ERR_DIMENSION_MISMATCH', message: expect.stringMatching(/^Expected Float64Array of length 2 for candidate.coordinates/) });
    await expect(store.addMinimum(candidate(NaN, [0, 0]), energyOnly)).rejects.toMatchObject({ code: 'ERR_NOT_FINITE' });
    await expect(store.addMinimum(candidate(-1, [0, Infinity]), energyOnly)).rejects.toMatchObject({ code: 'ERR_NOT_FINITE' });
    await expect(store.addMinimum(candidate(-1, [0, 0], { step: -1 }), energyOnly)).rejects.toThrow(RangeError);
    await expect(store.addMinimum(candidate(-1, [0, 0]), { energyTolerance: -1 })).rejects.toThrow(/^Expected non-negative finite number for test.energyTolerance/);
    expect(await store.minimumCount()).toBe(1);
  });

  it('keeps an unknown RMS gradient (NaN) as NaN', async () => {
    const { minimum } = await store.addMinimum(candidate(-1, [0], { rmsGradient: NaN }), energyOnly);
    expect(minimum.rmsGradient).toBeNaN();
    expect((await store.getMinimum(1))!.rmsGradient).toBeNaN();
  });

  it('merges properties, including extra, and keeps non-finite values', async () => {
    await store.addMinimum(candidate(-1, [0]), energyOnly);
    await store.updateMinimumProperties(1, { trainAuc: 0.9, extra: { a: 1 } });
    await store.updateMinimumProperties(1, { testAuc: 0.8, dataLoss: Infinity, smallestEigenvalue: -Infinity, lpphe: NaN, extra: { b: 'x' } });
    await store.updateMinimumProperties(1, { trainAuc: 0.95, flag: 'negative eigenvalue -3e-4' });
    const { properties } = (await store.getMinimum(1))!;
    expect(properties).toEqual({
      trainAuc: 0.95,
      testAuc: 0.8,
      dataLoss: Infinity,
      smallestEigenvalue: -Infinity,
      lpphe: NaN,
      flag: 'negative eigenvalue -3e-4',
      extra: { a: 1, b: 'x' },
    });
    await expect(store.updateMinimumProperties(2, { index: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', message: expect.stringMatching(/^Expected the id of a stored minimum for id but received 2/) });
  });

  it('stores transition states with duplicate detection and checks their minima', async () => {
    await store.addMinimum(candidate(-2, [0, 0]), energyOnly);
    await store.addMinimum(candidate(-1, [1, 0]), energyOnly);
    const ts = { energy: -0.5, coordinates: Float64Array.of(0.5, 0.1), rmsGradient: 1e-11, negativeEigenvalue: -3, lpphe: NaN, minimum1: 1, minimum2: 2 };
    const first = await store.addTransitionState(ts, byDistance);
    expect(first.isNew).toBe(true);
    expect(first.transitionState).toMatchObject({ id: 1, energy: -0.5, negativeEigenvalue: -3, minimum1: 1, minimum2: 2 });
    expect(first.transitionState.lpphe).toBeNaN();
    const again = await store.addTransitionState({ ...ts, coordinates: Float64Array.of(0.5, 0.1 + 1e-5) }, byDistance);
    expect(again).toMatchObject({ isNew: false, transitionState: { id: 1 } });
    const apart = await store.addTransitionState({ ...ts, coordinates: Float64Array.of(-0.5, 0.1) }, byDistance);
    expect(apart).toMatchObject({ isNew: true, transitionState: { id: 2 } });
    expect(await store.transitionStateCount()).toBe(2);
    expect(Array.from((await store.transitionStates())[1].coordinates)).toEqual([-0.5, 0.1]);
    await expect(store.addTransitionState({ ...ts, minimum2: 3 }, byDistance)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });

  it('lists pairs whose connection attempts all failed, smaller id first', async () => {
    await store.recordConnectionAttempt(2, 1, false);
    await store.recordConnectionAttempt(1, 2, false);
    await store.recordConnectionAttempt(1, 3, false);
    await store.recordConnectionAttempt(3, 1, true);
    await store.recordConnectionAttempt(4, 2, false);
    expect(await store.failedConnections()).toEqual([
      [1, 2],
      [2, 4],
    ]);
  });

  it('records the discovery curve in order', async () => {
    await store.recordDiscovery({ quenches: 1, distinctMinima: 1, elapsedMs: 0.5 });
    await store.recordDiscovery({ quenches: 10, distinctMinima: 3, elapsedMs: 12.25 });
    expect(await store.discoveryCurve()).toEqual([
      { quenches: 1, distinctMinima: 1, elapsedMs: 0.5 },
      { quenches: 10, distinctMinima: 3, elapsedMs: 12.25 },
    ]);
  });

  it('keeps one manifest (the last one set)', async () => {
    await store.setManifest(manifest);
    expect(await store.getManifest()).toEqual(manifest);
    await store.setManifest({ ...manifest, name: 'renamed' });
    expect((await store.getManifest())!.name).toBe('renamed');
  });

  it('saves and loads checkpoints by key, overwriting, with non-finite numbers', async () => {
    const state = { step: 12, x: [0.5, -1], energy: -Infinity, rng: [1, 2, 3, 4], nested: { a: [NaN] } };
    await store.saveCheckpoint('chain/0', state);
    await store.saveCheckpoint('chain/1', { step: 1 });
    expect(await store.loadCheckpoint('chain/0')).toEqual(state);
    await store.saveCheckpoint('chain/0', { step: 13 });
    expect(await store.loadCheckpoint('chain/0')).toEqual({ step: 13 });
    expect(await store.loadCheckpoint('chain/1')).toEqual({ step: 1 });
    await expect(store.saveCheckpoint('', 1)).rejects.toThrow(TypeError);
  });

  it('writes the checkpoint and discovery point with the minimum, the checkpoint seeing isNew', async () => {
    const options = (quenches: number) => ({
      checkpoint: { key: 'chain/0', value: (r: { isNew: boolean; minimum: { id: number } }) => ({ quenches, lastId: r.minimum.id, isNew: r.isNew }) },
      discovery: { quenches, elapsedMs: quenches * 2 },
    });
    await store.addMinimum(candidate(-1, [0]), energyOnly, options(1));
    await store.addMinimum(candidate(-1, [0]), energyOnly, options(2));
    await store.addMinimum(candidate(-2, [0]), energyOnly, options(3));
    expect(await store.loadCheckpoint('chain/0')).toEqual({ quenches: 3, lastId: 2, isNew: true });
    expect(await store.discoveryCurve()).toEqual([
      { quenches: 1, distinctMinima: 1, elapsedMs: 2 },
      { quenches: 3, distinctMinima: 2, elapsedMs: 6 },
    ]);
  });

  it('stores nothing when the checkpoint cannot be written (one transaction)', async () => {
    await store.saveCheckpoint('chain/0', { step: 0 });
    const failing = {
      checkpoint: {
        key: 'chain/0',
        value: () => {
          throw new Error('boom');
        },
      },
      discovery: { quenches: 1, elapsedMs: 1 },
    };
    await expect(store.addMinimum(candidate(-1, [0]), energyOnly, failing)).rejects.toThrow(/boom/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(store.addMinimum(candidate(-1, [0]), energyOnly, { checkpoint: { key: 'chain/0', value: () => cyclic } })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    expect(await store.minimumCount()).toBe(0);
    expect(await store.discoveryCurve()).toEqual([]);
    expect(await store.loadCheckpoint('chain/0')).toEqual({ step: 0 });
  });

  it('rejects every call after close', async () => {
    await store.close();
    await expect(store.minimumCount()).rejects.toMatchObject({ code: 'ERR_DATABASE', message: expect.stringMatching(/^Expected an open store for minimumCount/) });
    await expect(store.addMinimum(candidate(-1, [0]), energyOnly)).rejects.toMatchObject({ code: 'ERR_DATABASE' });
  });
});

// SPDX-License-Identifier: MIT
// What only the SQLite store has: a file format (schema version, blobs, WAL), read-only
// opening beside a live writer, and persistence across connections.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { TOL } from '@lossscape/numeric';
import type { MinimumCandidate } from '../store.js';
import { SQLITE_APPLICATION_ID, openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'lossscape-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => join(dir, `db-${++counter}.sqlite`);

const energyOnly = { energyTolerance: TOL.DUPLICATE_ENERGY };
const candidate = (energy: number, coordinates: number[]): MinimumCandidate => ({
  energy,
  coordinates: Float64Array.from(coordinates),
  rmsGradient: 1e-11,
  step: 0,
  chain: 0,
});

describe('openSqliteStore', () => {
  it('creates a versioned WAL database whose coordinates are little-endian float64 blobs', async () => {
    const path = freshPath();
    const store = await openSqliteStore(path);
    const x = [Math.PI, -0, 1e-300, -2.5e10];
    await store.addMinimum(candidate(-3, x), energyOnly);
    await store.close();

    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(1);
      expect(raw.pragma('application_id', { simple: true })).toBe(SQLITE_APPLICATION_ID);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const blob = (raw.prepare('SELECT coordinates FROM minima WHERE id = 1').get() as { coordinates: Buffer }).coordinates;
      expect(blob.byteLength).toBe(8 * x.length);
      const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
      x.forEach((v, i) => expect(Object.is(view.getFloat64(8 * i, true), v)).toBe(true));
    } finally {
      raw.close();
    }
  });

  it('keeps everything across close and reopen', async () => {
    const path = freshPath();
    const a = await openSqliteStore(path);
    await a.addMinimum(candidate(-3, [1, 2]), energyOnly);
    await a.addMinimum(candidate(-3, [1, 2]), energyOnly);
    await a.updateMinimumProperties(1, { testAuc: 0.75 });
    await a.saveCheckpoint('chain/0', { step: 2 });
    await a.close();
    const b = await openSqliteStore(path);
    expect(await b.minima()).toMatchObject([{ id: 1, hits: 2, properties: { testAuc: 0.75 } }]);
    expect(await b.loadCheckpoint('chain/0')).toEqual({ step: 2 });
    await expect(b.addMinimum(candidate(-3, [1, 2, 3]), energyOnly)).rejects.toMatchObject({ code: 'ERR_DIMENSION_MISMATCH' });
    expect(await b.integrityCheck()).toEqual(['ok']);
    await b.close();
  });

  it('refuses a newer or older schema version with ERR_SCHEMA_VERSION', async () => {
    for (const version of [2, 0]) {
      const path = freshPath();
      await (await openSqliteStore(path)).close();
      const raw = new Database(path);
      raw.pragma(`user_version = ${version}`);
      raw.close();
      await expect(openSqliteStore(path)).rejects.toMatchObject({
        code: 'ERR_SCHEMA_VERSION',
        message: expect.stringMatching(new RegExp(`^Expected a Lossscape database of schema version 1 for .*db-\\d+\\.sqlite but received schema version ${version}`)),
      });
      await expect(openSqliteStore(path, { readonly: true })).rejects.toMatchObject({ code: 'ERR_SCHEMA_VERSION' });
    }
  });

  it('refuses another application’s database, an empty file read-only, and a file that is not SQLite', async () => {
    const other = freshPath();
    const raw = new Database(other);
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    await expect(openSqliteStore(other)).rejects.toMatchObject({ code: 'ERR_SCHEMA_VERSION', message: expect.stringContaining('another application') });

    const empty = freshPath();
    new Database(empty).close();
    await expect(openSqliteStore(empty, { readonly: true })).rejects.toMatchObject({ code: 'ERR_SCHEMA_VERSION', message: expect.stringContaining('an empty database') });

    const garbage = freshPath();
    writeFileSync(garbage, 'min.data is not a database, '.repeat(200));
    await expect(openSqliteStore(garbage)).rejects.toMatchObject({ code: 'ERR_DATABASE', message: expect.stringMatching(/^Expected opening to succeed on SQLite database .* but received SQLITE_NOTADB/) });

    await expect(openSqliteStore(join(dir, 'missing.sqlite'), { readonly: true })).rejects.toMatchObject({ code: 'ERR_DATABASE' });
    expect(existsSync(join(dir, 'missing.sqlite'))).toBe(false);
    await expect(openSqliteStore('')).rejects.toThrow(TypeError);
  });

  it('lets a read-only connection follow a live writer and refuses its writes', async () => {
    const path = freshPath();
    const writer = await openSqliteStore(path);
    await writer.addMinimum(candidate(-1, [0, 0]), energyOnly);
    const reader = await openSqliteStore(path, { readonly: true });
    expect(reader.readonly).toBe(true);
    expect(await reader.minimumCount()).toBe(1);
    await writer.addMinimum(candidate(-2, [0, 1]), energyOnly);
    await writer.saveCheckpoint('chain/0', { step: 5 });
    expect(await reader.minimumCount()).toBe(2);
    expect(await reader.loadCheckpoint('chain/0')).toEqual({ step: 5 });
    await expect(reader.addMinimum(candidate(-3, [0, 2]), energyOnly)).rejects.toMatchObject({
      code: 'ERR_DATABASE',
      message: expect.stringMatching(/^Expected a store opened for writing for addMinimum but received one opened read-only/),
    });
    await expect(reader.saveCheckpoint('x', 1)).rejects.toMatchObject({ code: 'ERR_DATABASE' });
    await writer.close();
    expect(await reader.minimumCount()).toBe(2);
    await reader.close();
    // After the writer is gone (WAL checkpointed and removed), a reader can still open the file.
    const late = await openSqliteStore(path, { readonly: true });
    expect((await late.minima()).map((m) => m.energy)).toEqual([-1, -2]);
    expect(await late.integrityCheck()).toEqual(['ok']);
    await late.close();
  });
});

// SPDX-License-Identifier: MIT
// What only the PostgreSQL store has: the bucket locks (pure, always run), and — when
// LOSSSCAPE_TEST_PG holds a connection string — concurrency between many connections on one
// landscape, schema checks, read-only opening and persistence. Without LOSSSCAPE_TEST_PG the
// server tests are reported as skipped; .ci/run starts a server and sets it, so CI runs them.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TOL, createRng, distance } from '@lossscape/numeric';
import type { DuplicateTest, MinimumCandidate, TransitionStateCandidate } from '../store.js';
import { DEFAULT_BUCKET_WIDTH, MAX_WINDOW_BUCKETS, energyCoordinate, openPostgresStore, redactUrl, windowLocks, type PostgresStore } from './postgres-store.js';
import { dropTestSchemas, testSchemaName } from './test-utils/postgres.js';

const pgUrl = process.env.LOSSSCAPE_TEST_PG;
const schemas: string[] = [];
if (pgUrl) afterAll(() => dropTestSchemas(pgUrl, schemas));

const energyOnly: DuplicateTest = { energyTolerance: TOL.DUPLICATE_ENERGY };
const byDistance: DuplicateTest = { energyTolerance: TOL.DUPLICATE_ENERGY, same: (a, b) => distance(a, b) < TOL.DUPLICATE_DISTANCE };
const candidate = (energy: number, coordinates: number[], extra: Partial<MinimumCandidate> = {}): MinimumCandidate => ({
  energy,
  coordinates: Float64Array.from(coordinates),
  rmsGradient: 1e-11,
  step: 0,
  chain: 0,
  ...extra,
});

/** An energy whose u = sign(E)·ln(1+|E|) lies exactly on the edge of bucket `k`. */
function bucketEdge(k: number, width = DEFAULT_BUCKET_WIDTH): number {
  const u = k * width;
  return Math.sign(u) * Math.expm1(Math.abs(u));
}

describe('windowLocks (the duplicate-check locks)', () => {
  it('maps relative windows to at most two buckets at the default tolerance, whatever |E|', () => {
    const rng = createRng(11);
    for (let k = 0; k < 2000; k++) {
      const energy = (rng.uniform() < 0.5 ? -1 : 1) * 10 ** rng.uniformIn(-3, 6);
      const locks = windowLocks('s/minima', energy, energyOnly, DEFAULT_BUCKET_WIDTH);
      expect(locks.shared).not.toBeNull();
      expect(locks.exclusive.length).toBeGreaterThanOrEqual(1);
      expect(locks.exclusive.length).toBeLessThanOrEqual(2);
    }
  });

  it('locks both buckets for a window across a bucket edge, and the candidate on either side shares one with the other', () => {
    for (const k of [123_456_789, -98_765_432, 7]) {
      const edge = bucketEdge(k);
      const half = TOL.DUPLICATE_ENERGY * Math.max(1, Math.abs(edge));
      const below = edge - 0.3 * half;
      const above = edge + 0.3 * half;
      expect(Math.floor(energyCoordinate(below) / DEFAULT_BUCKET_WIDTH)).not.toBe(Math.floor(energyCoordinate(above) / DEFAULT_BUCKET_WIDTH));
      const a = windowLocks('s/minima', below, energyOnly, DEFAULT_BUCKET_WIDTH).exclusive;
      const b = windowLocks('s/minima', above, energyOnly, DEFAULT_BUCKET_WIDTH).exclusive;
      expect(a).toHaveLength(2);
      expect(b).toHaveLength(2);
      expect(a.filter((key) => b.includes(key)).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('any two energies within each other’s window share a locked bucket (random pairs near edges)', () => {
    const rng = createRng(5);
    const test: DuplicateTest = { energyTolerance: 1e-8 };
    for (let k = 0; k < 3000; k++) {
      const edge = bucketEdge(Math.round(rng.uniformIn(-1e8, 1e8)));
      const half = test.energyTolerance * Math.max(1, Math.abs(edge));
      const e1 = edge + rng.uniformIn(-half, half);
      const e2 = e1 + rng.uniformIn(-half, half);
      if (Math.abs(e2 - e1) > test.energyTolerance * Math.max(1, Math.abs(e2))) continue;
      const later = windowLocks('s/minima', e2, test, DEFAULT_BUCKET_WIDTH).exclusive;
      // e1 committed first: it held the bucket of its own energy (inside its own window).
      const firstBucket = windowLocks('s/minima', e1, { energyTolerance: 0 }, DEFAULT_BUCKET_WIDTH).exclusive;
      expect(firstBucket.some((key) => later.includes(key))).toBe(true);
    }
  });

  it('takes keys in ascending order, distinct per table, and the table key alone for a wide window', () => {
    const keys = windowLocks('s/minima', bucketEdge(1000), energyOnly, DEFAULT_BUCKET_WIDTH).exclusive;
    expect([...keys].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(keys);
    const ts = windowLocks('s/transition_states', bucketEdge(1000), energyOnly, DEFAULT_BUCKET_WIDTH).exclusive;
    expect(ts.some((key) => keys.includes(key))).toBe(false);
    const wide = windowLocks('s/minima', -16.5, { energyTolerance: MAX_WINDOW_BUCKETS * DEFAULT_BUCKET_WIDTH }, DEFAULT_BUCKET_WIDTH);
    expect(wide.shared).toBeNull();
    expect(wide.exclusive).toEqual([windowLocks('s/minima', 0, { energyTolerance: 1 }, DEFAULT_BUCKET_WIDTH).exclusive[0]]);
  });

  it('redacts passwords in connection strings', () => {
    expect(redactUrl('postgres://me:secret@db.example.org:5432/land')).toBe('postgres://me:***@db.example.org:5432/land');
    expect(redactUrl('postgres://me@db/land')).toBe('postgres://me@db/land');
  });

  it('rejects bad arguments at the edge, asynchronously', async () => {
    await expect(openPostgresStore('sqlite.db')).rejects.toThrow(/^Expected a postgres:\/\/ connection string for url but received/);
    await expect(openPostgresStore('postgres://x/y', { schema: 'Bad-Name' })).rejects.toThrow(TypeError);
    await expect(openPostgresStore('postgres://x/y', { poolSize: 0 })).rejects.toThrow(RangeError);
    await expect(openPostgresStore('postgres://x/y', { bucketWidth: -1 })).rejects.toThrow(RangeError);
  });
});

if (!pgUrl) {
  describe('openPostgresStore on a server', () => {
    it.skip('needs LOSSSCAPE_TEST_PG (a postgres:// URL); .ci/run sets it', () => undefined);
  });
}

describe.runIf(pgUrl)('openPostgresStore on a server', () => {
  const url = pgUrl!;
  // Every pool is warmed up (both connections open) before the race, so that the transactions of
  // different stores really overlap instead of being staggered by connection setup.
  const openMany = async (schema: string, count: number): Promise<PostgresStore[]> => {
    const first = await openPostgresStore(url, { schema, poolSize: 2 });
    const rest = await Promise.all(Array.from({ length: count - 1 }, () => openPostgresStore(url, { schema, poolSize: 2 })));
    const stores = [first, ...rest];
    await Promise.all(stores.flatMap((s) => [s.minimumCount(), s.minimumCount()]));
    return stores;
  };
  const closeAll = (stores: PostgresStore[]) => Promise.all(stores.map((s) => s.close()));

  it('stores each minimum once when many connections add the same minima at once, at bucket edges too', async () => {
    const schema = testSchemaName('concurrent', schemas);
    const stores = await openMany(schema, 6);
    try {
      const rng = createRng(42);
      // 24 distinct minima: half on bucket edges (positive and negative energies), half anywhere.
      const energies = Array.from({ length: 24 }, (_, i) =>
        i % 2 === 0 ? bucketEdge(Math.round(rng.uniformIn(-2e7, 2e7))) : rng.uniformIn(-20, 20),
      );
      const rounds = 3;
      const calls: Array<Promise<unknown>> = [];
      for (let round = 0; round < rounds; round++) {
        energies.forEach((energy, i) => {
          stores.forEach((store, w) => {
            // Each worker sees the minimum with its own rounding, on alternating sides of the edge.
            const half = TOL.DUPLICATE_ENERGY * Math.max(1, Math.abs(energy));
            const jitter = ((w + round) % 2 === 0 ? -0.3 : 0.3) * half;
            calls.push(store.addMinimum(candidate(energy + jitter, [i, 0], { chain: w, step: round }), energyOnly));
          });
        });
      }
      await Promise.all(calls);
      const minima = await stores[0].minima();
      expect(minima).toHaveLength(energies.length);
      expect(minima.map((m) => m.id)).toEqual(energies.map((_, i) => i + 1));
      expect(minima.every((m) => m.hits === stores.length * rounds)).toBe(true);
      expect(await stores[3].minimumCount()).toBe(energies.length);
    } finally {
      await closeAll(stores);
    }
  });

  it('keeps different minima of equal energy apart under concurrency (comparator), and counts hits exactly', async () => {
    const schema = testSchemaName('comparator', schemas);
    const stores = await openMany(schema, 5);
    try {
      const energy = bucketEdge(-55_555_555);
      const calls = stores.flatMap((store, w) =>
        [0, 1, 2, 3].map((j) => store.addMinimum(candidate(energy, [j, w * 0.1 * TOL.DUPLICATE_DISTANCE]), byDistance)),
      );
      await Promise.all(calls);
      const minima = await stores[0].minima();
      expect(minima).toHaveLength(4);
      expect(minima.map((m) => m.hits)).toEqual([5, 5, 5, 5]);
      expect(new Set(minima.map((m) => m.coordinates[0]))).toEqual(new Set([0, 1, 2, 3]));
    } finally {
      await closeAll(stores);
    }
  });

  it('stores each transition state once when found by many connections at once', async () => {
    const schema = testSchemaName('ts', schemas);
    const stores = await openMany(schema, 5);
    try {
      await stores[0].addMinimum(candidate(-2, [0, 0]), energyOnly);
      await stores[0].addMinimum(candidate(-1, [1, 0]), energyOnly);
      const ts = (energy: number, x: number): TransitionStateCandidate => ({
        energy,
        coordinates: Float64Array.of(x, 0.5),
        rmsGradient: 1e-11,
        negativeEigenvalue: -1,
        lpphe: 3,
        minimum1: 1,
        minimum2: 2,
      });
      const edge = bucketEdge(-4_000_000);
      const half = TOL.DUPLICATE_ENERGY * Math.abs(edge);
      const results = await Promise.all(
        stores.flatMap((store, w) => [0, 1, 2].map((j) => store.addTransitionState(ts(edge + (w % 2 ? 0.3 : -0.3) * half, j), byDistance))),
      );
      expect(results.filter((r) => r.isNew)).toHaveLength(3);
      const stored = await stores[1].transitionStates();
      expect(stored.map((t) => t.id)).toEqual([1, 2, 3]);
      expect(await stores[2].transitionStateCount()).toBe(3);
    } finally {
      await closeAll(stores);
    }
  });

  it('the harness is concurrent enough: a naive check-then-insert without the locks does store duplicates', async () => {
    // Control for the tests above: the same interleaving without advisory locks must fail.
    const schema = testSchemaName('naive', schemas);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ connectionString: url, max: 2 }));
    try {
      await admin.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".m (id serial PRIMARY KEY, energy float8 NOT NULL)`);
      await Promise.all(pools.flatMap((pool) => [pool.query('SELECT 1'), pool.query('SELECT 1')]));
      const naiveAdd = async (pool: pg.Pool, energy: number) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query(`SELECT id FROM "${schema}".m WHERE energy BETWEEN $1 AND $2`, [energy - 1e-9, energy + 1e-9]);
          if (rows.length === 0) await client.query(`INSERT INTO "${schema}".m (energy) VALUES ($1)`, [energy]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      };
      const energies = Array.from({ length: 24 }, (_, i) => -1 - i);
      await Promise.all(energies.flatMap((e) => pools.map((pool) => naiveAdd(pool, e))));
      const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".m`);
      expect(Number(rows[0].n)).toBeGreaterThan(energies.length);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await admin.end();
    }
  });

  it('keeps everything across close and reopen by another process’s pool, and reads one read-only', async () => {
    const schema = testSchemaName('reopen', schemas);
    const a = await openPostgresStore(url, { schema });
    await a.addMinimum(candidate(-3, [1, 2], { chain: 4, step: 17 }), energyOnly);
    await a.addMinimum(candidate(-3, [1, 2]), energyOnly);
    await a.addMinimum(candidate(-4, [1, 2], { chain: 4, step: 20 }), energyOnly);
    await a.updateMinimumProperties(1, { testAuc: 0.75 });
    await a.saveCheckpoint('chain/0', { step: 2 });
    await a.close();
    const b = await openPostgresStore(url, { schema });
    expect(await b.minima()).toMatchObject([{ id: 1, hits: 2, properties: { testAuc: 0.75 } }, { id: 2, hits: 1 }]);
    expect(await b.minimaFoundBy(4, 17, 20)).toEqual([1]);
    expect(await b.minimaFoundBy(4, 0, 21)).toEqual([1, 2]);
    expect(await b.loadCheckpoint('chain/0')).toEqual({ step: 2 });
    await expect(b.addMinimum(candidate(-3, [1, 2, 3]), energyOnly)).rejects.toMatchObject({ code: 'ERR_DIMENSION_MISMATCH' });
    await b.close();
    const reader = await openPostgresStore(url, { schema, readonly: true });
    expect(await reader.minimumCount()).toBe(2);
    await expect(reader.saveCheckpoint('x', 1)).rejects.toMatchObject({ code: 'ERR_DATABASE', message: expect.stringMatching(/read-only/) });
    await reader.close();
  });

  it('keeps the bucket width chosen at creation', async () => {
    const schema = testSchemaName('width', schemas);
    await (await openPostgresStore(url, { schema, bucketWidth: 3e-6 })).close();
    const again = await openPostgresStore(url, { schema, bucketWidth: 5e-8 });
    expect(again.bucketWidth).toBe(3e-6);
    await again.close();
  });

  it('refuses another schema version, another application’s schema, and an empty schema read-only', async () => {
    const versioned = testSchemaName('version', schemas);
    await (await openPostgresStore(url, { schema: versioned })).close();
    const foreign = testSchemaName('foreign', schemas);
    const empty = testSchemaName('empty', schemas);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`UPDATE "${versioned}".meta SET value = '2' WHERE key = 'schema_version'`);
      await admin.query(`CREATE SCHEMA "${foreign}"; CREATE TABLE "${foreign}".accounts (id int)`);
    } finally {
      await admin.end();
    }
    await expect(openPostgresStore(url, { schema: versioned })).rejects.toMatchObject({
      code: 'ERR_SCHEMA_VERSION',
      message: expect.stringMatching(/^Expected a Lossscape landscape of schema version 1 in postgres:.* schema t_version_\w+ but received schema version 2$/),
    });
    await expect(openPostgresStore(url, { schema: foreign })).rejects.toMatchObject({ code: 'ERR_SCHEMA_VERSION', message: expect.stringMatching(/another application \(tables accounts\)/) });
    await expect(openPostgresStore(url, { schema: empty, readonly: true })).rejects.toMatchObject({ code: 'ERR_SCHEMA_VERSION', message: expect.stringMatching(/an empty schema$/) });
  });

  it('reports an unreachable server as ERR_DATABASE without the password', async () => {
    const bad = new URL(url);
    bad.port = '1';
    bad.password = 'hunter2';
    const error = await openPostgresStore(bad.toString()).then(
      () => new Error('opened'),
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: 'ERR_DATABASE', message: expect.stringMatching(/^Expected opening to succeed on PostgreSQL database .*:1\//) });
    expect(error.message).not.toContain('hunter2');
  });
});

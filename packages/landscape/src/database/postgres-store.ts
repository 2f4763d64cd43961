// SPDX-License-Identifier: MIT
/**
 * A LandscapeStore on PostgreSQL (node-postgres), for one landscape explored by many processes
 * on many machines. Same schema semantics as the SQLite store (the same contract suite runs
 * against both): dense 1-based ids in order of discovery, coordinates as little-endian float64
 * (bytea), properties / manifest / checkpoints as the same JSON text.
 *
 * ```ts
 * const store = await openPostgresStore('postgres://lossscape@db.example.org/landscapes', { schema: 'spiral_ce' });
 * try {
 *   await store.addMinimum(candidate, { energyTolerance: 1e-9, same: potential.sameMinimum });
 * } finally {
 *   await store.close();
 * }
 * ```
 *
 * One landscape per PostgreSQL schema (default `public`); the tables are created on first open.
 *
 * Concurrency. A minimum found by two workers at once must be stored once. Each `addMinimum` is
 * one READ COMMITTED transaction that first takes transaction-scoped advisory locks, then looks
 * for duplicates, then writes:
 *   1. the energy axis is cut into buckets of fixed width in u = sign(E)·ln(1 + |E|) (a relative
 *      window |ΔE| ≤ tol·max(1, |E|) has width ≤ 2·tol in u, whatever |E|); the width is chosen
 *      when the schema is created and stored with it, so every process uses the same grid;
 *   2. the transaction locks every bucket that its tolerance window touches (one, or two at a
 *      bucket edge, slightly padded for rounding), in ascending key order so that two
 *      transactions never wait on each other in a cycle, after a shared lock on the table key;
 *      a window wider than MAX_WINDOW_BUCKETS buckets takes the table key exclusively instead;
 *   3. only then does it read the window (a new statement: READ COMMITTED takes its snapshot
 *      after the locks are held), compare with `same`, and insert or count a hit.
 * If B commits after A and B's window contains A's energy, then B locked A's bucket, which A
 * held until its commit, so B's read sees A's row: the outcome is that of some serial order.
 * Dense ids come from a counter row updated in the same transaction (a sequence would leave
 * gaps on rollback); its row lock is taken last and held only for the write and commit.
 * Transition states use the same scheme with their own keys and counter.
 *
 * Cost per new minimum or hit: 4 round trips (begin with the locks, window, insert or hit,
 * checkpoint with commit) and one commit; the counter row serialises the writes of new minima (not of hits) across all
 * workers, for the duration of one insert and commit (see docs/distributed.md for scale).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { LandscapeError, expectedMessage } from '@lossscape/numeric';
import type { DiscoveryPoint, MinimumProperties, MinimumRecord, RunManifest, TransitionStateRecord } from '../records.js';
import type {
  AddMinimumOptions,
  AddMinimumResult,
  AddTransitionStateResult,
  DuplicateTest,
  LandscapeStore,
  MinimumCandidate,
  TransitionStateCandidate,
} from '../store.js';
import {
  SCHEMA_VERSION,
  checkAddMinimumOptions,
  checkCheckpointKey,
  checkDiscoveryPoint,
  checkDuplicateTest,
  checkManifest,
  checkMinimumCandidate,
  checkMinimumId,
  checkProperties,
  checkTransitionStateCandidate,
  closedError,
  decodeFloat64LE,
  encodeFloat64LE,
  energyWindow,
  fromJson,
  mergeProperties,
  toJson,
  unknownMinimum,
} from './codec.js';

export interface PostgresStoreOptions {
  /** Schema holding this landscape's tables (created when absent). Default 'public'. */
  readonly schema?: string;
  /** Open an existing landscape for reading only (e.g. `watch`). */
  readonly readonly?: boolean;
  /** Connections in this process's pool (default 4). */
  readonly poolSize?: number;
  /**
   * Width of the energy buckets in u = sign(E)·ln(1+|E|), used only when the schema is created
   * (afterwards the stored width wins). Default 1e-7: a window at the default tolerance 1e-9
   * touches one bucket, or two at an edge.
   */
  readonly bucketWidth?: number;
  /** Shown in pg_stat_activity (default 'lossscape'). */
  readonly applicationName?: string;
}

export interface PostgresStore extends LandscapeStore {
  /** The connection string with any password replaced by '***'. */
  readonly url: string;
  readonly schema: string;
  readonly readonly: boolean;
  /** Energy-bucket width (in u = sign(E)·ln(1+|E|)) of this landscape's duplicate locks. */
  readonly bucketWidth: number;
  /**
   * Ids of the minima first found by `chain` at chain steps in [fromStep, toStep), ascending
   * (what a basin-hopping segment added, including by an earlier attempt that died).
   */
  minimaFoundBy(chain: number, fromStep: number, toStep: number): Promise<number[]>;
}

/** Windows wider than this many buckets lock the whole table instead (still correct, slower). */
export const MAX_WINDOW_BUCKETS = 16;
export const DEFAULT_BUCKET_WIDTH = 1e-7;
const APPLICATION = 'lossscape-landscape';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// PostgreSQL error codes worth retrying the whole transaction for (never expected with the
// ordered locks above, but cheap insurance): deadlock_detected, serialization_failure.
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

function ddl(s: string): string {
  return `
CREATE TABLE ${s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE ${s}.counters (name text PRIMARY KEY, value bigint NOT NULL);
INSERT INTO ${s}.counters (name, value) VALUES ('minima', 0), ('transition_states', 0);
CREATE TABLE ${s}.minima (
  id integer PRIMARY KEY,
  energy double precision NOT NULL,
  coordinates bytea NOT NULL,
  rms_gradient double precision NOT NULL,
  hits bigint NOT NULL,
  first_step bigint NOT NULL,
  chain integer NOT NULL,
  properties text NOT NULL
);
CREATE INDEX minima_energy ON ${s}.minima (energy);
CREATE INDEX minima_found_by ON ${s}.minima (chain, first_step);
CREATE TABLE ${s}.transition_states (
  id integer PRIMARY KEY,
  energy double precision NOT NULL,
  coordinates bytea NOT NULL,
  rms_gradient double precision NOT NULL,
  negative_eigenvalue double precision NOT NULL,
  lpphe double precision NOT NULL,
  minimum1 integer NOT NULL REFERENCES ${s}.minima (id),
  minimum2 integer NOT NULL REFERENCES ${s}.minima (id)
);
CREATE INDEX transition_states_energy ON ${s}.transition_states (energy);
CREATE TABLE ${s}.connection_attempts (
  id bigserial PRIMARY KEY,
  minimum1 integer NOT NULL,
  minimum2 integer NOT NULL,
  connected boolean NOT NULL
);
CREATE TABLE ${s}.discovery (
  id bigserial PRIMARY KEY,
  quenches bigint NOT NULL,
  distinct_minima bigint NOT NULL,
  elapsed_ms double precision NOT NULL
);
CREATE TABLE ${s}.manifest (id integer PRIMARY KEY CHECK (id = 1), json text NOT NULL);
CREATE TABLE ${s}.checkpoints (key text PRIMARY KEY, json text NOT NULL);
`;
}

interface MinimumRow {
  id: number;
  energy: number;
  coordinates: Buffer;
  rms_gradient: number;
  hits: number;
  first_step: number;
  chain: number;
  properties: string;
}

interface TransitionStateRow {
  id: number;
  energy: number;
  coordinates: Buffer;
  rms_gradient: number;
  negative_eigenvalue: number;
  lpphe: number;
  minimum1: number;
  minimum2: number;
}

function minimumFromRow(row: MinimumRow): MinimumRecord {
  return {
    id: row.id,
    energy: row.energy,
    coordinates: decodeFloat64LE(row.coordinates, `minimum ${row.id} coordinates`),
    rmsGradient: row.rms_gradient,
    hits: row.hits,
    firstStep: row.first_step,
    chain: row.chain,
    properties: fromJson<MinimumProperties>(row.properties),
  };
}

function transitionStateFromRow(row: TransitionStateRow): TransitionStateRecord {
  return {
    id: row.id,
    energy: row.energy,
    coordinates: decodeFloat64LE(row.coordinates, `transition state ${row.id} coordinates`),
    rmsGradient: row.rms_gradient,
    negativeEigenvalue: row.negative_eigenvalue,
    lpphe: row.lpphe,
    minimum1: row.minimum1,
    minimum2: row.minimum2,
  };
}

const bytea = (x: Float64Array): Buffer => {
  const bytes = encodeFloat64LE(x);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};

/** The connection string without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

// ── the bucket locks ────────────────────────────────────────────────────────────────────────

/** Monotone map under which a relative energy window has width ≤ 2·tolerance. */
export function energyCoordinate(energy: number): number {
  return Math.sign(energy) * Math.log1p(Math.abs(energy));
}

/** A 64-bit advisory-lock key (signed, as PostgreSQL's bigint) for a name. */
function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * The advisory locks a duplicate check of `energy` under `test` must hold, in the order to
 * take them: `shared` (the table key, shared) and `exclusive` (bucket keys ascending, or the
 * table key alone for a window wider than MAX_WINDOW_BUCKETS).
 */
export function windowLocks(
  namespace: string,
  energy: number,
  test: DuplicateTest,
  bucketWidth: number,
): { readonly shared: string | null; readonly exclusive: readonly string[] } {
  const table = lockKey(`${namespace}/*`);
  const half = energyWindow(energy, test);
  const lo = energyCoordinate(energy - half);
  const hi = energyCoordinate(energy + half);
  // Pad by a few ulps of u so that two processes rounding u differently at an edge still meet.
  const pad = 8 * Number.EPSILON * Math.max(1, Math.abs(lo), Math.abs(hi));
  const first = Math.floor((lo - pad) / bucketWidth);
  const last = Math.floor((hi + pad) / bucketWidth);
  if (!Number.isFinite(first) || !Number.isFinite(last) || last - first + 1 > MAX_WINDOW_BUCKETS) return { shared: null, exclusive: [table] };
  const keys: string[] = [];
  for (let b = first; b <= last; b++) keys.push(lockKey(`${namespace}/${b}`));
  keys.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  return { shared: table, exclusive: [...new Set(keys)] };
}

/**
 * The statements that take `locks`, sent with BEGIN in one round trip. The keys are decimal
 * integers we computed (safe to inline). A function scan of unnest yields the array in order
 * and the lock runs row by row: the keys are acquired in ascending order, one at a time.
 */
function lockStatements(locks: ReturnType<typeof windowLocks>): string {
  const shared = locks.shared === null ? '' : `SELECT pg_advisory_xact_lock_shared(${locks.shared}::bigint); `;
  return `${shared}SELECT pg_advisory_xact_lock(k) FROM unnest(ARRAY[${locks.exclusive.join(', ')}]::bigint[]) AS k`;
}

// ── the store ───────────────────────────────────────────────────────────────────────────────

function databaseError(url: string, schema: string, doing: string, cause: unknown): LandscapeError {
  if (cause instanceof LandscapeError) return cause;
  const code = (cause as { code?: unknown })?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new LandscapeError(
    `Expected ${doing} to succeed on PostgreSQL database ${redactUrl(url)} (schema ${schema}) but received ${typeof code === 'string' ? `${code}: ` : ''}${message}`,
    'ERR_DATABASE',
    { cause },
  );
}

class PostgresLandscapeStore implements PostgresStore {
  private closed = false;
  private dimension: number | undefined;
  private readonly s: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly rawUrl: string,
    readonly schema: string,
    readonly readonly: boolean,
    readonly bucketWidth: number,
  ) {
    this.s = `"${schema}"`;
  }

  get url(): string {
    return redactUrl(this.rawUrl);
  }

  /** Runs `fn` on an open store, turning PostgreSQL failures into LandscapeError ERR_DATABASE. */
  private async use<T>(method: string, write: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw closedError(method);
    if (write && this.readonly) {
      throw new LandscapeError(`Expected a store opened for writing for ${method} but received one opened read-only (${this.url}, schema ${this.schema})`, 'ERR_DATABASE');
    }
    try {
      return await fn();
    } catch (cause) {
      if (cause instanceof TypeError || cause instanceof RangeError) throw cause;
      throw databaseError(this.rawUrl, this.schema, method, cause);
    }
  }

  /**
   * One transaction; retried whole on a deadlock or serialization failure. `begin` runs with
   * BEGIN and `fn`'s `final` statement with COMMIT, each pair in one round trip (simple query
   * protocol: a failing statement skips the rest of its string, and the catch rolls back).
   */
  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<{ value: T; final?: string }>, begin = ''): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query(begin ? `BEGIN; ${begin}` : 'BEGIN');
        const { value, final } = await fn(client);
        await client.query(final ? `${final}; COMMIT` : 'COMMIT');
        return value;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true; // the connection is gone; do not return it to the pool
        }
        const code = (err as { code?: unknown })?.code;
        if (attempt < MAX_ATTEMPTS && typeof code === 'string' && RETRYABLE.has(code)) continue;
        throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  /**
   * A prepared-statement name, per schema (the SQL names the schema): node-postgres prepares it
   * once per connection and the server skips parsing and planning afterwards.
   */
  private statementName(what: string): string {
    return `lossscape/${this.schema}/${what}`;
  }

  /** The checkpoint upsert as one literal statement (to go with COMMIT). */
  private checkpointStatement(client: pg.PoolClient, key: string, json: string): string {
    return `INSERT INTO ${this.s}.checkpoints (key, json) VALUES (${client.escapeLiteral(key)}, ${client.escapeLiteral(json)}) ON CONFLICT (key) DO UPDATE SET json = excluded.json`;
  }

  private async knownDimension(): Promise<number | undefined> {
    if (this.dimension === undefined) {
      const { rows } = await this.pool.query<{ value: string }>(`SELECT value FROM ${this.s}.meta WHERE key = 'dimension'`);
      if (rows.length > 0) this.dimension = Number(rows[0].value);
    }
    return this.dimension;
  }

  /** Within a writing transaction: fixes the dimension on the first record, checks it after. */
  private async claimDimension(client: pg.PoolClient, coordinates: Float64Array, name: string): Promise<void> {
    if (this.dimension !== undefined) return;
    await client.query(`INSERT INTO ${this.s}.meta (key, value) VALUES ('dimension', $1) ON CONFLICT (key) DO NOTHING`, [String(coordinates.length)]);
    const { rows } = await client.query<{ value: string }>(`SELECT value FROM ${this.s}.meta WHERE key = 'dimension'`);
    const stored = Number(rows[0].value);
    if (stored !== coordinates.length) {
      throw new LandscapeError(expectedMessage(`Float64Array of length ${stored}`, name, coordinates), 'ERR_DIMENSION_MISMATCH');
    }
  }

  private async findDuplicate(client: pg.PoolClient, table: 'minima' | 'transition_states', energy: number, coordinates: Float64Array, test: DuplicateTest): Promise<number | undefined> {
    const half = energyWindow(energy, test);
    const { rows } = await client.query<{ id: number; coordinates: Buffer }>({
      name: this.statementName(`window-${table}`),
      text: `SELECT id, coordinates FROM ${this.s}.${table} WHERE energy BETWEEN $1 AND $2 ORDER BY abs(energy - $3), id`,
      values: [energy - half, energy + half, energy],
    });
    for (const row of rows) {
      if (!test.same || test.same(decodeFloat64LE(row.coordinates, `record ${row.id} coordinates`), coordinates)) return row.id;
    }
    return undefined;
  }

  async addMinimum(candidate: MinimumCandidate, test: DuplicateTest, options?: AddMinimumOptions): Promise<AddMinimumResult> {
    return this.use('addMinimum', true, async () => {
      checkMinimumCandidate(candidate, await this.knownDimension());
      checkDuplicateTest(test);
      checkAddMinimumOptions(options);
      const locks = windowLocks(`${this.schema}/minima`, candidate.energy, test, this.bucketWidth);
      const result = await this.transaction(async (client) => {
        const match = await this.findDuplicate(client, 'minima', candidate.energy, candidate.coordinates, test);
        let row: MinimumRow;
        if (match === undefined) {
          await this.claimDimension(client, candidate.coordinates, 'candidate.coordinates');
          // The counter's row lock (held to commit) keeps ids dense: a rollback gives the id back.
          // The discovery point is written by the same statement when asked for.
          const discovery = options?.discovery;
          const inserted = await client.query<MinimumRow>({
            name: this.statementName('insert-minimum'),
            text: `WITH c AS (UPDATE ${this.s}.counters SET value = value + 1 WHERE name = 'minima' RETURNING value),
             m AS (INSERT INTO ${this.s}.minima (id, energy, coordinates, rms_gradient, hits, first_step, chain, properties)
                   SELECT value, $1, $2, $3, 1, $4, $5, '{}' FROM c RETURNING *),
             d AS (INSERT INTO ${this.s}.discovery (quenches, distinct_minima, elapsed_ms) SELECT $6::bigint, m.id, $7::float8 FROM m WHERE $8::boolean)
             SELECT * FROM m`,
            values: [
              candidate.energy,
              bytea(candidate.coordinates),
              candidate.rmsGradient,
              candidate.step,
              candidate.chain,
              discovery?.quenches ?? 0,
              discovery?.elapsedMs ?? 0,
              discovery !== undefined,
            ],
          });
          row = inserted.rows[0];
        } else {
          row = (
            await client.query<MinimumRow>({
              name: this.statementName('hit-minimum'),
              text: `UPDATE ${this.s}.minima SET hits = hits + 1 WHERE id = $1 RETURNING *`,
              values: [match],
            })
          ).rows[0];
        }
        const value: AddMinimumResult = { minimum: minimumFromRow(row), isNew: match === undefined };
        const checkpoint = options?.checkpoint;
        const final = checkpoint ? this.checkpointStatement(client, checkpoint.key, toJson(checkpoint.value(value), `checkpoint '${checkpoint.key}'`)) : undefined;
        return { value, final };
      }, lockStatements(locks));
      this.dimension ??= candidate.coordinates.length;
      return result;
    });
  }

  private async upsertCheckpoint(client: pg.Pool | pg.PoolClient, key: string, json: string): Promise<void> {
    await client.query(`INSERT INTO ${this.s}.checkpoints (key, json) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET json = excluded.json`, [key, json]);
  }

  async getMinimum(id: number): Promise<MinimumRecord | undefined> {
    return this.use('getMinimum', false, async () => {
      checkMinimumId('id', id);
      const { rows } = await this.pool.query<MinimumRow>(`SELECT * FROM ${this.s}.minima WHERE id = $1`, [id]);
      return rows.length > 0 ? minimumFromRow(rows[0]) : undefined;
    });
  }

  async minima(): Promise<MinimumRecord[]> {
    return this.use('minima', false, async () => (await this.pool.query<MinimumRow>(`SELECT * FROM ${this.s}.minima ORDER BY id`)).rows.map(minimumFromRow));
  }

  async minimumCount(): Promise<number> {
    return this.use('minimumCount', false, async () => this.counter('minima'));
  }

  private async counter(name: 'minima' | 'transition_states'): Promise<number> {
    // Ids are dense, so the committed counter is the count (no scan).
    const { rows } = await this.pool.query<{ value: number }>(`SELECT value FROM ${this.s}.counters WHERE name = $1`, [name]);
    return rows[0].value;
  }

  async minimaFoundBy(chain: number, fromStep: number, toStep: number): Promise<number[]> {
    return this.use('minimaFoundBy', false, async () => {
      for (const [name, v] of [['chain', chain], ['fromStep', fromStep], ['toStep', toStep]] as const) {
        if (!Number.isInteger(v)) throw new TypeError(expectedMessage('integer', name, v));
      }
      const { rows } = await this.pool.query<{ id: number }>(
        `SELECT id FROM ${this.s}.minima WHERE chain = $1 AND first_step >= $2 AND first_step < $3 ORDER BY id`,
        [chain, fromStep, toStep],
      );
      return rows.map((r) => r.id);
    });
  }

  async updateMinimumProperties(id: number, properties: MinimumProperties): Promise<void> {
    await this.use('updateMinimumProperties', true, async () => {
      checkMinimumId('id', id);
      checkProperties(properties);
      await this.transaction(async (client) => {
        const { rows } = await client.query<{ properties: string }>(`SELECT properties FROM ${this.s}.minima WHERE id = $1 FOR UPDATE`, [id]);
        if (rows.length === 0) throw unknownMinimum('id', id);
        const merged = toJson(mergeProperties(fromJson(rows[0].properties), properties), 'properties');
        await client.query(`UPDATE ${this.s}.minima SET properties = $1 WHERE id = $2`, [merged, id]);
        return { value: undefined };
      });
    });
  }

  async addTransitionState(candidate: TransitionStateCandidate, test: DuplicateTest): Promise<AddTransitionStateResult> {
    return this.use('addTransitionState', true, async () => {
      checkTransitionStateCandidate(candidate, await this.knownDimension());
      checkDuplicateTest(test);
      const locks = windowLocks(`${this.schema}/transition_states`, candidate.energy, test, this.bucketWidth);
      const result = await this.transaction(async (client): Promise<{ value: AddTransitionStateResult }> => {
        const { rows: known } = await client.query<{ id: number }>(`SELECT id FROM ${this.s}.minima WHERE id = ANY($1::integer[])`, [
          [candidate.minimum1, candidate.minimum2],
        ]);
        const ids = new Set(known.map((r) => r.id));
        if (!ids.has(candidate.minimum1)) throw unknownMinimum('candidate.minimum1', candidate.minimum1);
        if (!ids.has(candidate.minimum2)) throw unknownMinimum('candidate.minimum2', candidate.minimum2);
        const match = await this.findDuplicate(client, 'transition_states', candidate.energy, candidate.coordinates, test);
        if (match !== undefined) {
          const { rows } = await client.query<TransitionStateRow>(`SELECT * FROM ${this.s}.transition_states WHERE id = $1`, [match]);
          return { value: { transitionState: transitionStateFromRow(rows[0]), isNew: false } };
        }
        await this.claimDimension(client, candidate.coordinates, 'candidate.coordinates');
        const { rows } = await client.query<TransitionStateRow>(
          `WITH c AS (UPDATE ${this.s}.counters SET value = value + 1 WHERE name = 'transition_states' RETURNING value)
           INSERT INTO ${this.s}.transition_states (id, energy, coordinates, rms_gradient, negative_eigenvalue, lpphe, minimum1, minimum2)
           SELECT value, $1, $2, $3, $4, $5, $6, $7 FROM c RETURNING *`,
          [
            candidate.energy,
            bytea(candidate.coordinates),
            candidate.rmsGradient,
            candidate.negativeEigenvalue,
            candidate.lpphe,
            candidate.minimum1,
            candidate.minimum2,
          ],
        );
        return { value: { transitionState: transitionStateFromRow(rows[0]), isNew: true } };
      }, lockStatements(locks));
      this.dimension ??= candidate.coordinates.length;
      return result;
    });
  }

  async transitionStates(): Promise<TransitionStateRecord[]> {
    return this.use('transitionStates', false, async () =>
      (await this.pool.query<TransitionStateRow>(`SELECT * FROM ${this.s}.transition_states ORDER BY id`)).rows.map(transitionStateFromRow),
    );
  }

  async transitionStateCount(): Promise<number> {
    return this.use('transitionStateCount', false, async () => this.counter('transition_states'));
  }

  async recordConnectionAttempt(minimum1: number, minimum2: number, connected: boolean): Promise<void> {
    await this.use('recordConnectionAttempt', true, async () => {
      checkMinimumId('minimum1', minimum1);
      checkMinimumId('minimum2', minimum2);
      if (typeof connected !== 'boolean') throw new TypeError(`Expected boolean for connected but received ${typeof connected}`);
      await this.pool.query(`INSERT INTO ${this.s}.connection_attempts (minimum1, minimum2, connected) VALUES ($1, $2, $3)`, [minimum1, minimum2, connected]);
    });
  }

  async failedConnections(): Promise<Array<readonly [number, number]>> {
    return this.use('failedConnections', false, async () => {
      const { rows } = await this.pool.query<{ a: number; b: number }>(
        `SELECT least(minimum1, minimum2) AS a, greatest(minimum1, minimum2) AS b FROM ${this.s}.connection_attempts
         GROUP BY 1, 2 HAVING NOT bool_or(connected) ORDER BY 1, 2`,
      );
      return rows.map((r) => [r.a, r.b] as const);
    });
  }

  async recordDiscovery(point: DiscoveryPoint): Promise<void> {
    await this.use('recordDiscovery', true, async () => {
      checkDiscoveryPoint(point);
      await this.pool.query(`INSERT INTO ${this.s}.discovery (quenches, distinct_minima, elapsed_ms) VALUES ($1, $2, $3)`, [
        point.quenches,
        point.distinctMinima,
        point.elapsedMs,
      ]);
    });
  }

  async discoveryCurve(): Promise<DiscoveryPoint[]> {
    return this.use('discoveryCurve', false, async () => {
      const { rows } = await this.pool.query<{ quenches: number; distinct_minima: number; elapsed_ms: number }>(
        `SELECT quenches, distinct_minima, elapsed_ms FROM ${this.s}.discovery ORDER BY id`,
      );
      return rows.map((r) => ({ quenches: r.quenches, distinctMinima: r.distinct_minima, elapsedMs: r.elapsed_ms }));
    });
  }

  async getManifest(): Promise<RunManifest | undefined> {
    return this.use('getManifest', false, async () => {
      const { rows } = await this.pool.query<{ json: string }>(`SELECT json FROM ${this.s}.manifest WHERE id = 1`);
      return rows.length > 0 ? fromJson<RunManifest>(rows[0].json) : undefined;
    });
  }

  async setManifest(manifest: RunManifest): Promise<void> {
    await this.use('setManifest', true, async () => {
      checkManifest(manifest);
      await this.pool.query(`INSERT INTO ${this.s}.manifest (id, json) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET json = excluded.json`, [
        toJson(manifest, 'manifest'),
      ]);
    });
  }

  async saveCheckpoint(key: string, value: unknown): Promise<void> {
    await this.use('saveCheckpoint', true, async () => {
      checkCheckpointKey(key);
      await this.upsertCheckpoint(this.pool, key, toJson(value, `checkpoint '${key}'`));
    });
  }

  async loadCheckpoint<T = unknown>(key: string): Promise<T | undefined> {
    return this.use('loadCheckpoint', false, async () => {
      checkCheckpointKey(key);
      const { rows } = await this.pool.query<{ json: string }>(`SELECT json FROM ${this.s}.checkpoints WHERE key = $1`, [key]);
      return rows.length > 0 ? fromJson<T>(rows[0].json) : undefined;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

// int8 (count, bigint columns) as a JS number: every such value here is far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Creates the schema's tables, or checks those found; one creator at a time (advisory lock). */
async function prepareSchema(pool: pg.Pool, schema: string, readonly: boolean, bucketWidth: number, url: string): Promise<number> {
  const s = `"${schema}"`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (!readonly) await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(`${schema}/create`)]);
    const tables = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    const names = new Set(tables.rows.map((r) => r.name));
    if (names.has('meta')) {
      const { rows } = await client.query<{ key: string; value: string }>(`SELECT key, value FROM ${s}.meta`);
      const meta = new Map(rows.map((r) => [r.key, r.value]));
      await client.query('COMMIT');
      const version = Number(meta.get('schema_version'));
      if (meta.get('application') !== APPLICATION || version !== SCHEMA_VERSION) {
        const what = meta.get('application') !== APPLICATION ? `a schema of another application (${meta.get('application') ?? 'no application key'})` : `schema version ${version}`;
        throw new LandscapeError(`Expected a Lossscape landscape of schema version ${SCHEMA_VERSION} in ${redactUrl(url)} schema ${schema} but received ${what}`, 'ERR_SCHEMA_VERSION');
      }
      return Number(meta.get('bucket_width'));
    }
    if (readonly || names.size > 0) {
      await client.query('ROLLBACK');
      const what = names.size > 0 ? `a schema of another application (tables ${[...names].sort().slice(0, 5).join(', ')})` : 'an empty schema';
      throw new LandscapeError(`Expected a Lossscape landscape of schema version ${SCHEMA_VERSION} in ${redactUrl(url)} schema ${schema} but received ${what}`, 'ERR_SCHEMA_VERSION');
    }
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(ddl(s));
    await client.query(`INSERT INTO ${s}.meta (key, value) VALUES ('application', $1), ('schema_version', $2), ('bucket_width', $3)`, [
      APPLICATION,
      String(SCHEMA_VERSION),
      String(bucketWidth),
    ]);
    await client.query('COMMIT');
    return bucketWidth;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Opens (creating the tables when the schema has none, unless `readonly`) a landscape on
 * PostgreSQL. Rejects with LandscapeError ERR_SCHEMA_VERSION for a schema of another version or
 * application, ERR_DATABASE when the server cannot be reached or refuses.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) throw new TypeError(expectedMessage('a postgres:// connection string', 'url', url));
  if (options === null || typeof options !== 'object') throw new TypeError(expectedMessage('PostgresStoreOptions object', 'options', options));
  const schema = options.schema ?? 'public';
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new TypeError(expectedMessage('a lower-case schema name (letters, digits, _; at most 63)', 'options.schema', schema));
  }
  const poolSize = options.poolSize ?? 4;
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new RangeError(expectedMessage('positive integer', 'options.poolSize', poolSize));
  const bucketWidth = options.bucketWidth ?? DEFAULT_BUCKET_WIDTH;
  if (typeof bucketWidth !== 'number' || !(bucketWidth > 0) || !Number.isFinite(bucketWidth)) {
    throw new RangeError(expectedMessage('positive finite number', 'options.bucketWidth', bucketWidth));
  }
  const readonly = options.readonly ?? false;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    application_name: options.applicationName ?? 'lossscape',
    ...(readonly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle connection that the server drops must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const width = await prepareSchema(pool, schema, readonly, bucketWidth, url);
    return new PostgresLandscapeStore(pool, url, schema, readonly, width);
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw databaseError(url, schema, readonly ? 'opening read-only' : 'opening', cause);
  }
}

// SPDX-License-Identifier: MIT
/**
 * The default LandscapeStore: one embedded SQLite file (better-sqlite3), WAL mode, so a
 * `watch` process can read a live run while the explorer writes.
 *
 * ```ts
 * const store = await openSqliteStore('runs/spiral-ce/landscape.sqlite');
 * try {
 *   await store.addMinimum(candidate, { energyTolerance: 1e-9, same: potential.sameMinimum });
 * } finally {
 *   await store.close();
 * }
 * const watcher = await openSqliteStore('runs/spiral-ce/landscape.sqlite', { readonly: true });
 * ```
 *
 * Schema (version in `PRAGMA user_version`, application id 'LSSP'): minima and
 * transition_states with coordinates as little-endian float64 blobs and an index on energy;
 * connection_attempts, discovery, manifest (one JSON row), checkpoints (JSON by key).
 * Each write is its own transaction (BEGIN IMMEDIATE), so a process killed at any moment
 * leaves every committed minimum and an intact file. The SQL is deliberately plain so that a
 * PostgreSQL backend can implement the same interface.
 *
 * Cost: duplicate lookup is an index range scan on energy plus `same` for each stored point in
 * the window; a commit in WAL mode with synchronous=NORMAL costs tens of microseconds (no
 * fsync per transaction; a crash of the process loses nothing committed, a power cut may
 * lose the last transactions but never corrupts the file).
 */
import Database from 'better-sqlite3';
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

export interface SqliteStoreOptions {
  /** Open an existing database for reading only (e.g. `watch` beside a live run). */
  readonly readonly?: boolean;
  /** Milliseconds to wait for a lock held by another connection (default 5000). */
  readonly busyTimeoutMs?: number;
}

export interface SqliteStore extends LandscapeStore {
  readonly path: string;
  readonly readonly: boolean;
  /** `PRAGMA integrity_check` rows: `['ok']` for an intact file. */
  integrityCheck(): Promise<string[]>;
}

/** 'LSSP' — marks the file as a Lossscape database for `file(1)` and for our own checks. */
export const SQLITE_APPLICATION_ID = 0x4c535350;

const SCHEMA = `
CREATE TABLE minima (
  id INTEGER PRIMARY KEY,
  energy REAL NOT NULL,
  coordinates BLOB NOT NULL,
  rms_gradient REAL,
  hits INTEGER NOT NULL,
  first_step INTEGER NOT NULL,
  chain INTEGER NOT NULL,
  properties TEXT NOT NULL
);
CREATE INDEX minima_energy ON minima (energy);
CREATE TABLE transition_states (
  id INTEGER PRIMARY KEY,
  energy REAL NOT NULL,
  coordinates BLOB NOT NULL,
  rms_gradient REAL,
  negative_eigenvalue REAL,
  lpphe REAL,
  minimum1 INTEGER NOT NULL REFERENCES minima (id),
  minimum2 INTEGER NOT NULL REFERENCES minima (id)
);
CREATE INDEX transition_states_energy ON transition_states (energy);
CREATE TABLE connection_attempts (
  id INTEGER PRIMARY KEY,
  minimum1 INTEGER NOT NULL,
  minimum2 INTEGER NOT NULL,
  connected INTEGER NOT NULL
);
CREATE TABLE discovery (
  id INTEGER PRIMARY KEY,
  quenches INTEGER NOT NULL,
  distinct_minima INTEGER NOT NULL,
  elapsed_ms REAL NOT NULL
);
CREATE TABLE manifest (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  json TEXT NOT NULL
);
CREATE TABLE checkpoints (
  key TEXT PRIMARY KEY,
  json TEXT NOT NULL
);
`;

interface MinimumRow {
  id: number;
  energy: number;
  coordinates: Uint8Array;
  rms_gradient: number | null;
  hits: number;
  first_step: number;
  chain: number;
  properties: string;
}

interface TransitionStateRow {
  id: number;
  energy: number;
  coordinates: Uint8Array;
  rms_gradient: number | null;
  negative_eigenvalue: number | null;
  lpphe: number | null;
  minimum1: number;
  minimum2: number;
}

// SQLite stores NaN as NULL; our records use NaN for "unknown".
const real = (v: number | null): number => (v === null ? NaN : v);

function minimumFromRow(row: MinimumRow): MinimumRecord {
  return {
    id: row.id,
    energy: row.energy,
    coordinates: decodeFloat64LE(row.coordinates, `minimum ${row.id} coordinates`),
    rmsGradient: real(row.rms_gradient),
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
    rmsGradient: real(row.rms_gradient),
    negativeEigenvalue: real(row.negative_eigenvalue),
    lpphe: real(row.lpphe),
    minimum1: row.minimum1,
    minimum2: row.minimum2,
  };
}

function databaseError(path: string, doing: string, cause: unknown): LandscapeError {
  if (cause instanceof LandscapeError) return cause;
  const code = (cause as { code?: unknown })?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new LandscapeError(
    `Expected ${doing} to succeed on SQLite database ${path} but received ${typeof code === 'string' ? `${code}: ` : ''}${message}`,
    'ERR_DATABASE',
    { cause },
  );
}

function prepareStatements(db: Database.Database) {
  return {
    minimaWindow: db.prepare<[number, number, number], { id: number; coordinates: Uint8Array }>(
      'SELECT id, coordinates FROM minima WHERE energy BETWEEN ? AND ? ORDER BY abs(energy - ?), id',
    ),
    insertMinimum: db.prepare(
      'INSERT INTO minima (energy, coordinates, rms_gradient, hits, first_step, chain, properties) VALUES (?, ?, ?, 1, ?, ?, ?)',
    ),
    hitMinimum: db.prepare<[number]>('UPDATE minima SET hits = hits + 1 WHERE id = ?'),
    getMinimum: db.prepare<[number], MinimumRow>('SELECT * FROM minima WHERE id = ?'),
    allMinima: db.prepare<[], MinimumRow>('SELECT * FROM minima ORDER BY id'),
    countMinima: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM minima'),
    minimumProperties: db.prepare<[number], { properties: string }>('SELECT properties FROM minima WHERE id = ?'),
    setProperties: db.prepare<[string, number]>('UPDATE minima SET properties = ? WHERE id = ?'),
    dimension: db.prepare<[], { bytes: number }>(
      'SELECT length(coordinates) AS bytes FROM minima UNION ALL SELECT length(coordinates) FROM transition_states LIMIT 1',
    ),
    tsWindow: db.prepare<[number, number, number], { id: number; coordinates: Uint8Array }>(
      'SELECT id, coordinates FROM transition_states WHERE energy BETWEEN ? AND ? ORDER BY abs(energy - ?), id',
    ),
    insertTs: db.prepare(
      'INSERT INTO transition_states (energy, coordinates, rms_gradient, negative_eigenvalue, lpphe, minimum1, minimum2) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    getTs: db.prepare<[number], TransitionStateRow>('SELECT * FROM transition_states WHERE id = ?'),
    allTs: db.prepare<[], TransitionStateRow>('SELECT * FROM transition_states ORDER BY id'),
    countTs: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM transition_states'),
    insertAttempt: db.prepare<[number, number, number]>('INSERT INTO connection_attempts (minimum1, minimum2, connected) VALUES (?, ?, ?)'),
    failed: db.prepare<[], { a: number; b: number }>(
      'SELECT min(minimum1, minimum2) AS a, max(minimum1, minimum2) AS b FROM connection_attempts GROUP BY a, b HAVING max(connected) = 0 ORDER BY a, b',
    ),
    insertDiscovery: db.prepare<[number, number, number]>('INSERT INTO discovery (quenches, distinct_minima, elapsed_ms) VALUES (?, ?, ?)'),
    discovery: db.prepare<[], { quenches: number; distinct_minima: number; elapsed_ms: number }>(
      'SELECT quenches, distinct_minima, elapsed_ms FROM discovery ORDER BY id',
    ),
    getManifest: db.prepare<[], { json: string }>('SELECT json FROM manifest WHERE id = 1'),
    setManifest: db.prepare<[string]>('INSERT INTO manifest (id, json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json'),
    saveCheckpoint: db.prepare<[string, string]>('INSERT INTO checkpoints (key, json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json'),
    loadCheckpoint: db.prepare<[string], { json: string }>('SELECT json FROM checkpoints WHERE key = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

class SqliteLandscapeStore implements SqliteStore {
  private closed = false;
  private cachedDimension: number | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly sql: Statements,
    readonly path: string,
    readonly readonly: boolean,
  ) {}

  /** Runs `fn` on an open store, turning SQLite failures into LandscapeError ERR_DATABASE. */
  private use<T>(method: string, write: boolean, fn: () => T): T {
    if (this.closed) throw closedError(method);
    if (write && this.readonly) {
      throw new LandscapeError(`Expected a store opened for writing for ${method} but received one opened read-only (${this.path})`, 'ERR_DATABASE');
    }
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof TypeError || cause instanceof RangeError) throw cause;
      throw databaseError(this.path, method, cause);
    }
  }

  private dimension(): number | undefined {
    // A reader beside a live writer must not cache "no records yet".
    if (this.cachedDimension === undefined) {
      const row = this.sql.dimension.get();
      if (row) this.cachedDimension = row.bytes / 8;
    }
    return this.cachedDimension;
  }

  private findDuplicate(window: Statements['minimaWindow'], energy: number, coordinates: Float64Array, test: DuplicateTest): number | undefined {
    const half = energyWindow(energy, test);
    for (const row of window.iterate(energy - half, energy + half, energy)) {
      if (!test.same || test.same(decodeFloat64LE(row.coordinates, `record ${row.id} coordinates`), coordinates)) return row.id;
    }
    return undefined;
  }

  async addMinimum(candidate: MinimumCandidate, test: DuplicateTest, options?: AddMinimumOptions): Promise<AddMinimumResult> {
    return this.use('addMinimum', true, () => {
      checkMinimumCandidate(candidate, this.dimension());
      checkDuplicateTest(test);
      checkAddMinimumOptions(options);
      const run = this.db.transaction((): AddMinimumResult => {
        let id = this.findDuplicate(this.sql.minimaWindow, candidate.energy, candidate.coordinates, test);
        const isNew = id === undefined;
        if (id === undefined) {
          const info = this.sql.insertMinimum.run(
            candidate.energy,
            encodeFloat64LE(candidate.coordinates),
            candidate.rmsGradient,
            candidate.step,
            candidate.chain,
            '{}',
          );
          id = Number(info.lastInsertRowid);
          if (options?.discovery) {
            this.sql.insertDiscovery.run(options.discovery.quenches, this.sql.countMinima.get()!.n, options.discovery.elapsedMs);
          }
        } else {
          this.sql.hitMinimum.run(id);
        }
        const result: AddMinimumResult = { minimum: minimumFromRow(this.sql.getMinimum.get(id)!), isNew };
        if (options?.checkpoint) {
          this.sql.saveCheckpoint.run(options.checkpoint.key, toJson(options.checkpoint.value(result), `checkpoint '${options.checkpoint.key}'`));
        }
        return result;
      });
      const result = run.immediate();
      this.cachedDimension ??= candidate.coordinates.length;
      return result;
    });
  }

  async getMinimum(id: number): Promise<MinimumRecord | undefined> {
    return this.use('getMinimum', false, () => {
      checkMinimumId('id', id);
      const row = this.sql.getMinimum.get(id);
      return row ? minimumFromRow(row) : undefined;
    });
  }

  async minima(): Promise<MinimumRecord[]> {
    return this.use('minima', false, () => this.sql.allMinima.all().map(minimumFromRow));
  }

  async minimumCount(): Promise<number> {
    return this.use('minimumCount', false, () => this.sql.countMinima.get()!.n);
  }

  async updateMinimumProperties(id: number, properties: MinimumProperties): Promise<void> {
    this.use('updateMinimumProperties', true, () => {
      checkMinimumId('id', id);
      checkProperties(properties);
      this.db
        .transaction(() => {
          const row = this.sql.minimumProperties.get(id);
          if (!row) throw unknownMinimum('id', id);
          this.sql.setProperties.run(toJson(mergeProperties(fromJson(row.properties), properties), 'properties'), id);
        })
        .immediate();
    });
  }

  async addTransitionState(candidate: TransitionStateCandidate, test: DuplicateTest): Promise<AddTransitionStateResult> {
    return this.use('addTransitionState', true, () => {
      checkTransitionStateCandidate(candidate, this.dimension());
      checkDuplicateTest(test);
      const result = this.db
        .transaction((): AddTransitionStateResult => {
          if (!this.sql.getMinimum.get(candidate.minimum1)) throw unknownMinimum('candidate.minimum1', candidate.minimum1);
          if (!this.sql.getMinimum.get(candidate.minimum2)) throw unknownMinimum('candidate.minimum2', candidate.minimum2);
          const match = this.findDuplicate(this.sql.tsWindow, candidate.energy, candidate.coordinates, test);
          if (match !== undefined) return { transitionState: transitionStateFromRow(this.sql.getTs.get(match)!), isNew: false };
          const info = this.sql.insertTs.run(
            candidate.energy,
            encodeFloat64LE(candidate.coordinates),
            candidate.rmsGradient,
            candidate.negativeEigenvalue,
            candidate.lpphe,
            candidate.minimum1,
            candidate.minimum2,
          );
          return { transitionState: transitionStateFromRow(this.sql.getTs.get(Number(info.lastInsertRowid))!), isNew: true };
        })
        .immediate();
      this.cachedDimension ??= candidate.coordinates.length;
      return result;
    });
  }

  async transitionStates(): Promise<TransitionStateRecord[]> {
    return this.use('transitionStates', false, () => this.sql.allTs.all().map(transitionStateFromRow));
  }

  async transitionStateCount(): Promise<number> {
    return this.use('transitionStateCount', false, () => this.sql.countTs.get()!.n);
  }

  async recordConnectionAttempt(minimum1: number, minimum2: number, connected: boolean): Promise<void> {
    this.use('recordConnectionAttempt', true, () => {
      checkMinimumId('minimum1', minimum1);
      checkMinimumId('minimum2', minimum2);
      if (typeof connected !== 'boolean') throw new TypeError(`Expected boolean for connected but received ${typeof connected}`);
      this.sql.insertAttempt.run(minimum1, minimum2, connected ? 1 : 0);
    });
  }

  async failedConnections(): Promise<Array<readonly [number, number]>> {
    return this.use('failedConnections', false, () => this.sql.failed.all().map((r) => [r.a, r.b] as const));
  }

  async recordDiscovery(point: DiscoveryPoint): Promise<void> {
    this.use('recordDiscovery', true, () => {
      checkDiscoveryPoint(point);
      this.sql.insertDiscovery.run(point.quenches, point.distinctMinima, point.elapsedMs);
    });
  }

  async discoveryCurve(): Promise<DiscoveryPoint[]> {
    return this.use('discoveryCurve', false, () =>
      this.sql.discovery.all().map((r) => ({ quenches: r.quenches, distinctMinima: r.distinct_minima, elapsedMs: r.elapsed_ms })),
    );
  }

  async getManifest(): Promise<RunManifest | undefined> {
    return this.use('getManifest', false, () => {
      const row = this.sql.getManifest.get();
      return row ? fromJson<RunManifest>(row.json) : undefined;
    });
  }

  async setManifest(manifest: RunManifest): Promise<void> {
    this.use('setManifest', true, () => {
      checkManifest(manifest);
      this.sql.setManifest.run(toJson(manifest, 'manifest'));
    });
  }

  async saveCheckpoint(key: string, value: unknown): Promise<void> {
    this.use('saveCheckpoint', true, () => {
      checkCheckpointKey(key);
      this.sql.saveCheckpoint.run(key, toJson(value, `checkpoint '${key}'`));
    });
  }

  async loadCheckpoint<T = unknown>(key: string): Promise<T | undefined> {
    return this.use('loadCheckpoint', false, () => {
      checkCheckpointKey(key);
      const row = this.sql.loadCheckpoint.get(key);
      return row ? fromJson<T>(row.json) : undefined;
    });
  }

  async integrityCheck(): Promise<string[]> {
    return this.use('integrityCheck', false, () => (this.db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function openDatabase(path: string, options: SqliteStoreOptions): Database.Database {
  const readonly = options.readonly ?? false;
  const db = new Database(path, { readonly, fileMustExist: readonly });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    const application = db.pragma('application_id', { simple: true }) as number;
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
    const fresh = version === 0 && application === 0 && tables === 0;
    if (fresh && !readonly) {
      if (path !== ':memory:' && path !== '') db.pragma('journal_mode = WAL');
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`application_id = ${SQLITE_APPLICATION_ID}`);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    } else if (version !== SCHEMA_VERSION || application !== SQLITE_APPLICATION_ID) {
      const what = fresh
        ? 'an empty database'
        : application !== SQLITE_APPLICATION_ID
          ? `a database of another application (application_id ${application}, user_version ${version})`
          : `schema version ${version}`;
      throw new LandscapeError(`Expected a Lossscape database of schema version ${SCHEMA_VERSION} for ${path} but received ${what}`, 'ERR_SCHEMA_VERSION');
    } else if (!readonly && path !== ':memory:' && path !== '') {
      db.pragma('journal_mode = WAL');
    }
    // NORMAL in WAL mode: no fsync per commit, still never corrupt (see the header comment).
    if (!readonly) db.pragma('synchronous = NORMAL');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens (creating when absent, unless `readonly`) a SQLite landscape database.
 * Rejects with LandscapeError ERR_SCHEMA_VERSION for a file of another schema version or
 * application, ERR_DATABASE when SQLite cannot open or read it.
 */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError(expectedMessage('non-empty file path', 'path', path));
  if (options === null || typeof options !== 'object') throw new TypeError(expectedMessage('SqliteStoreOptions object', 'options', options));
  let db: Database.Database;
  try {
    db = openDatabase(path, options);
  } catch (cause) {
    throw databaseError(path, options.readonly ? 'opening read-only' : 'opening', cause);
  }
  return new SqliteLandscapeStore(db, prepareStatements(db), path, options.readonly ?? false);
}

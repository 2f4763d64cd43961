// SPDX-License-Identifier: MIT
// Distributed exploration on PostgreSQL (`npm run bench -- distributed`), against the built dist:
//  1. minima per minute with 1, 2 and 4 `lossscape worker` processes on one database: the same
//     run each time (LJ clusters, fixed seeds, no reseeding, so every configuration finds exactly
//     the same minima), timed from planning to the last job, workers started and idle before;
//  2. database cost per addMinimum — a new minimum and a hit, with the chain checkpoint in the
//     same transaction as basin-hopping writes it — in memory, SQLite (WAL file) and PostgreSQL
//     (loopback), one writer; and PostgreSQL with 4 concurrent writers.
// Needs a server: LOSSSCAPE_BENCH_PG or LOSSSCAPE_TEST_PG (postgres://…); prints a note and exits
// otherwise. Each configuration runs BENCH_REPEATS times (default 3): min and median. The
// machine has 2 cores and is shared: treat the figures as provisional.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createRng } from '@lossscape/numeric';
import { createMemoryStore, openPostgresStore, openSqliteStore, type LandscapeStore } from '@lossscape/landscape';
// This package's own build, as the bench runner promises (relative: it is this package).
import { latticeStart } from '../dist/distributed/factories.js';
import { planExploration } from '../dist/distributed/plan.js';
import { JobQueue } from '../dist/distributed/queue.js';

const url = process.env.LOSSSCAPE_BENCH_PG ?? process.env.LOSSSCAPE_TEST_PG;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const cli = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
/** BENCH_PARTS=workers or =db runs one half (default both). */
const parts = new Set((process.env.BENCH_PARTS ?? 'workers,db').split(','));

if (!url) {
  console.log('skipped: set LOSSSCAPE_BENCH_PG (or LOSSSCAPE_TEST_PG) to a postgres:// URL of a server this benchmark may create schemas in');
  process.exit(0);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const fmt = (v: number, digits = 3) => (v >= 100 ? v.toFixed(0) : v.toPrecision(digits));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const created: string[] = [];
const settings = (await admin.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')")).rows;
console.log(`load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on this machine competes for its 2 cores)`);
console.log(`PostgreSQL ${settings.find((s) => s.name === 'server_version')?.setting} on loopback; ${settings.filter((s) => s.name !== 'server_version').map((s) => `${s.name}=${s.setting}`).join(', ')}`);

// ── 1. worker processes ──────────────────────────────────────────────────────────────────────

interface Workload {
  readonly atoms: number;
  readonly chains: number;
  readonly steps: number;
  readonly segmentSteps: number;
}
const workloads: Workload[] = [
  { atoms: 13, chains: 8, steps: Number(process.env.BENCH_STEPS ?? 150), segmentSteps: 50 },
  { atoms: 26, chains: 8, steps: Number(process.env.BENCH_STEPS_26 ?? 40), segmentSteps: 20 },
];

function startWorker(schema: string): { proc: ChildProcess; ready: Promise<void> } {
  const proc = spawn(process.execPath, [cli, 'worker', '--db', url!, '--schema', schema, '--json', '--poll', '100', '--maintenance-interval', '5'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((done, fail) => {
    let buffer = '';
    proc.stdout!.on('data', (c: Buffer) => {
      buffer += c.toString();
      if (buffer.includes('"worker-started"')) done();
    });
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGTERM' && code !== 0) fail(new Error(`worker on ${schema} exited with ${code ?? signal}`));
    });
  });
  return { proc, ready };
}

async function pendingOrUnfinished(schema: string, chains: number): Promise<boolean> {
  const jobs = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}_jobs.job WHERE state < 'completed'`);
  const finished = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.checkpoints WHERE key LIKE 'distributed/chain/%/finished'`);
  return Number(jobs.rows[0].n) > 0 || Number(finished.rows[0].n) < chains;
}

async function runOnce(w: Workload, workers: number, round: number): Promise<{ seconds: number; minima: number; quenches: number }> {
  const schema = `bench_dist_${process.pid}_${w.atoms}_${workers}_${round}`;
  created.push(schema);
  const procs = Array.from({ length: workers }, () => startWorker(schema));
  await Promise.all(procs.map((p) => p.ready));
  const store = await openPostgresStore(url!, { schema });
  const queue = await JobQueue.open(url!, { schema, supervise: false });
  const t0 = performance.now();
  await planExploration(
    {
      name: `bench-lj${w.atoms}`,
      potential: { module: 'lossscape:factories', exportName: 'createLennardJonesCluster', args: { atoms: w.atoms, containerRadius: w.atoms <= 13 ? 3 : 4 } },
      starts: Array.from({ length: w.chains }, (_, c) => Array.from(latticeStart(w.atoms, 500 + c))),
      sampling: { steps: w.steps, segmentSteps: w.segmentSteps, temperature: 0.8, stepSize: 0.4, seed: 31, reseedAfter: null },
    },
    store,
    queue,
  );
  while (await pendingOrUnfinished(schema, w.chains)) await sleep(50);
  const seconds = (performance.now() - t0) / 1000;
  const minima = await store.minimumCount();
  await Promise.all([queue.close(), store.close()]);
  for (const p of procs) p.proc.kill('SIGTERM');
  await Promise.all(procs.map((p) => new Promise((r) => p.proc.on('exit', r))));
  return { seconds, minima, quenches: w.chains * w.steps };
}

if (parts.has('workers')) console.log('\n1. Worker processes on one database (same run each time; timed from planning to the last job)');
if (parts.has('workers')) console.log('workload                         workers   wall s (min / median)   minima   minima/min   quenches/s   speed-up');
for (const w of parts.has('workers') ? workloads : []) {
  let base = 0;
  for (const workers of [1, 2, 4]) {
    const runs = [];
    for (let r = 0; r < REPEATS; r++) runs.push(await runOnce(w, workers, r));
    const med = median(runs.map((r) => r.seconds));
    const min = Math.min(...runs.map((r) => r.seconds));
    if (workers === 1) base = med;
    const minima = runs[0].minima;
    if (runs.some((r) => r.minima !== minima)) console.log(`  note: distinct minima differ between rounds: ${runs.map((r) => r.minima).join(', ')}`);
    console.log(
      `LJ${w.atoms}, ${w.chains} chains × ${w.steps} steps (K=${w.segmentSteps})`.padEnd(33) +
        `${workers}`.padStart(7) +
        `${fmt(min)} / ${fmt(med)}`.padStart(24) +
        `${minima}`.padStart(9) +
        `${fmt((minima / med) * 60)}`.padStart(13) +
        `${fmt(runs[0].quenches / med)}`.padStart(13) +
        `${(base / med).toFixed(2)}×`.padStart(11),
    );
  }
}

// ── 2. database cost per stored minimum ────────────────────────────────────────────────────

const dir = mkdtempSync(join(tmpdir(), 'lossscape-bench-db-'));
const CALLS = Number(process.env.BENCH_DB_CALLS ?? 400);

/** µs per addMinimum: `CALLS` new minima, then `CALLS` hits on them, each with a checkpoint. */
async function perCall(open: () => Promise<LandscapeStore>, dimension: number, writers: number): Promise<{ newUs: number; hitUs: number }> {
  const stores = await Promise.all(Array.from({ length: writers }, open));
  const rng = createRng(dimension);
  const energies = Array.from({ length: CALLS }, () => rng.uniformIn(-50, -10));
  const x = new Float64Array(dimension).map(() => rng.uniform());
  const checkpoint = { rng: [1, 2, 3, 4], x: Array.from(x), step: 0, stepSize: 0.4 };
  const add = (store: LandscapeStore, i: number, w: number) =>
    store.addMinimum({ energy: energies[i], coordinates: x, rmsGradient: 1e-11, step: i, chain: w }, { energyTolerance: 1e-9 }, { checkpoint: { key: `chain/${w}`, value: () => ({ ...checkpoint, step: i }) } });
  const phase = async () => {
    const t0 = performance.now();
    await Promise.all(
      stores.map(async (store, w) => {
        for (let i = w; i < CALLS; i += writers) await add(store, i, w);
      }),
    );
    return ((performance.now() - t0) * 1000) / CALLS;
  };
  const newUs = await phase();
  const hitUs = await phase();
  await Promise.all(stores.map((s) => s.close()));
  return { newUs, hitUs };
}

let sqliteFile = 0;
let pgSchema = 0;
/** A fresh database per round; the returned function opens one more connection (store) to it. */
const freshPostgres = async () => {
  const schema = `bench_db_${process.pid}_${++pgSchema}`;
  created.push(schema);
  await (await openPostgresStore(url!, { schema })).close();
  return () => openPostgresStore(url!, { schema, poolSize: 1 });
};
const backends: Array<{ name: string; writers: number; fresh: () => Promise<() => Promise<LandscapeStore>> }> = [
  {
    name: 'memory',
    writers: 1,
    fresh: async () => {
      const store = createMemoryStore();
      return async () => store;
    },
  },
  {
    name: 'SQLite file (WAL, synchronous=NORMAL)',
    writers: 1,
    fresh: async () => {
      const file = join(dir, `b-${++sqliteFile}.sqlite`);
      return () => openSqliteStore(file);
    },
  },
  { name: 'PostgreSQL, 1 writer', writers: 1, fresh: freshPostgres },
  { name: 'PostgreSQL, 4 concurrent writers', writers: 4, fresh: freshPostgres },
];
// The floor under every PostgreSQL figure: one round trip to the server on this machine.
if (parts.has('db')) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) await client.query('SELECT 1');
    times.push(((performance.now() - t0) * 1000) / 500);
  }
  await client.end();
  console.log(`\nPostgreSQL round trip (SELECT 1 on one connection): ${fmt(Math.min(...times))} / ${fmt(median(times))} µs (min / median); addMinimum takes 4 (begin with the locks, window, write, checkpoint with commit)`);
}
if (parts.has('db')) console.log(`\n2. Database cost per addMinimum (${CALLS} new minima, then ${CALLS} hits; checkpoint in the same transaction), µs per call (min / median)`);
if (parts.has('db')) console.log('backend                                   writers   dim     new minimum           hit');
for (const dimension of parts.has('db') ? [39, 332] : []) {
  for (const b of backends) {
    const runs = [];
    for (let r = 0; r < REPEATS; r++) runs.push(await perCall(await b.fresh(), dimension, b.writers));
    const nw = runs.map((r) => r.newUs);
    const hit = runs.map((r) => r.hitUs);
    console.log(
      b.name.padEnd(42) + `${b.writers}`.padStart(7) + `${dimension}`.padStart(6) + `${fmt(Math.min(...nw))} / ${fmt(median(nw))}`.padStart(16) + `${fmt(Math.min(...hit))} / ${fmt(median(hit))}`.padStart(14),
    );
  }
}

for (const s of created) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE; DROP SCHEMA IF EXISTS ${s}_jobs CASCADE`);
await admin.end();
rmSync(dir, { recursive: true, force: true });

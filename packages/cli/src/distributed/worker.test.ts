// SPDX-License-Identifier: MIT
// Planning, worker loops, release on stop and following, in this process, on a PostgreSQL server.
// Runs when LOSSSCAPE_TEST_PG holds a connection string and is reported as skipped otherwise;
// .ci/run starts a server and sets it, so CI always runs it. (Worker processes killed with
// SIGKILL: test/distributed.e2e.test.ts.)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore, openPostgresStore, type PostgresStore } from '@lossscape/landscape';
import { basinHopping, chainCheckpointKey, type ChainCheckpoint, type SamplerEvent } from '@lossscape/sampler';
import { main } from '../main.js';
import { createLennardJonesCluster, latticeStart } from './factories.js';
import { followProgress } from './follow.js';
import { createChainLocks } from './locks.js';
import { planConnections, planExploration } from './plan.js';
import { exploreDistributed } from './session.js';
import { JobQueue, jobId } from './queue.js';
import { chainFinishedKey, type RunSpecInput } from './spec.js';
import { runWorkerLoop, type WorkerEvent } from './worker.js';
import { testContext } from '../test-utils/cli.js';

const pgUrl = process.env.LOSSSCAPE_TEST_PG;
// Under vitest the sources are TypeScript: the factories are addressed by their .ts path.
const factoriesModule = fileURLToPath(new URL('./factories.ts', import.meta.url));
const lj = (atoms: number) => ({ module: factoriesModule, exportName: 'createLennardJonesCluster', args: { atoms, containerRadius: atoms > 7 ? 3 : 2 } });

const schemas: string[] = [];
let counter = 0;
const freshSchema = (prefix: string) => {
  const s = `t_${prefix}_${process.pid}_${++counter}`;
  schemas.push(s);
  return s;
};

function spec(atoms: number, chains: number, steps: number, segmentSteps: number, extra: Partial<RunSpecInput> = {}): RunSpecInput {
  return {
    name: `lj${atoms}`,
    potential: lj(atoms),
    starts: Array.from({ length: chains }, (_, c) => Array.from(latticeStart(atoms, 10 + c))),
    sampling: { steps, segmentSteps, temperature: 0.8, stepSize: 0.4, seed: 99, reseedAfter: null },
    jobs: { leaseSeconds: 30, retryLimit: 3, retryDelaySeconds: 0 },
    ...extra,
  };
}

async function open(schema: string): Promise<{ store: PostgresStore; queue: JobQueue; close: () => Promise<void> }> {
  const store = await openPostgresStore(pgUrl!, { schema });
  const queue = await JobQueue.open(pgUrl!, { schema, supervise: false });
  return { store, queue, close: async () => void (await Promise.all([queue.close(), store.close()])) };
}

const loop = (schema: string, events: WorkerEvent[], extra: Partial<Parameters<typeof runWorkerLoop>[0]> = {}) =>
  runWorkerLoop({ url: pgUrl!, schema, pollIntervalMs: 100, idleExitMs: 1500, maintenanceIntervalSeconds: 1, onEvent: (e) => events.push(e), ...extra });


if (!pgUrl) {
  describe('distributed runs on a server', () => {
    it.skip('needs LOSSSCAPE_TEST_PG (a postgres:// URL); .ci/run sets it', () => undefined);
  });
}

describe.runIf(pgUrl)('distributed runs on a server', () => {
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE; DROP SCHEMA IF EXISTS ${s}_jobs CASCADE`);
    await admin.end();
  });

  it('opens the queue from many processes at once on a fresh schema (one installs at a time)', async () => {
    const schema = freshSchema('install');
    const queues = await Promise.all(Array.from({ length: 4 }, () => JobQueue.open(pgUrl!, { schema, supervise: false })));
    expect((await queues[3].counts()).segment).toEqual({ created: 0, retry: 0, active: 0, completed: 0, failed: 0, cancelled: 0 });
    await Promise.all(queues.map((q) => q.close()));
  });

  it('plans once: planning again resumes, another spec is refused', async () => {
    const schema = freshSchema('plan');
    const { store, queue, close } = await open(schema);
    try {
      const first = await planExploration(spec(7, 3, 30, 10), store, queue);
      expect(first).toEqual({ chains: 3, segments: 9, enqueued: 3, resumed: false });
      expect(await planExploration(spec(7, 3, 30, 10), store, queue)).toEqual({ chains: 3, segments: 9, enqueued: 0, resumed: true });
      await expect(planExploration(spec(7, 3, 40, 10), store, queue)).rejects.toMatchObject({ code: 'ERR_CONFIG', message: expect.stringMatching(/different spec: use another --schema$/) });
      expect((await queue.counts()).segment.created).toBe(3);
      expect(await queue.job('segment', jobId(schema, 'segment', '2:0'))).toMatchObject({ state: 'created' });
    } finally {
      await close();
    }
  });

  it('runs a whole run with two loops while a follower turns it into sampler events', async () => {
    const schema = freshSchema('run');
    const { store, queue, close } = await open(schema);
    try {
      await planExploration(
        spec(7, 2, 30, 10, {
          evaluator: { module: factoriesModule, exportName: 'createHessianEvaluator', args: { potential: lj(7) } },
          connections: { neighbours: 1, maxAttempts: 2 },
        }),
        store,
        queue,
      );
      const events: WorkerEvent[] = [];
      const follow: SamplerEvent[] = [];
      const following = (async () => {
        const f = followProgress(store, queue, { intervalMs: 100 });
        for (;;) {
          const n = await f.next();
          if (n.done) return n.value;
          follow.push(n.value);
        }
      })();
      const [a, b] = await Promise.all([loop(schema, events, { name: 'a' }), loop(schema, events, { name: 'b' })]);
      const summary = await following;
      expect(a.failed + b.failed).toBe(0);
      expect(a.jobs + b.jobs).toBe(events.filter((e) => e.type === 'job-finished').length);
      const minima = await store.minima();
      expect(summary).toMatchObject({ reason: 'done', minima: minima.length, quenches: 60, failedJobs: 0 });
      // Every minimum and every property reported once; each chain's progress and end; run-finished last.
      expect(follow[0]).toMatchObject({ type: 'run-started', chains: 2, steps: 30 });
      expect(follow.filter((e) => e.type === 'minimum-added').map((e) => (e as { minimum: { id: number } }).minimum.id)).toEqual(minima.map((m) => m.id));
      expect(new Set(follow.filter((e) => e.type === 'minimum-properties').map((e) => (e as { minimumId: number }).minimumId)).size).toBe(minima.length);
      expect(follow.filter((e) => e.type === 'chain-finished').map((e) => e.chain).sort()).toEqual([0, 1]);
      expect(follow.some((e) => e.type === 'progress' && e.chain === 1 && e.step === 30)).toBe(true);
      expect(follow.at(-1)).toMatchObject({ type: 'run-finished', distinctMinima: minima.length });
      expect(minima.every((m) => m.properties.index === 0)).toBe(true);
      // The last chain planned the connections: one plan job per chain, at most maxAttempts searches.
      const counts = await queue.counts();
      expect(counts.plan.completed).toBe(2);
      expect(counts.connect.completed).toBeGreaterThanOrEqual(1);
      expect(counts.connect.completed).toBeLessThanOrEqual(2);
      expect(counts.segment).toMatchObject({ completed: 6, failed: 0, created: 0, retry: 0, active: 0 });
      // A finished run planned again enqueues nothing.
      expect((await planExploration(await store.loadCheckpoint('distributed/spec') as RunSpecInput, store, queue)).enqueued).toBe(0);
    } finally {
      await close();
    }
  });

  it('exploreDistributed plans, follows to the end while a worker loop runs, and closes what it opened', async () => {
    const schema = freshSchema('session');
    const events: SamplerEvent[] = [];
    let planned: unknown;
    const worker = loop(schema, [], { idleExitMs: 4000 });
    const follow = exploreDistributed({ url: pgUrl!, schema, spec: spec(7, 1, 20, 10), intervalMs: 100, onPlanned: (p) => (planned = p) });
    for (;;) {
      const n = await follow.next();
      if (n.done) {
        expect(n.value).toMatchObject({ reason: 'done', quenches: 20 });
        break;
      }
      events.push(n.value);
    }
    expect(planned).toEqual({ chains: 1, segments: 2, enqueued: 1, resumed: false });
    expect(events[0].type).toBe('run-started');
    expect(events.at(-1)!.type).toBe('run-finished');
    expect(await worker).toMatchObject({ jobs: 2, failed: 0 });
  });

  it('hands a job back on stop at its last committed step; another loop finishes it as one process would', async () => {
    const schema = freshSchema('release');
    const { store, queue, close } = await open(schema);
    const steps = 60;
    try {
      await planExploration(spec(13, 1, steps, steps, { evaluator: { module: factoriesModule, exportName: 'createHessianEvaluator', args: { potential: lj(13) } } }), store, queue);
      const stop = new AbortController();
      const events: WorkerEvent[] = [];
      const first = loop(schema, events, {
        signal: stop.signal,
        graceMs: 0,
        onEvent: (e) => {
          events.push(e);
          // Stop once the segment has stored its second minimum.
          if (e.type === 'sampler' && e.event.type === 'minimum-added' && e.event.minimum.id === 2) stop.abort();
        },
      });
      expect(await first).toEqual({ jobs: 0, released: 1, failed: 0 });
      expect(events.find((e) => e.type === 'job-released')).toMatchObject({
        kind: 'segment',
        reason: expect.stringMatching(/^stopped at chain 0 step \d+ \(committed; a continuation job resumes there\)$/),
      });
      const partial = (await store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(0)))!;
      expect(partial.step).toBeGreaterThan(0);
      expect(partial.step).toBeLessThan(steps);
      // Handed back without using a retry: done, with a continuation from the committed step.
      const continuation = { chain: 0, fromStep: partial.step, toStep: steps };
      expect(await queue.job('segment', jobId(schema, 'segment', '0:0'))).toMatchObject({ state: 'completed', retryCount: 0, output: { released: true, continuation } });
      expect(await queue.job('segment', jobId(schema, 'segment', `0:${partial.step}`))).toMatchObject({ state: 'created' });

      const second: WorkerEvent[] = [];
      const secondSummary = await loop(schema, second);
      expect(secondSummary).toMatchObject({ released: 0, failed: 0 });
      expect(second.find((e) => e.type === 'job-finished' && e.kind === 'segment')).toMatchObject({ summary: expect.stringMatching(new RegExp(`^chain 0 steps ${partial.step}→${steps}: `)) });
      const done = (await store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(0)))!;
      expect(await store.loadCheckpoint(chainFinishedKey(0))).toEqual({ reason: 'steps', step: steps });

      // The same chain in one go, in memory.
      const reference = createMemoryStore();
      const potential = createLennardJonesCluster(lj(13).args);
      for await (const _ of basinHopping({ potential, x0: latticeStart(13, 10), chain: 0, steps, store: reference, temperature: 0.8, stepSize: 0.4, seed: 99, reseedAfter: Infinity, progressIntervalMs: 3_600_000 })) void _;
      const ref = (await reference.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(0)))!;
      expect({ rng: done.rng, x: done.x, accepted: done.accepted }).toEqual({ rng: ref.rng, x: ref.x, accepted: ref.accepted });
      expect((await store.minima()).map((m) => [m.energy, m.hits])).toEqual((await reference.minima()).map((m) => [m.energy, m.hits]));
      // Minima of the handed-back part got their property jobs too: one job each, all evaluated.
      const minima = await store.minima();
      expect(minima.every((m) => m.properties.index === 0)).toBe(true);
      expect((await queue.counts()).properties.completed).toBe(minima.length);
      expect(secondSummary.jobs).toBe(1 + minima.length); // the continuation and every property job
    } finally {
      await close();
    }
  });

  it('keeps a second worker off a chain another one holds (a job past its lease), waiting for it to let go', async () => {
    const schema = freshSchema('fence');
    const { store, queue, close } = await open(schema);
    const holder = createChainLocks(pgUrl!, schema);
    try {
      await planExploration(spec(7, 1, 10, 10), store, queue);
      expect(await holder.tryLock(0)).toBe(true);
      const events: WorkerEvent[] = [];
      const worker = loop(schema, events, {
        onEvent: (e) => {
          events.push(e);
          // The holder lets go (finishes, or its process dies) while the worker waits.
          if (e.type === 'job-started') setTimeout(() => void holder.unlock(0), 600);
        },
      });
      expect(await worker).toEqual({ jobs: 1, released: 0, failed: 0 });
      const finished = events.find((e) => e.type === 'job-finished') as Extract<WorkerEvent, { type: 'job-finished' }>;
      expect(finished.ms).toBeGreaterThanOrEqual(500);
      expect((await store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(0)))!.step).toBe(10);
    } finally {
      await holder.close();
      await close();
    }
  });

  it('gives the job back for a retry when the chain stays held for half a lease', async () => {
    const schema = freshSchema('fence_long');
    const { store, queue, close } = await open(schema);
    const holder = createChainLocks(pgUrl!, schema);
    try {
      await planExploration(spec(7, 1, 10, 10, { jobs: { leaseSeconds: 2, retryLimit: 3, retryDelaySeconds: 60 } }), store, queue);
      expect(await holder.tryLock(0)).toBe(true);
      const events: WorkerEvent[] = [];
      expect(await loop(schema, events, { idleExitMs: 300 })).toEqual({ jobs: 0, released: 1, failed: 0 });
      expect(events.find((e) => e.type === 'job-released')).toMatchObject({ reason: 'chain 0 is held by another worker (a job past its lease still running)' });
      expect(await store.loadCheckpoint(chainCheckpointKey(0))).toBeUndefined();
      expect(await queue.job('segment', jobId(schema, 'segment', '0:0'))).toMatchObject({ state: 'retry', retryCount: 0 });
    } finally {
      await holder.close();
      await close();
    }
  });

  it('fails a job whose factory cannot load, keeps the reason, and puts it back on request', async () => {
    const schema = freshSchema('fail');
    const { store, queue, close } = await open(schema);
    try {
      await planExploration({ ...spec(7, 1, 10, 10), potential: { module: '/nonexistent/potential.mjs', exportName: 'make' }, jobs: { retryLimit: 0, retryDelaySeconds: 0 } }, store, queue);
      const events: WorkerEvent[] = [];
      expect(await loop(schema, events)).toEqual({ jobs: 0, released: 0, failed: 1 });
      expect(events.find((e) => e.type === 'job-failed')).toMatchObject({ message: expect.stringMatching(/^Expected an importable module for the potential factory but received \/nonexistent\/potential.mjs/) });
      const job = await queue.job('segment', jobId(schema, 'segment', '0:0'));
      expect(job).toMatchObject({ state: 'failed', output: { message: expect.stringMatching(/^Expected an importable module/) } });
      expect(await queue.retryFailed()).toBe(1);
      expect(await queue.job('segment', jobId(schema, 'segment', '0:0'))).toMatchObject({ state: 'retry' });
    } finally {
      await close();
    }
  });

  it('plans connection jobs on demand over the stored minima', async () => {
    const schema = freshSchema('connect');
    const { store, queue, close } = await open(schema);
    try {
      await planExploration(spec(7, 1, 20, 20), store, queue);
      expect(await loop(schema, [])).toMatchObject({ jobs: 1, failed: 0 });
      const n = await store.minimumCount();
      const planned = await planConnections(store, queue, { neighbours: 1, maxAttempts: 50 });
      expect(planned).toBeGreaterThanOrEqual(Math.ceil(n / 2));
      expect(planned).toBeLessThanOrEqual(n);
      expect(await planConnections(store, queue)).toBe(planned); // same pairs, same ids: nothing new
      expect((await queue.counts()).connect.created).toBe(planned);
    } finally {
      await close();
    }
  });

  it('lossscape worker: --status as JSON, --plan from a spec file with generated starts, one-line errors', async () => {
    const schema = freshSchema('cli');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lossscape-worker-cli-'));
    try {
      const file = path.join(dir, 'run.json');
      const { starts: _starts, ...rest } = spec(7, 2, 20, 10);
      await writeFile(file, JSON.stringify({ ...rest, starts: { chains: 2, module: factoriesModule, exportName: 'createLatticeStart', args: { atoms: 7, seed: 3 } } }));
      const planCtx = testContext(dir);
      expect(await main(['worker', '--db', pgUrl!, '--schema', schema, '--plan', 'run.json', '--json'], planCtx)).toBe(0);
      expect(JSON.parse(planCtx.out())).toMatchObject({ schema, chains: 2, segments: 4, enqueued: 2 });
      const statusCtx = testContext(dir);
      expect(await main(['worker', '--db', pgUrl!, '--schema', schema, '--status', '--json'], statusCtx)).toBe(0);
      const status = JSON.parse(statusCtx.out());
      expect(status).toMatchObject({ schema, run: { chains: 2, steps: 20, segmentSteps: 10 }, minima: 0, jobs: { segment: { created: 2 } } });
      expect(status.database).not.toMatch(/:[^:@/]+@/);
      const text = testContext(dir);
      expect(await main(['worker', '--db', pgUrl!, '--schema', schema, '--status'], text)).toBe(0);
      expect(text.out()).toMatch(/run 'lj7': 2 chains × 20 steps, segments of 10/);
      expect(text.out()).toMatch(/^ {2}segment {10}2 {7}0 {7}0 {9}0 {7}0$/m);

      const bad = testContext(dir);
      expect(await main(['worker', '--db', 'runs/x.sqlite'], bad)).toBe(2);
      expect(bad.err()).toBe("lossscape: Expected a postgres:// connection string for --db but received 'runs/x.sqlite' (the worker needs a shared PostgreSQL database)\n");
      const missing = testContext(dir);
      expect(await main(['worker', '--db', pgUrl!, '--schema', schema, '--plan', 'nope.json'], missing)).toBe(2);
      expect(missing.err()).toMatch(/^lossscape: No such file: .*nope\.json\n$/);
      await writeFile(file, JSON.stringify({ ...rest, starts: [[0, 1]], sampling: { ...rest.sampling, steps: -1 } }));
      const invalid = testContext(dir);
      expect(await main(['worker', '--db', pgUrl!, '--schema', freshSchema('cli_bad'), '--plan', 'run.json'], invalid)).toBe(2);
      expect(invalid.err()).toBe("lossscape: run.json: expected a value > 0 for 'sampling.steps' but received -1\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// SPDX-License-Identifier: MIT
/**
 * The job queue of a distributed run: pg-boss 10 (PostgreSQL, `SELECT … FOR UPDATE SKIP LOCKED`
 * hand-out, per-job expiry = lease, retries with delay) in its own schema beside the landscape.
 *
 * Why pg-boss and not graphile-worker: a job here runs for minutes of CPU, and a worker may die
 * with `kill -9`. pg-boss gives every job an expiry (`expireInSeconds`) after which the
 * maintenance pass fails it back to 'retry' — a lease. graphile-worker 0.16 treats a locked
 * job as abandoned only after a fixed 4 hours. pg-boss 10 runs on Node 20 (11 needs Node 22).
 *
 * Jobs get deterministic ids (a UUID from landscape schema, kind and key), and pg-boss inserts
 * with ON CONFLICT DO NOTHING: enqueueing the same job twice — a retried job re-planning its
 * successor, two chains planning the same connection — creates it once.
 *
 * We fetch and complete jobs ourselves (`fetch` / `complete` / `fail`) instead of `work()`, so
 * that one loop serves four queues in priority order and a shutdown can release the job it holds.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { LandscapeError } from '@lossscape/numeric';
import { redactPostgresUrl } from '@lossscape/landscape';
import type { RunSpec } from './spec.js';

/** Job kinds in the order a worker looks for them (cheap, unblocking work first). */
export const JOB_KINDS = ['plan', 'properties', 'segment', 'connect'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** A chain's steps [fromStep, toStep). */
export interface SegmentJob {
  readonly chain: number;
  readonly fromStep: number;
  readonly toStep: number;
}
export interface ConnectJob {
  readonly minimum1: number;
  readonly minimum2: number;
}
export interface PropertiesJob {
  readonly minimum: number;
}
/** Plans connection jobs once every chain has finished (enqueued by each chain's last segment). */
export interface PlanJob {
  readonly after: number;
}
export interface JobData {
  readonly plan: PlanJob;
  readonly properties: PropertiesJob;
  readonly segment: SegmentJob;
  readonly connect: ConnectJob;
}

export type AnyJob = { [K in JobKind]: { readonly kind: K; readonly id: string; readonly data: JobData[K]; readonly retryCount: number } }[JobKind];

export interface JobCounts {
  readonly created: number;
  readonly retry: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
}

export interface JobQueueOptions {
  /** The landscape's schema; the queue lives in `<schema>_jobs` ('lossscape_jobs' for public). */
  readonly schema?: string;
  /** Run pg-boss maintenance (expiring jobs past their lease, archiving) in this process. Default true. */
  readonly supervise?: boolean;
  /** Seconds between maintenance passes (default 30): a dead worker's job is retried within lease + this. */
  readonly maintenanceIntervalSeconds?: number;
  /** Connections of pg-boss's pool (default 2). */
  readonly poolSize?: number;
  /** pg-boss reports errors of its background work here (default: ignored). */
  readonly onError?: (error: Error) => void;
}

/** The queue schema of a landscape schema. */
export function queueSchema(landscapeSchema: string): string {
  const name = landscapeSchema === 'public' ? 'lossscape_jobs' : `${landscapeSchema}_jobs`;
  if (name.length > 50) {
    throw new LandscapeError(`Expected a landscape schema name of at most 45 characters for the job queue but received ${landscapeSchema}`, 'ERR_CONFIG');
  }
  return name;
}

function installLockKey(schema: string): string {
  return createHash('sha256').update(`lossscape/${schema}/install`).digest().readBigInt64BE(0).toString();
}

/** A version-5-style UUID from a name: the same job always gets the same id. */
export function jobId(landscapeSchema: string, kind: JobKind, key: string): string {
  const h = createHash('sha256').update(`lossscape/${landscapeSchema}/${kind}/${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The key that makes a job's id. */
export function jobKey<K extends JobKind>(kind: K, data: JobData[K]): string {
  switch (kind) {
    case 'segment': {
      const d = data as SegmentJob;
      return `${d.chain}:${d.fromStep}`;
    }
    case 'connect': {
      const d = data as ConnectJob;
      return `${Math.min(d.minimum1, d.minimum2)}-${Math.max(d.minimum1, d.minimum2)}`;
    }
    case 'properties':
      return String((data as PropertiesJob).minimum);
    default:
      return String((data as PlanJob).after);
  }
}

type JobSettings = RunSpec['jobs'];

export class JobQueue {
  private closed = false;

  private constructor(
    private readonly boss: PgBoss,
    readonly landscapeSchema: string,
    readonly schema: string,
    readonly url: string,
  ) {}

  /** Connects, creating the queue schema and the four queues when absent. */
  static async open(url: string, options: JobQueueOptions = {}): Promise<JobQueue> {
    const landscapeSchema = options.schema ?? 'public';
    const schema = queueSchema(landscapeSchema);
    const boss = new PgBoss({
      connectionString: url,
      schema,
      max: options.poolSize ?? 2,
      application_name: 'lossscape-queue',
      supervise: options.supervise ?? true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
      schedule: false,
      migrate: true,
    });
    boss.on('error', (error) => options.onError?.(error));
    // Workers starting together on a fresh database would race to create pg-boss's schema and
    // queues (seen as 'deadlock detected'): one installs at a time, under an advisory lock.
    const installer = new pg.Client({ connectionString: url, application_name: 'lossscape-queue-install' });
    try {
      await installer.connect();
      await installer.query('SELECT pg_advisory_lock($1::bigint)', [installLockKey(schema)]);
      await boss.start();
      for (const kind of JOB_KINDS) if (!(await boss.getQueue(kind))) await boss.createQueue(kind, { name: kind, policy: 'standard' });
    } catch (cause) {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new LandscapeError(`Expected to open the job queue (schema ${schema}) on ${redactPostgresUrl(url)} but received ${message}`, 'ERR_DATABASE', { cause });
    } finally {
      await installer.end().catch(() => undefined); // ending the session releases the lock
    }
    return new JobQueue(boss, landscapeSchema, schema, url);
  }

  private options(settings: JobSettings, id: string) {
    return { id, expireInSeconds: settings.leaseSeconds, retryLimit: settings.retryLimit, retryDelay: settings.retryDelaySeconds };
  }

  /** Enqueues one job; false when a job with the same key already exists. */
  async enqueue<K extends JobKind>(kind: K, data: JobData[K], settings: JobSettings): Promise<boolean> {
    const id = jobId(this.landscapeSchema, kind, jobKey(kind, data));
    return (await this.boss.send(kind, data as object, this.options(settings, id))) !== null;
  }

  /** Enqueues many jobs of one kind in one statement (existing keys are skipped). */
  async enqueueMany<K extends JobKind>(kind: K, list: readonly JobData[K][], settings: JobSettings): Promise<void> {
    if (list.length === 0) return;
    await this.boss.insert(
      list.map((data) => ({
        name: kind,
        data: data as object,
        ...this.options(settings, jobId(this.landscapeSchema, kind, jobKey(kind, data))),
      })),
    );
  }

  /** The next job of the first kind that has one, marked active (its lease starts now). */
  async fetchNext(kinds: readonly JobKind[] = JOB_KINDS): Promise<AnyJob | undefined> {
    for (const kind of kinds) {
      const [job] = await this.boss.fetch<JobData[typeof kind]>(kind, { batchSize: 1, includeMetadata: true });
      if (job) return { kind, id: job.id, data: job.data, retryCount: job.retryCount } as AnyJob;
    }
    return undefined;
  }

  /** Marks the job done; a no-op when its lease had expired and it was handed out again. */
  async complete(job: AnyJob, output: object = {}): Promise<void> {
    await this.boss.complete(job.kind, job.id, output);
  }

  /** Gives the job back: it is retried after the spec's delay (one of its retries is used). */
  async fail(job: AnyJob, output: { readonly message: string; readonly released?: boolean }): Promise<void> {
    await this.boss.fail(job.kind, job.id, output);
  }

  /** Jobs per kind and state, archived ones included. */
  async counts(): Promise<Record<JobKind, JobCounts>> {
    const empty = (): JobCounts => ({ created: 0, retry: 0, active: 0, completed: 0, failed: 0, cancelled: 0 });
    const out = Object.fromEntries(JOB_KINDS.map((k) => [k, empty()])) as Record<JobKind, JobCounts>;
    const { rows } = await this.boss
      .getDb()
      .executeSql(
        `SELECT name, state::text AS state, count(*)::int AS n FROM (SELECT name, state FROM ${this.schema}.job UNION ALL SELECT name, state FROM ${this.schema}.archive) j GROUP BY 1, 2`,
        [],
      );
    for (const row of rows as Array<{ name: string; state: keyof JobCounts; n: number }>) {
      const kind = row.name as JobKind;
      if (out[kind] && row.state in out[kind]) out[kind] = { ...out[kind], [row.state]: Number(row.n) };
    }
    return out;
  }

  /** Jobs of one kind that are waiting, waiting to be retried, or running. */
  async pending(kind?: JobKind): Promise<number> {
    const counts = await this.counts();
    const kinds: readonly JobKind[] = kind ? [kind] : JOB_KINDS;
    return kinds.reduce((n, k) => n + counts[k].created + counts[k].retry + counts[k].active, 0);
  }

  /** One job's state and retry count (for tests and status), or undefined. */
  async job(kind: JobKind, id: string): Promise<{ state: string; retryCount: number; output: unknown } | undefined> {
    const job = await this.boss.getJobById(kind, id, { includeArchive: true });
    return job ? { state: job.state, retryCount: job.retryCount, output: job.output } : undefined;
  }

  /** Puts every job that failed for good back in the queue (after fixing the cause). */
  async retryFailed(): Promise<number> {
    let n = 0;
    for (const kind of JOB_KINDS) {
      const { rows } = await this.boss.getDb().executeSql(`SELECT id FROM ${this.schema}.job WHERE name = $1 AND state = 'failed'`, [kind]);
      const ids = (rows as Array<{ id: string }>).map((r) => r.id);
      if (ids.length > 0) await this.boss.retry(kind, ids);
      n += ids.length;
    }
    return n;
  }

  /** Jobs being run now, oldest first. */
  async active(): Promise<Array<{ kind: JobKind; id: string; data: unknown; startedOn: Date; attempt: number }>> {
    const { rows } = await this.boss
      .getDb()
      .executeSql(`SELECT name, id, data, started_on, retry_count FROM ${this.schema}.job WHERE state = 'active' ORDER BY started_on`, []);
    return (rows as Array<{ name: JobKind; id: string; data: unknown; started_on: Date; retry_count: number }>).map((r) => ({
      kind: r.name,
      id: r.id,
      data: r.data,
      startedOn: r.started_on,
      attempt: r.retry_count + 1,
    }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.boss.stop({ graceful: false, wait: true, close: true });
  }
}

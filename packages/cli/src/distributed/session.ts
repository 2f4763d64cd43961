// SPDX-License-Identifier: MIT
/**
 * `explore --distributed` in one call: open the landscape and the queue, plan the run (or
 * resume it), and follow it as sampler events until it is done or `signal` aborts — the workers
 * do the work. Everything opened here is closed when the generator ends, however it ends.
 *
 * ```ts
 * const spec = exploreRunSpec(run, { chains: 8, temperature, stepSize });
 * for await (const event of exploreDistributed({ url, schema: 'spiral_ce', spec, manifest, signal })) dashboard.push(event);
 * ```
 */
import { openPostgresStore, type RunManifest } from '@lossscape/landscape';
import type { SamplerEvent } from '@lossscape/sampler';
import { followProgress, type FollowSummary } from './follow.js';
import { planExploration, type PlanResult } from './plan.js';
import { JobQueue } from './queue.js';
import type { RunSpec, RunSpecInput } from './spec.js';

export interface DistributedExploreOptions {
  /** postgres:// connection string. */
  readonly url: string;
  /** The run's schema (default 'public'). */
  readonly schema?: string;
  readonly spec: RunSpec | RunSpecInput;
  /** Stored when the landscape has none yet. */
  readonly manifest?: RunManifest;
  /** Stops following (the run goes on on the workers). */
  readonly signal?: AbortSignal;
  /** Poll interval of the follower (default 1000 ms). */
  readonly intervalMs?: number;
  /** Called once planned: how many chains and jobs, and whether the run was resumed. */
  readonly onPlanned?: (result: PlanResult) => void;
}

export async function* exploreDistributed(options: DistributedExploreOptions): AsyncGenerator<SamplerEvent, FollowSummary> {
  const schema = options.schema ?? 'public';
  const store = await openPostgresStore(options.url, { schema, poolSize: 2, applicationName: 'lossscape-explore' });
  let queue: JobQueue | undefined;
  try {
    // This process also runs the queue's maintenance, so expired leases are noticed even
    // while few workers are up.
    queue = await JobQueue.open(options.url, { schema });
    const planned = await planExploration(options.spec, store, queue, options.manifest ? { manifest: options.manifest } : {});
    options.onPlanned?.(planned);
    return yield* followProgress(store, queue, { signal: options.signal, intervalMs: options.intervalMs });
  } finally {
    await Promise.allSettled([queue?.close(), store.close()]);
  }
}

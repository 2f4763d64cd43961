// SPDX-License-Identifier: MIT
/**
 * Planning a distributed run: store the spec in the landscape and enqueue the first segment of
 * every chain. Segments plan their successors, so the run goes on without the planner; planning
 * again (after a crash of everything, or from another machine) is harmless: the same jobs have
 * the same ids.
 *
 * ```ts
 * const store = await openPostgresStore(url, { schema });
 * const queue = await JobQueue.open(url, { schema });
 * await planExploration(spec, store, queue);
 * for await (const event of followProgress(store, queue)) dashboard.push(event);
 * ```
 */
import { LandscapeError, type Potential } from '@lossscape/numeric';
import type { PostgresStore, RunManifest } from '@lossscape/landscape';
import { chainCheckpointKey, type ChainCheckpoint } from '@lossscape/sampler';
import { choosePairs, pairsToSkip } from './jobs.js';
import { loadFactory } from './modules.js';
import type { JobQueue } from './queue.js';
import { RUN_SPEC_KEY, chainCount, chainFinishedKey, parseRunSpec, type ConnectionsSpec, type RunSpec, type RunSpecInput } from './spec.js';

export interface PlanResult {
  readonly chains: number;
  /** Segment jobs in the whole run (chains × ⌈steps / segmentSteps⌉). */
  readonly segments: number;
  /** First segments enqueued now (0 for chains already queued or finished). */
  readonly enqueued: number;
  /** True when the landscape already held this run (planning again resumes it). */
  readonly resumed: boolean;
}

export interface PlanOptions {
  /** Stored when the landscape has no manifest yet. */
  readonly manifest?: RunManifest;
}

// Stable JSON for comparing specs (the store keeps non-finite numbers, JSON.stringify does not).
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v)
      ? String(v)
      : v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
  );
}

/**
 * Stores the run spec (or checks that the landscape holds the same one) and enqueues, for each
 * unfinished chain, the segment that contains its checkpoint's step. Rejects with
 * LandscapeError ERR_CONFIG when the landscape holds a different run.
 */
export async function planExploration(input: RunSpec | RunSpecInput, store: PostgresStore, queue: JobQueue, options: PlanOptions = {}): Promise<PlanResult> {
  const spec = parseRunSpec(input);
  const existing = await store.loadCheckpoint(RUN_SPEC_KEY);
  const resumed = existing !== undefined;
  if (resumed && canonical(parseRunSpec(existing, 'the stored run spec')) !== canonical(spec)) {
    throw new LandscapeError(
      `Expected the run already planned in schema ${store.schema} ('${(existing as { name?: string }).name}') or an empty schema for run '${spec.name}' but received a different spec: use another --schema`,
      'ERR_CONFIG',
    );
  }
  if (!resumed) await store.saveCheckpoint(RUN_SPEC_KEY, spec);
  if (options.manifest && !(await store.getManifest())) await store.setManifest(options.manifest);

  const k = spec.sampling.segmentSteps;
  const chains = chainCount(spec);
  let enqueued = 0;
  for (let chain = 0; chain < chains; chain++) {
    if (await store.loadCheckpoint(chainFinishedKey(chain))) continue;
    const step = (await store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(chain)))?.step ?? 0;
    // Segments start at multiples of K, so this is the key of the segment holding `step` (or
    // of the last one, when the chain reached its end but died before marking it).
    const fromStep = Math.min(Math.floor(step / k), Math.floor((spec.sampling.steps - 1) / k)) * k;
    const toStep = Math.min(fromStep + k, spec.sampling.steps);
    if (await queue.enqueue('segment', { chain, fromStep, toStep }, spec.jobs)) enqueued++;
  }
  return { chains, segments: chains * Math.ceil(spec.sampling.steps / k), enqueued, resumed };
}

/**
 * Plans connection jobs now, over the minima stored so far (each with its nearest neighbours),
 * instead of waiting for the run's chains. With `connections`, also stores them in the spec,
 * so workers use its search options. Returns the number of pairs enqueued.
 */
export async function planConnections(store: PostgresStore, queue: JobQueue, connections?: Partial<ConnectionsSpec>): Promise<number> {
  const stored = await store.loadCheckpoint(RUN_SPEC_KEY);
  if (stored === undefined) throw new LandscapeError(`Expected a planned run in schema ${store.schema} for planConnections but received none`, 'ERR_CONFIG');
  let spec = parseRunSpec(stored, 'the stored run spec');
  if (connections) {
    spec = parseRunSpec({ ...spec, connections: { ...spec.connections, ...connections } });
    await store.saveCheckpoint(RUN_SPEC_KEY, spec);
  }
  if (!spec.connections) throw new LandscapeError(`Expected connection settings in the run spec of schema ${store.schema} but received none`, 'ERR_CONFIG');
  const potential = (await loadFactory(spec.potential, 'potential')) as Potential;
  const pairs = choosePairs(potential, await store.minima(), { ...spec.connections, skip: await pairsToSkip(store) });
  await queue.enqueueMany('connect', pairs.map(([minimum1, minimum2]) => ({ minimum1, minimum2 })), spec.jobs);
  return pairs.length;
}

// SPDX-License-Identifier: MIT
/**
 * Connecting minima of a LandscapeStore by transition states, as PATHSAMPLE drives OPTIM:
 * - 'missing-connection': repeatedly take the cheapest path (Dijkstra) from the first target
 *   minimum to a target not yet in its component, over weights 0 for pairs joined by a stored
 *   transition state, ∞ for pairs whose searches failed (store.failedConnections()), and the
 *   (squared) symmetry-aligned distance otherwise; run a double-ended search for each missing
 *   link on it; stop when every target is connected or the budget is spent;
 * - 'grow': connect each minimum (the queue grows as searches find new minima) to its nearest
 *   neighbours.
 * Every search stores the transition states it finds and any new minima they lead to.
 *
 * ```ts
 * for await (const event of connect(potential, store, { strategy: { kind: 'missing-connection', minima: [1, 7] }, eigenSolver })) {
 *   if (event.type === 'transition-state-added') console.log(event.transitionState);
 * }
 * ```
 * Cost: each attempt is one findTransitionState (see there); the Dijkstra search evaluates up to
 * N² distances for N stored minima, cached for the whole run.
 */
import {
  LandscapeError,
  TOL,
  expectedMessage,
  requireInteger,
  type Potential,
} from '@lossscape/numeric';
import type { DuplicateTest, LandscapeStore, MinimumRecord } from '@lossscape/landscape';
import type { SamplerEvent, StopReason } from '../events.js';
import { findTransitionState, type TransitionStateOptions } from '../transition/find-transition-state.js';
import { componentsOf, missingConnectionPath } from './graph.js';

export type ConnectStrategy =
  | {
      readonly kind: 'missing-connection';
      /** Minimum ids to join into one component (at least two; the first is the hub). */
      readonly minima: readonly number[];
    }
  | {
      readonly kind: 'grow';
      /** Nearest neighbours each minimum is connected to. Default 3. */
      readonly neighbours?: number;
      /** Minima to start from (default: all stored minima); new minima join the queue. */
      readonly minima?: readonly number[];
      /** Skip neighbours already in the same component. Default true. */
      readonly skipConnected?: boolean;
    };

export interface ConnectOptions extends TransitionStateOptions {
  readonly strategy: ConnectStrategy;
  /** Largest number of double-ended searches. Default 50. */
  readonly maxAttempts?: number;
  /** Dijkstra weight of an untried pair: 'squared-distance' (default, as PATHSAMPLE) or 'distance'. */
  readonly weight?: 'squared-distance' | 'distance';
  /**
   * How a minimum found by a search is matched to stored ones. Default: energy within
   * TOL.DUPLICATE_ENERGY (relative) and `potential.sameMinimum` when present (else energy alone,
   * as GMIN and the basin-hopping sink do).
   */
  readonly duplicateTest?: DuplicateTest;
  /** The same for transition states. Default as for minima. */
  readonly transitionStateDuplicateTest?: DuplicateTest;
}

export interface ConnectSummary {
  readonly reason: StopReason;
  readonly attempts: number;
  readonly successfulAttempts: number;
  readonly minimaAdded: number;
  readonly transitionStatesAdded: number;
  /** For 'missing-connection': whether all targets ended in one component. */
  readonly connected: boolean;
}

export interface PairAttempt {
  readonly connected: boolean;
  readonly transitionStatesFound: number;
  readonly minimaAdded: number;
  readonly transitionStatesAdded: number;
}

function defaultDuplicateTest(potential: Potential): DuplicateTest {
  return potential.sameMinimum
    ? { energyTolerance: TOL.DUPLICATE_ENERGY, same: (a, b) => potential.sameMinimum!(a, b) }
    : { energyTolerance: TOL.DUPLICATE_ENERGY };
}

function euclidean(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** Symmetry-aligned distance when the potential offers it. */
export function minimumDistance(potential: Potential, a: Float64Array, b: Float64Array): number {
  return potential.alignedDistance ? potential.alignedDistance(a, b) : euclidean(a, b);
}

/**
 * One double-ended search between two stored minima: stores what it finds and yields
 * minimum-added, transition-state-added, warning and finally connection-attempt events.
 * `connected` is true when the transition states found join the two minima (directly or
 * through minima found on the way).
 */
export async function* connectPair(
  potential: Potential,
  store: LandscapeStore,
  minimum1: number,
  minimum2: number,
  options: Omit<ConnectOptions, 'strategy'> = {},
  clock: () => number = (() => {
    const t0 = performance.now();
    return () => performance.now() - t0;
  })(),
): AsyncGenerator<SamplerEvent, PairAttempt> {
  const [a, b] = await Promise.all([store.getMinimum(minimum1), store.getMinimum(minimum2)]);
  if (!a) throw new LandscapeError(expectedMessage('the id of a stored minimum', 'minimum1', minimum1), 'ERR_INVALID_ARGUMENT');
  if (!b) throw new LandscapeError(expectedMessage('the id of a stored minimum', 'minimum2', minimum2), 'ERR_INVALID_ARGUMENT');
  const minTest = options.duplicateTest ?? defaultDuplicateTest(potential);
  const tsTest = options.transitionStateDuplicateTest ?? minTest;
  const base = { chain: -1 } as const;

  const search = findTransitionState(potential, a.coordinates, b.coordinates, options);
  for (const r of search.rejected) {
    yield { ...base, elapsedMs: clock(), type: 'warning', code: 'ERR_NOT_CONVERGED', message: `search ${minimum1}–${minimum2}, band image ${r.image}: ${r.reason}` };
  }
  let minimaAdded = 0;
  let transitionStatesAdded = 0;
  const edges: Array<{ minimum1: number; minimum2: number }> = [];
  for (const ts of search.transitionStates) {
    if (!ts.minus.converged || !ts.plus.converged) {
      const bad = !ts.minus.converged ? ts.minus : ts.plus;
      yield {
        ...base,
        elapsedMs: clock(),
        type: 'warning',
        code: 'ERR_NOT_CONVERGED',
        message: `transition state at ${ts.energy} left unstored: the quench from one side ended '${bad.message}' at RMS gradient ${bad.rmsGradient}`,
      };
      continue;
    }
    const ids: number[] = [];
    for (const side of [ts.minus, ts.plus]) {
      const added = await store.addMinimum({ energy: side.energy, coordinates: side.x, rmsGradient: side.rmsGradient, step: 0, chain: -1 }, minTest);
      ids.push(added.minimum.id);
      if (added.isNew) {
        minimaAdded++;
        yield {
          ...base,
          elapsedMs: clock(),
          type: 'minimum-added',
          step: 0,
          minimum: { id: added.minimum.id, energy: added.minimum.energy },
          distinctMinima: await store.minimumCount(),
        };
      }
    }
    const [m1, m2] = ids[0] <= ids[1] ? ids : [ids[1], ids[0]];
    const stored = await store.addTransitionState(
      { energy: ts.energy, coordinates: ts.coordinates, rmsGradient: ts.rmsGradient, negativeEigenvalue: ts.eigenvalue, lpphe: ts.lpphe, minimum1: m1, minimum2: m2 },
      tsTest,
    );
    edges.push({ minimum1: m1, minimum2: m2 });
    if (stored.isNew) {
      transitionStatesAdded++;
      const t = stored.transitionState;
      yield {
        ...base,
        elapsedMs: clock(),
        type: 'transition-state-added',
        transitionState: { id: t.id, energy: t.energy, minimum1: t.minimum1, minimum2: t.minimum2 },
        transitionStates: await store.transitionStateCount(),
      };
    }
  }
  const connected = componentsOf(edges).same(minimum1, minimum2);
  await store.recordConnectionAttempt(minimum1, minimum2, connected);
  yield {
    ...base,
    elapsedMs: clock(),
    type: 'connection-attempt',
    minimum1,
    minimum2,
    connected,
    transitionStatesFound: search.transitionStates.length,
    message: connected
      ? `connected by ${edges.length} transition state(s)`
      : search.transitionStates.length > 0
        ? `${search.transitionStates.length} transition state(s) found, none joining ${minimum1} and ${minimum2}`
        : `no transition state found (${search.rejected.length} band maxima rejected)`,
  };
  return { connected, transitionStatesFound: search.transitionStates.length, minimaAdded, transitionStatesAdded };
}

function validate(store: LandscapeStore, options: ConnectOptions): void {
  if (store === null || typeof store !== 'object' || typeof store.minima !== 'function') {
    throw new TypeError(expectedMessage('a LandscapeStore', 'store', store));
  }
  const s = options?.strategy;
  const kind: unknown = (s as { kind?: unknown } | undefined)?.kind;
  if (kind !== 'missing-connection' && kind !== 'grow') {
    throw new LandscapeError(expectedMessage("strategy of kind 'missing-connection' or 'grow'", 'strategy.kind', kind), 'ERR_INVALID_ARGUMENT');
  }
  if (s.kind === 'missing-connection') {
    if (!Array.isArray(s.minima) || s.minima.length < 2) {
      throw new LandscapeError(expectedMessage('at least two minimum ids', 'strategy.minima', s.minima), 'ERR_INVALID_ARGUMENT');
    }
    s.minima.forEach((id, i) => requireInteger(`strategy.minima[${i}]`, id, 1));
  } else if (s.neighbours !== undefined) requireInteger('strategy.neighbours', s.neighbours, 1);
  if (options.maxAttempts !== undefined) requireInteger('maxAttempts', options.maxAttempts, 0);
  if (options.weight !== undefined && options.weight !== 'squared-distance' && options.weight !== 'distance') {
    throw new LandscapeError(expectedMessage("'squared-distance' or 'distance'", 'weight', options.weight), 'ERR_INVALID_ARGUMENT');
  }
}

/**
 * Runs the connection strategy over `store`, yielding typed events (chain −1) and returning a
 * summary; the last event is run-finished with the stop reason: 'connected' (targets joined),
 * 'budget' (maxAttempts spent, or no untried path left), 'steps' ('grow' only: every queued
 * minimum was offered to its neighbours) or 'aborted'. Bad arguments reject the first `next()`.
 */
export async function* connect(potential: Potential, store: LandscapeStore, options: ConnectOptions): AsyncGenerator<SamplerEvent, ConnectSummary> {
  validate(store, options);
  const t0 = performance.now();
  const clock = (): number => performance.now() - t0;
  const maxAttempts = options.maxAttempts ?? 50;
  const squared = (options.weight ?? 'squared-distance') === 'squared-distance';
  const distances = new Map<string, number>();
  const coords = new Map<number, Float64Array>();
  const coordinatesOf = async (id: number): Promise<Float64Array> => {
    let c = coords.get(id);
    if (!c) {
      const m = await store.getMinimum(id);
      if (!m) throw new LandscapeError(expectedMessage('the id of a stored minimum', 'minimum', id), 'ERR_INVALID_ARGUMENT');
      coords.set(id, (c = m.coordinates));
    }
    return c;
  };
  const distanceOf = (a: number, b: number): number => {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    let d = distances.get(key);
    if (d === undefined) {
      d = minimumDistance(potential, coords.get(a)!, coords.get(b)!);
      distances.set(key, d);
    }
    return d;
  };

  let attempts = 0;
  let successes = 0;
  let minimaAdded = 0;
  let transitionStatesAdded = 0;
  const finish = async function* (reason: StopReason, connected: boolean): AsyncGenerator<SamplerEvent, ConnectSummary> {
    yield {
      type: 'run-finished',
      chain: -1,
      elapsedMs: clock(),
      reason,
      totalQuenches: 0,
      distinctMinima: await store.minimumCount(),
      transitionStates: await store.transitionStateCount(),
    };
    return { reason, attempts, successfulAttempts: successes, minimaAdded, transitionStatesAdded, connected };
  };
  const fresh: number[] = [];
  const attempt = async function* (m1: number, m2: number): AsyncGenerator<SamplerEvent, void> {
    attempts++;
    const pair = connectPair(potential, store, m1, m2, options, clock);
    let step = await pair.next();
    while (!step.done) {
      if (step.value.type === 'minimum-added') fresh.push(step.value.minimum.id);
      yield step.value;
      step = await pair.next();
    }
    const result = step.value;
    if (result.connected) successes++;
    minimaAdded += result.minimaAdded;
    transitionStatesAdded += result.transitionStatesAdded;
  };

  const strategy = options.strategy;
  if (strategy.kind === 'missing-connection') {
    const targets = strategy.minima;
    for (const id of targets) await coordinatesOf(id);
    for (;;) {
      const ts = await store.transitionStates();
      const components = componentsOf(ts);
      const pending = targets.filter((t) => !components.same(t, targets[0]));
      if (pending.length === 0) return yield* finish('connected', true);
      if (options.signal?.aborted) return yield* finish('aborted', false);
      if (attempts >= maxAttempts) return yield* finish('budget', false);
      const minima: MinimumRecord[] = await store.minima();
      for (const m of minima) if (!coords.has(m.id)) coords.set(m.id, m.coordinates);
      const direct = new Set(ts.map((t) => (t.minimum1 < t.minimum2 ? `${t.minimum1}:${t.minimum2}` : `${t.minimum2}:${t.minimum1}`)));
      const failed = new Set((await store.failedConnections()).map(([p, q]) => `${p}:${q}`));
      const weight = (p: number, q: number): number => {
        const key = p < q ? `${p}:${q}` : `${q}:${p}`;
        if (direct.has(key)) return 0;
        if (failed.has(key)) return Infinity;
        const d = distanceOf(p, q);
        // A tiny floor keeps untried links strictly costlier than stored connections.
        return Math.max(squared ? d * d : d, Number.MIN_VALUE);
      };
      const route = missingConnectionPath(
        minima.map((m) => m.id),
        weight,
        targets[0],
        pending[0],
      );
      if (!route || route.missing.length === 0) {
        yield {
          type: 'warning',
          chain: -1,
          elapsedMs: clock(),
          code: 'ERR_NOT_CONVERGED',
          message: `no untried path joins minima ${targets[0]} and ${pending[0]}: every remaining link has failed`,
        };
        return yield* finish('budget', false);
      }
      for (const [p, q] of route.missing) {
        if (attempts >= maxAttempts || options.signal?.aborted) break;
        yield* attempt(p, q);
      }
    }
  }

  // 'grow': nearest neighbours of each queued minimum; minima found on the way join the queue.
  const k = strategy.neighbours ?? 3;
  const skipConnected = strategy.skipConnected ?? true;
  const queue: number[] = strategy.minima ? [...strategy.minima] : (await store.minima()).map((m) => m.id);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    const minima = await store.minima();
    for (const m of minima) if (!coords.has(m.id)) coords.set(m.id, m.coordinates);
    await coordinatesOf(id);
    const neighbours = minima
      .filter((m) => m.id !== id)
      .map((m) => ({ id: m.id, d: distanceOf(id, m.id) }))
      .sort((p, q) => p.d - q.d || p.id - q.id)
      .slice(0, k);
    for (const nb of neighbours) {
      if (options.signal?.aborted) return yield* finish('aborted', false);
      if (attempts >= maxAttempts) return yield* finish('budget', false);
      const ts = await store.transitionStates();
      const directly = ts.some((t) => (t.minimum1 === id && t.minimum2 === nb.id) || (t.minimum1 === nb.id && t.minimum2 === id));
      const lo = Math.min(id, nb.id);
      const hi = Math.max(id, nb.id);
      const failed = (await store.failedConnections()).some(([p, q]) => p === lo && q === hi);
      if (directly || failed || (skipConnected && componentsOf(ts).same(id, nb.id))) continue;
      yield* attempt(id, nb.id);
      queue.push(...fresh.splice(0));
    }
  }
  // Every queued minimum has been offered to its neighbours.
  return yield* finish('steps', false);
}

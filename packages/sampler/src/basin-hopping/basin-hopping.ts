// SPDX-License-Identifier: MIT
/**
 * Basin-hopping (Li & Scheraga; Wales & Doye) on any Potential, one chain in this thread,
 * as an async iterable of typed events (STYLE R12): nothing is printed, a dashboard or a log
 * follows the stream.
 *
 * ```ts
 * import { basinHopping } from '@lossscape/sampler';
 * for await (const event of basinHopping({ potential, x0, steps: 2000, temperature: 1, stepSize: 0.4, seed: 1 })) {
 *   if (event.type === 'minimum-added') console.log(event.minimum.id, event.minimum.energy);
 * }
 * ```
 *
 * Per step: perturb the current minimum (uniform in ±stepSize per coordinate), quench with
 * L-BFGS (or the injected `minimize`), offer a converged quench to the store (duplicate
 * detection and hit counting happen there, in one transaction with this chain's checkpoint),
 * then Metropolis at the fictitious temperature. Failed quenches are never stored nor
 * accepted; they raise a warning. Every new minimum goes through the injected evaluator.
 *
 * The event stream is pull-driven: the chain advances only as fast as the consumer reads,
 * and each quench runs synchronously on this thread. For a responsive UI or several chains,
 * use `runChains`, which quenches in worker threads.
 *
 * Deterministic: the same seed, settings, potential and minimiser give the same sequence of
 * minima (time budgets aside, which stop at a wall-clock moment).
 */
import { LandscapeError, type Potential } from '@lossscape/numeric';
import { createMemoryStore, type LandscapeStore } from '@lossscape/landscape';
import type { SamplerEvent, StopReason } from '../events.js';
import { lbfgs } from '../optimize/lbfgs.js';
import type { Minimize } from '../optimize/result.js';
import { Chain, applyNovelty, chainRng, initialCheckpoint, type ChainCheckpoint, type ChainSettings } from './chain.js';
import { evaluateAndStore, unevaluatedMinima } from './evaluate.js';
import {
  duplicateTest,
  requirePotential,
  requireStart,
  resolveSampling,
  type RandomPoint,
  type SamplingOptions,
} from './options.js';

export interface BasinHoppingOptions extends SamplingOptions {
  readonly potential: Potential;
  readonly x0: Float64Array;
  /** Default `lbfgs` with `minimizeOptions`. */
  readonly minimize?: Minimize;
  /** This chain's index: selects the Rng stream and the checkpoint key (default 0). */
  readonly chain?: number;
  /** Fresh random point for a reseed; default x0 + uniform noise in ±reseedScale. */
  readonly randomPoint?: RandomPoint;
}

export interface BasinHoppingSummary {
  readonly reason: StopReason;
  /** Steps this chain has done, including those before a resume. */
  readonly steps: number;
  readonly totalQuenches: number;
  readonly distinctMinima: number;
  readonly bestEnergy: number;
  /** The store the minima went to (the one created when none was given). */
  readonly store: LandscapeStore;
}

/** Checkpoint key of chain `chain` in the store. */
export function chainCheckpointKey(chain: number): string {
  return `basin-hopping/chain/${chain}`;
}

/** Checks a stored checkpoint before trusting it. */
export function requireCheckpoint(value: unknown, chain: number, dimension: number): ChainCheckpoint {
  const c = value as ChainCheckpoint;
  const ok =
    c !== null &&
    typeof c === 'object' &&
    c.version === 1 &&
    c.chain === chain &&
    c.dimension === dimension &&
    Number.isInteger(c.step) &&
    Array.isArray(c.rng) &&
    (c.x === null || (Array.isArray(c.x) && c.x.length === dimension));
  if (!ok) {
    throw new LandscapeError(
      `Expected a version-1 checkpoint of chain ${chain} with dimension ${dimension} for resume but received ${JSON.stringify(value)?.slice(0, 120)}`,
      'ERR_DATABASE',
    );
  }
  return c;
}

/** Stop reason before the next step, or undefined to go on. */
export function stopReason(
  state: ChainCheckpoint,
  limits: { steps: number; timeBudgetMs: number; stopAfterNoNewMinima: number },
  elapsedMs: number,
  signal: AbortSignal | undefined,
): StopReason | undefined {
  if (signal?.aborted) return 'aborted';
  if (state.step >= limits.steps) return 'steps';
  if (elapsedMs >= limits.timeBudgetMs) return 'time';
  if (state.sinceNew >= limits.stopAfterNoNewMinima) return 'stagnation';
  return undefined;
}

/**
 * Runs one basin-hopping chain. Invalid options reject the first `next()` (TypeError,
 * RangeError or LandscapeError); the generator's return value is a `BasinHoppingSummary`.
 */
export async function* basinHopping(options: BasinHoppingOptions): AsyncGenerator<SamplerEvent, BasinHoppingSummary> {
  const resolved = resolveSampling(options);
  const potential = requirePotential(options.potential);
  const x0 = Float64Array.from(requireStart(options.x0, potential.dimension));
  const chain = options.chain ?? 0;
  if (!Number.isInteger(chain) || chain < 0) throw new RangeError(`Expected non-negative integer for chain but received ${String(chain)}`);
  if (options.minimize !== undefined && typeof options.minimize !== 'function') {
    throw new TypeError(`Expected function for minimize but received ${typeof options.minimize}`);
  }
  const minimize = options.minimize ?? lbfgs;
  const settings: ChainSettings = resolved.chainSettings;
  const store = options.store ?? createMemoryStore();
  const key = chainCheckpointKey(chain);
  const signal = options.signal;
  const test = duplicateTest(potential, resolved);

  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;

  const stored = options.resume ? await store.loadCheckpoint(key) : undefined;
  const initial = stored !== undefined ? requireCheckpoint(stored, chain, potential.dimension) : initialCheckpoint(chain, potential.dimension, options.stepSize, chainRng(options.seed, chain));
  const elapsedOffset = initial.elapsedMs;
  const runner = new Chain({ potential, minimize, x0, settings, randomPoint: options.randomPoint }, initial);
  let distinct = await store.minimumCount();

  yield {
    type: 'run-started',
    chain,
    elapsedMs: elapsed(),
    chains: 1,
    steps: resolved.steps,
    timeBudgetMs: resolved.timeBudgetMs,
    temperature: settings.temperature,
    stepSize: initial.stepSize,
    seed: options.seed,
    resumedQuenches: initial.step,
    resumedMinima: distinct,
  };
  if (stored !== undefined && options.evaluate) {
    for (const m of await unevaluatedMinima(store)) yield* await evaluateAndStore(store, options.evaluate, m, chain, elapsed);
  }

  let lastProgress = -Infinity;
  const progress = (): SamplerEvent => {
    const s = runner.checkpoint;
    lastProgress = elapsed();
    return {
      type: 'progress',
      chain,
      elapsedMs: lastProgress,
      step: s.step,
      steps: resolved.steps,
      totalQuenches: s.step,
      distinctMinima: distinct,
      bestEnergy: s.bestEnergy,
      acceptance: s.step > 0 ? s.accepted / s.step : 0,
      stepSize: s.stepSize,
      sinceLastNew: s.sinceNew,
    };
  };

  let lastDiscovery = -1;
  let reason: StopReason;
  for (;;) {
    const stop = stopReason(runner.checkpoint, resolved, elapsed(), signal);
    if (stop) {
      reason = stop;
      break;
    }
    const outcome = runner.step(signal);
    if (outcome.aborted) {
      reason = 'aborted';
      break;
    }
    const q = outcome.quench;
    const cumulativeMs = elapsedOffset + elapsed();
    let minimumId: number | null = null;
    let isNew = false;
    if (q.converged) {
      const pre = runner.checkpoint;
      const result = await store.addMinimum(
        { energy: q.energy, coordinates: q.x, rmsGradient: q.rmsGradient, step: outcome.step, chain },
        test,
        {
          checkpoint: { key, value: (r) => ({ ...applyNovelty(pre, r.isNew, settings), elapsedMs: cumulativeMs }) },
          discovery: { quenches: pre.step, elapsedMs: cumulativeMs },
        },
      );
      minimumId = result.minimum.id;
      isNew = result.isNew;
      if (isNew) {
        distinct = Math.max(distinct + 1, result.minimum.id);
        lastDiscovery = pre.step;
      }
    }
    const reseeded = runner.settle(isNew);
    if (!q.converged) {
      await store.saveCheckpoint(key, { ...runner.checkpoint, elapsedMs: cumulativeMs });
      yield {
        type: 'warning',
        chain,
        elapsedMs: elapsed(),
        code: 'ERR_NOT_CONVERGED',
        message: `Quench at step ${outcome.step} did not converge (${q.message} after ${q.iterations} iterations, RMS gradient ${q.rmsGradient}); not stored`,
      };
    }
    yield {
      type: 'quench',
      chain,
      elapsedMs: elapsed(),
      step: outcome.step,
      energy: q.energy,
      rmsGradient: q.rmsGradient,
      iterations: q.iterations,
      converged: q.converged,
      accepted: outcome.accepted,
      minimumId,
      isNew,
      currentEnergy: runner.checkpoint.energy,
    };
    if (isNew && minimumId !== null) {
      yield { type: 'minimum-added', chain, elapsedMs: elapsed(), step: outcome.step, minimum: { id: minimumId, energy: q.energy }, distinctMinima: distinct };
      if (options.evaluate) {
        const record = await store.getMinimum(minimumId);
        if (record) yield* await evaluateAndStore(store, options.evaluate, record, chain, elapsed);
      }
    }
    if (outcome.adapted) {
      yield {
        type: 'step-size',
        chain,
        elapsedMs: elapsed(),
        step: outcome.step,
        stepSize: outcome.adapted.stepSize,
        temperature: settings.temperature,
        acceptance: outcome.adapted.acceptance,
      };
    }
    if (reseeded) {
      yield { type: 'reseed', chain, elapsedMs: elapsed(), step: outcome.step, reason: `no new minimum in ${settings.reseedAfter} quenches` };
    }
    if (elapsed() - lastProgress >= resolved.progressIntervalMs) yield progress();
  }

  const final = runner.checkpoint;
  // Close the discovery curve at the last quench (its flat tail is the stagnation evidence).
  if (final.step > 0 && final.step !== lastDiscovery) await store.recordDiscovery({ quenches: final.step, distinctMinima: distinct, elapsedMs: elapsedOffset + elapsed() });
  yield progress();
  yield { type: 'chain-finished', chain, elapsedMs: elapsed(), reason, steps: final.step };
  const transitionStates = await store.transitionStateCount();
  yield { type: 'run-finished', chain, elapsedMs: elapsed(), reason, totalQuenches: final.step, distinctMinima: distinct, transitionStates };
  return { reason, steps: final.step, totalQuenches: final.step, distinctMinima: distinct, bestEnergy: final.bestEnergy, store };
}

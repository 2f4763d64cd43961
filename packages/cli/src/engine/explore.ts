// SPDX-License-Identifier: MIT
/**
 * One exploration as a stream of sampler events: calibration (when T or the step size is
 * 'auto'), basin-hopping (one chain in this thread, or several in worker threads), per-minimum
 * properties, and — when enabled — transition states connecting each new minimum to its
 * nearest neighbours. Everything goes to `store`; a stopped run resumes from it.
 */
import { createRng, type EigenSolver } from '@lossscape/numeric';
import type { LandscapeStore } from '@lossscape/landscape';
import {
  basinHopping,
  calibrate,
  connect,
  evaluateAndStore,
  runChains,
  type SamplerEvent,
  type SamplingOptions,
} from '@lossscape/sampler';
import { randomWeights } from '@lossscape/tensor-core';
import { createMinimumEvaluator } from './evaluator.js';
import { createRunPotential, RUN_POTENTIAL_MODULE } from './potential-factory.js';
import type { PreparedRun } from './run.js';

/** Holds the stream between events while paused. */
export interface PauseGate {
  wait(): Promise<void>;
}

export const OPEN_GATE: PauseGate = { wait: () => Promise.resolve() };

export interface ExploreOptions {
  readonly store: LandscapeStore;
  readonly signal?: AbortSignal;
  readonly gate?: PauseGate;
  /** Dense eigen-solver for transition-state index checks (hessian-native's). */
  readonly eigenSolver?: EigenSolver;
  /** Chains actually run (the thread plan may lower the configured number). */
  readonly chains?: number;
}

export const CALIBRATION_KEY = 'explore/calibration';
export const CONNECT_KEY = 'explore/connect';

interface Calibration {
  readonly temperature: number;
  readonly stepSize: number;
  readonly calibrated: boolean;
}

/** Start points: Glorot-uniform weights, one independent stream per chain. */
export function startPoints(run: PreparedRun, chains: number): Float64Array[] {
  const base = createRng(run.config.sampler.seed).stream(64);
  return Array.from({ length: chains }, (_, k) => randomWeights(run.model, base.stream(k)));
}

/** The stored calibration, or a fresh one (stored) when T or the step size is 'auto'. */
export async function resolveCalibration(run: PreparedRun, store: LandscapeStore, x0: Float64Array, potential: ReturnType<typeof createRunPotential>): Promise<Calibration> {
  const s = run.config.sampler;
  const saved = await store.loadCheckpoint<Calibration>(CALIBRATION_KEY);
  if (saved) return saved;
  let result: Calibration;
  if (s.temperature !== 'auto' && s.stepSize !== 'auto') {
    result = { temperature: s.temperature, stepSize: s.stepSize, calibrated: false };
  } else {
    // A short calibration (DESIGN.md): a few quenches per round, one Metropolis re-estimate.
    const c = calibrate({
      potential,
      x0,
      seed: s.seed + 0x5eed,
      stepSize: s.stepSize === 'auto' ? 0.5 : s.stepSize,
      quenches: 8,
      maxDoublings: s.stepSize === 'auto' ? 3 : 0,
      temperatureRounds: 1,
      targetAcceptance: s.targetAcceptance,
      minimizeOptions: { memory: s.lbfgsMemory, maxIterations: s.maxIterations, gradientTolerance: s.gradientTolerance },
      energyTolerance: run.config.duplicates.energyTolerance,
    });
    result = { temperature: s.temperature === 'auto' ? c.temperature : s.temperature, stepSize: s.stepSize === 'auto' ? c.stepSize : s.stepSize, calibrated: true };
  }
  await store.saveCheckpoint(CALIBRATION_KEY, result);
  return result;
}

/**
 * Runs the exploration; yields every event. Stops on the configured budgets or `signal`
 * (then the database holds every committed minimum and each chain's checkpoint).
 */
export async function* explore(run: PreparedRun, options: ExploreOptions): AsyncGenerator<SamplerEvent, void> {
  const { store } = options;
  const gate = options.gate ?? OPEN_GATE;
  const cfg = run.config;
  const s = cfg.sampler;
  const chains = options.chains ?? s.chains;
  const potential = createRunPotential(run.potentialArgs);
  const starts = startPoints(run, chains);
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;

  if (!(await store.loadCheckpoint(CALIBRATION_KEY)) && (s.temperature === 'auto' || s.stepSize === 'auto')) {
    yield { type: 'status', chain: -1, elapsedMs: elapsed(), message: 'calibrating temperature and step size (a few dozen quenches)' };
  }
  const { temperature, stepSize } = await resolveCalibration(run, store, starts[0], potential);
  const evaluate = createMinimumEvaluator({ potential, train: run.dataset.train, test: run.dataset.test, hessian: cfg.properties.hessian });
  const minimizeOptions = { memory: s.lbfgsMemory, maxIterations: s.maxIterations, gradientTolerance: s.gradientTolerance };
  const timeBudgetMs = s.timeMinutes === null ? Infinity : s.timeMinutes * 60_000;
  // The sampler's time budget starts after calibration (its own clock); transition-state searches
  // share that budget, so they are timed from the same moment. (Timed from t0, a slow calibration —
  // 15 minutes on the credit data — left the searches no time at all while quenches went on.)
  const samplingStart = performance.now();
  const samplingElapsed = () => performance.now() - samplingStart;
  const sampling: SamplingOptions = {
    steps: s.steps ?? Infinity,
    temperature,
    stepSize,
    seed: s.seed,
    store,
    minimizeOptions,
    evaluate,
    signal: options.signal,
    timeBudgetMs,
    stopAfterNoNewMinima: s.stopAfterNoNew ?? Infinity,
    targetAcceptance: s.targetAcceptance,
    reseedAfter: s.reseedAfter,
    duplicate: { energyTolerance: cfg.duplicates.energyTolerance, useSymmetry: true },
    resume: true,
  };
  const events =
    chains === 1
      ? basinHopping({ ...sampling, potential, x0: starts[0], chain: 0 })
      : runChains({ ...sampling, potential: { module: RUN_POTENTIAL_MODULE, exportName: 'createRunPotential', args: run.potentialArgs }, x0: starts, chains });

  const ts = cfg.transitionStates;
  let attempts = (await store.loadCheckpoint<{ attempts: number }>(CONNECT_KEY))?.attempts ?? 0;
  const pending: number[] = [];
  for (;;) {
    await gate.wait();
    const next = await events.next();
    if (next.done) break;
    yield next.value;
    if (!ts.enabled) continue;
    if (next.value.type === 'minimum-added') pending.push(next.value.minimum.id);
    // Connect after the sampler has stored and evaluated the minimum, between quenches.
    if (next.value.type !== 'quench' || pending.length === 0 || attempts >= ts.maxAttempts || options.signal?.aborted) continue;
    const remaining = timeBudgetMs - samplingElapsed();
    if (remaining <= 0) continue;
    const signal = AbortSignal.any([...(options.signal ? [options.signal] : []), AbortSignal.timeout(Math.ceil(Math.min(remaining, 2 ** 31 - 1)))]);
    const minima = pending.splice(0);
    yield { type: 'status', chain: -1, elapsedMs: elapsed(), message: `searching transition states from minimum ${minima.map((m) => `#${m}`).join(', ')}` };
    const search = connect(potential, store, {
      strategy: { kind: 'grow', neighbours: ts.neighbours, minima },
      maxAttempts: Math.min(ts.maxAttempts - attempts, ts.neighbours * minima.length),
      eigenSolver: options.eigenSolver,
      gradientTolerance: s.gradientTolerance,
      minimize: minimizeOptions,
      duplicateTest: { energyTolerance: cfg.duplicates.energyTolerance, same: (a, b) => potential.sameMinimum(a, b) },
      signal,
    });
    for (;;) {
      await gate.wait();
      const step = await search.next();
      if (step.done) {
        attempts += step.value.attempts;
        await store.saveCheckpoint(CONNECT_KEY, { attempts });
        break;
      }
      // The search's own summary events would read as the end of the run; its clock restarts per call.
      if (step.value.type === 'run-finished' || step.value.type === 'chain-finished') continue;
      yield { ...step.value, elapsedMs: elapsed() };
      // Minima found by a search get their properties like any other.
      if (step.value.type === 'minimum-added') {
        const record = await store.getMinimum(step.value.minimum.id);
        if (record) for (const e of await evaluateAndStore(store, evaluate, record, -1, elapsed)) yield e;
      }
    }
  }
}

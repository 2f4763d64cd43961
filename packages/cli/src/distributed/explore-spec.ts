// SPDX-License-Identifier: MIT
/**
 * From an `explore` configuration to a distributed run spec: what `lossscape explore --db
 * postgres://… --distributed` plans. The network potential and its evaluator are named as
 * built-in modules (`lossscape:run-potential`, `lossscape:run-factories`), so every worker
 * builds them from its own installation; the data come from the description in the potential
 * arguments (a CSV must exist at the same path on every worker machine, or at `datasetPath`).
 *
 * ```ts
 * const run = prepareRun(config, cwd);
 * const spec = exploreRunSpec(run, { chains: 8, temperature, stepSize });   // numbers after calibration
 * await planExploration(spec, store, queue, { manifest });
 * ```
 */
import { UsageError } from '../errors.js';
import { startPoints } from '../engine/explore.js';
import type { PreparedRun } from '../engine/run.js';
import { parseRunSpec, type RunSpec } from './spec.js';

export interface ExploreSpecOptions {
  /** Chains (each a sequence of segment jobs). Default: the config's sampler.chains. */
  readonly chains?: number;
  /** Numbers, after calibration when the config says 'auto'. */
  readonly temperature: number;
  readonly stepSize: number;
  /** Steps per segment job (default 50). */
  readonly segmentSteps?: number;
  readonly leaseSeconds?: number;
  readonly retryLimit?: number;
  readonly retryDelaySeconds?: number;
  /** When the run began (for the deadline from sampler.timeMinutes). Default now. */
  readonly startedAt?: Date;
}

export function exploreRunSpec(run: PreparedRun, options: ExploreSpecOptions): RunSpec {
  const cfg = run.config;
  const s = cfg.sampler;
  if (s.steps === null || s.steps === 0) {
    throw new UsageError(`Expected a positive step budget (sampler.steps) for a distributed run but received ${s.steps}`);
  }
  const chains = options.chains ?? s.chains;
  const minimize = { memory: s.lbfgsMemory, maxIterations: s.maxIterations, gradientTolerance: s.gradientTolerance };
  const started = options.startedAt ?? new Date();
  return parseRunSpec({
    name: cfg.name ?? 'explore',
    potential: { module: 'lossscape:run-potential', exportName: 'createRunPotential', args: run.potentialArgs },
    evaluator: { module: 'lossscape:run-factories', exportName: 'createRunEvaluator', args: { ...run.potentialArgs, hessian: cfg.properties.hessian } },
    starts: startPoints(run, chains).map((x) => Array.from(x)),
    sampling: {
      steps: s.steps,
      segmentSteps: options.segmentSteps ?? 50,
      temperature: options.temperature,
      stepSize: options.stepSize,
      seed: s.seed,
      targetAcceptance: s.targetAcceptance,
      reseedAfter: s.reseedAfter,
      stopAfterNoNewMinima: s.stopAfterNoNew,
      minimize,
      duplicate: { energyTolerance: cfg.duplicates.energyTolerance, useSymmetry: true },
    },
    ...(cfg.transitionStates.enabled
      ? { connections: { neighbours: cfg.transitionStates.neighbours, maxAttempts: cfg.transitionStates.maxAttempts, search: { gradientTolerance: s.gradientTolerance, minimize } } }
      : {}),
    jobs: {
      ...(options.leaseSeconds !== undefined ? { leaseSeconds: options.leaseSeconds } : {}),
      ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
      ...(options.retryDelaySeconds !== undefined ? { retryDelaySeconds: options.retryDelaySeconds } : {}),
    },
    ...(s.timeMinutes !== null ? { deadline: new Date(started.getTime() + s.timeMinutes * 60_000).toISOString() } : {}),
  }, `the explore configuration`);
}

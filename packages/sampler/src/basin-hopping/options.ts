// SPDX-License-Identifier: MIT
/**
 * Options shared by `basinHopping` (one chain, in-process) and `runChains` (several chains in
 * worker threads), their defaults, and their validation at the public edge (STYLE R1).
 */
import {
  TOL,
  expectedMessage,
  requireFinite,
  requireFloat64Array,
  requireInteger,
  requireNonNegative,
  requireNumberInRange,
  requirePositive,
  type Potential,
  type Rng,
} from '@lossscape/numeric';
import type { DuplicateTest, LandscapeStore, MinimumProperties, MinimumRecord } from '@lossscape/landscape';
import type { MinimizeOptions } from '../optimize/result.js';
import type { ChainSettings } from './chain.js';

/** Computes per-minimum properties (test AUC, CE, Hessian spectrum …) for each new minimum. */
export type Evaluator = (minimum: MinimumRecord) => Promise<MinimumProperties> | MinimumProperties;

export interface DuplicateOptions {
  /** Relative energy tolerance (DESIGN.md default 1e-9). */
  readonly energyTolerance?: number;
  /** Ask `potential.sameMinimum` when the energies agree (default true; energy alone without it). */
  readonly useSymmetry?: boolean;
}

/** Everything about a run except the potential's identity and the chain layout. */
export interface SamplingOptions {
  /** Steps (quenches) per chain, counted over resumes. Default Infinity. */
  readonly steps?: number;
  /** Fictitious temperature of the Metropolis test (energy units; 0: downhill only). */
  readonly temperature: number;
  /** Initial half-width of the uniform perturbation per coordinate. */
  readonly stepSize: number;
  readonly seed: number;
  /** Where minima go; default a fresh `createMemoryStore()` (not closed by the run). */
  readonly store?: LandscapeStore;
  readonly minimizeOptions?: MinimizeOptions;
  readonly evaluate?: Evaluator;
  readonly signal?: AbortSignal;
  /** Wall-clock budget of this session in ms. Default Infinity. */
  readonly timeBudgetMs?: number;
  /** Stop once this many consecutive quenches found no new minimum. Default Infinity. */
  readonly stopAfterNoNewMinima?: number;
  /** Step-size adaptation target (default 0.5). */
  readonly targetAcceptance?: number;
  /** Steps per adaptation window (default 50, GMIN's NACCEPT). Infinity: never adapt. */
  readonly adaptEvery?: number;
  /** Multiply or divide the step size by this each window (default 0.9, GMIN's). */
  readonly adaptFactor?: number;
  readonly minStepSize?: number;
  readonly maxStepSize?: number;
  /** Restart from a fresh random point after this many quenches without a new minimum (default 500). */
  readonly reseedAfter?: number;
  /** Half-width per coordinate of the default fresh random point about x0 (default 4 × stepSize). */
  readonly reseedScale?: number;
  readonly duplicate?: DuplicateOptions;
  /** Continue from the checkpoints in `store` (a fresh start where a chain has none). */
  readonly resume?: boolean;
  /** Least interval between progress events of a chain, ms (default 250; 0: every step). */
  readonly progressIntervalMs?: number;
}

export interface ResolvedSampling {
  readonly steps: number;
  readonly timeBudgetMs: number;
  readonly stopAfterNoNewMinima: number;
  readonly progressIntervalMs: number;
  readonly chainSettings: ChainSettings;
  readonly energyTolerance: number;
  readonly useSymmetry: boolean;
}

export const BASIN_HOPPING_DEFAULTS = Object.freeze({
  targetAcceptance: 0.5,
  adaptEvery: 50,
  adaptFactor: 0.9,
  reseedAfter: 500,
  reseedScaleFactor: 4,
  progressIntervalMs: 250,
  energyTolerance: TOL.DUPLICATE_ENERGY,
});

function countOrInfinity(name: string, value: unknown, min: number): number {
  if (value === Infinity) return Infinity;
  return requireInteger(name, value, min);
}

export function requirePotential(potential: unknown): Potential {
  const p = potential as Potential;
  if (p === null || typeof p !== 'object' || typeof p.energyGradient !== 'function') {
    throw new TypeError(expectedMessage('a Potential with energyGradient()', 'potential', potential));
  }
  requireInteger('potential.dimension', p.dimension, 1);
  return p;
}

export function requireStart(x0: unknown, dimension: number): Float64Array {
  const x = requireFloat64Array('x0', x0, dimension);
  requireFinite('x0', x);
  return x;
}

/** Validates and fills in defaults; throws TypeError / RangeError / LandscapeError. */
export function resolveSampling(options: SamplingOptions): ResolvedSampling {
  if (options === null || typeof options !== 'object') throw new TypeError(expectedMessage('an options object', 'options', options));
  const temperature = requireNonNegative('temperature', options.temperature);
  const stepSize = requirePositive('stepSize', options.stepSize);
  requireInteger('seed', options.seed);
  const steps = countOrInfinity('steps', options.steps ?? Infinity, 0);
  const timeBudgetMs = options.timeBudgetMs === undefined || options.timeBudgetMs === Infinity ? Infinity : requirePositive('timeBudgetMs', options.timeBudgetMs);
  const stopAfterNoNewMinima = countOrInfinity('stopAfterNoNewMinima', options.stopAfterNoNewMinima ?? Infinity, 1);
  if (steps === Infinity && timeBudgetMs === Infinity && stopAfterNoNewMinima === Infinity && options.signal === undefined) {
    throw new RangeError(expectedMessage('at least one of steps, timeBudgetMs, stopAfterNoNewMinima or signal', 'stop criteria', undefined));
  }
  const targetAcceptance = requireNumberInRange('targetAcceptance', options.targetAcceptance ?? BASIN_HOPPING_DEFAULTS.targetAcceptance, 0, 1, { minExclusive: true });
  if (targetAcceptance >= 1) throw new RangeError(expectedMessage('number greater than 0 and below 1', 'targetAcceptance', targetAcceptance));
  const adaptEvery = countOrInfinity('adaptEvery', options.adaptEvery ?? BASIN_HOPPING_DEFAULTS.adaptEvery, 1);
  const adaptFactor = requireNumberInRange('adaptFactor', options.adaptFactor ?? BASIN_HOPPING_DEFAULTS.adaptFactor, 0, 1, { minExclusive: true });
  const minStepSize = requirePositive('minStepSize', options.minStepSize ?? stepSize * 1e-3);
  const maxStepSize = options.maxStepSize === undefined || options.maxStepSize === Infinity ? Infinity : requirePositive('maxStepSize', options.maxStepSize);
  if (!(minStepSize <= stepSize && stepSize <= maxStepSize)) {
    throw new RangeError(expectedMessage(`stepSize between minStepSize ${minStepSize} and maxStepSize ${maxStepSize}`, 'stepSize', stepSize));
  }
  const reseedAfter = countOrInfinity('reseedAfter', options.reseedAfter ?? BASIN_HOPPING_DEFAULTS.reseedAfter, 1);
  const reseedScale = requirePositive('reseedScale', options.reseedScale ?? BASIN_HOPPING_DEFAULTS.reseedScaleFactor * stepSize);
  const duplicate = options.duplicate ?? {};
  const energyTolerance = requireNonNegative('duplicate.energyTolerance', duplicate.energyTolerance ?? BASIN_HOPPING_DEFAULTS.energyTolerance);
  const useSymmetry = duplicate.useSymmetry ?? true;
  if (typeof useSymmetry !== 'boolean') throw new TypeError(expectedMessage('boolean', 'duplicate.useSymmetry', useSymmetry));
  const progressIntervalMs = requireNonNegative('progressIntervalMs', options.progressIntervalMs ?? BASIN_HOPPING_DEFAULTS.progressIntervalMs);
  if (options.evaluate !== undefined && typeof options.evaluate !== 'function') throw new TypeError(expectedMessage('function', 'evaluate', options.evaluate));
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError(expectedMessage('AbortSignal', 'signal', options.signal));
  if (options.store !== undefined && (options.store === null || typeof options.store.addMinimum !== 'function')) {
    throw new TypeError(expectedMessage('a LandscapeStore', 'store', options.store));
  }
  return {
    steps,
    timeBudgetMs,
    stopAfterNoNewMinima,
    progressIntervalMs,
    energyTolerance,
    useSymmetry,
    chainSettings: {
      temperature,
      targetAcceptance,
      adaptEvery,
      adaptFactor,
      minStepSize,
      maxStepSize,
      reseedAfter,
      reseedScale,
      minimizeOptions: options.minimizeOptions ?? {},
    },
  };
}

/** The database's duplicate test for this potential: energy window, then its comparator. */
export function duplicateTest(potential: Potential, resolved: Pick<ResolvedSampling, 'energyTolerance' | 'useSymmetry'>): DuplicateTest {
  const same = resolved.useSymmetry && typeof potential.sameMinimum === 'function' ? potential.sameMinimum.bind(potential) : undefined;
  return same ? { energyTolerance: resolved.energyTolerance, same } : { energyTolerance: resolved.energyTolerance };
}

/** Fresh random point generator type for reseeding. */
export type RandomPoint = (rng: Rng) => Float64Array;

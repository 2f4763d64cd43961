// SPDX-License-Identifier: MIT
/**
 * A short calibration of basin-hopping's temperature and step size (DESIGN.md: "chosen per
 * loss by a short calibration towards acceptance 0.5, then adapted").
 *
 * ```ts
 * const { temperature, stepSize } = calibrate({ potential, x0, seed: 7, stepSize: 0.3 });
 * for await (const e of basinHopping({ potential, x0, temperature, stepSize, seed: 1, steps: 10_000 })) { … }
 * ```
 *
 * 1. Step size: a random walk that accepts every converged quench, `quenches` steps long.
 *    While more than half of its quenches fall back into the minimum they started from,
 *    the step is too small to leave a basin: double it (at most `maxDoublings` times).
 * 2. Temperature: from the energy changes ΔE of that walk (returns to the same minimum count
 *    as ΔE = 0), the T at which the Metropolis acceptance mean(min(1, e^(−ΔE/T))) equals the
 *    target, found by bisection on ln T (the acceptance grows monotonically with T). When
 *    the downhill and level moves alone reach the target, see `temperatureForAcceptance`.
 * 3. `temperatureRounds` Metropolis walks at the current estimate, each re-estimating T from
 *    its proposals (the all-accepting walk roams high minima and underestimates T).
 *
 * Cost: at most quenches × (maxDoublings + 1 + temperatureRounds) + 1 quenches.
 */
import { LandscapeError, TOL, createRng, requireInteger, requireNonNegative, requireNumberInRange, requirePositive, type Potential } from '@lossscape/numeric';
import { lbfgs } from '../optimize/lbfgs.js';
import type { Minimize, MinimizeOptions } from '../optimize/result.js';
import { requirePotential, requireStart } from './options.js';

export interface CalibrateOptions {
  readonly potential: Potential;
  readonly x0: Float64Array;
  /** Seed of the calibration's own random numbers (use one different from the run's). */
  readonly seed: number;
  /** Starting step size (half-width per coordinate). */
  readonly stepSize: number;
  /** Quenches per round (default 30). */
  readonly quenches?: number;
  readonly targetAcceptance?: number;
  readonly maxDoublings?: number;
  /** Metropolis walks at the estimated T that re-estimate it (default 3). */
  readonly temperatureRounds?: number;
  readonly minimize?: Minimize;
  readonly minimizeOptions?: MinimizeOptions;
  /** Relative energy tolerance for "fell back into the same minimum" (default 1e-9). */
  readonly energyTolerance?: number;
}

export interface CalibrateResult {
  readonly temperature: number;
  readonly stepSize: number;
  /** Acceptance the chosen temperature gives on the sampled ΔE. */
  readonly acceptance: number;
  /** Energy changes of the last round's converged quenches. */
  readonly energyChanges: readonly number[];
  /** Fraction of the last round's quenches that returned to their starting minimum. */
  readonly sameBasinFraction: number;
  /** Acceptance measured on the last walk at the previous estimate (NaN with temperatureRounds 0). */
  readonly measuredAcceptance: number;
  readonly quenches: number;
  readonly failedQuenches: number;
}

function acceptanceAt(deltas: readonly number[], temperature: number): number {
  let s = 0;
  for (const d of deltas) s += d <= 0 ? 1 : Math.exp(-d / temperature);
  return s / deltas.length;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
}

/**
 * Picks T for the target acceptance from sampled energy changes (see the module comment).
 * When the sample's downhill and level moves alone reach the target no T fits it: then the
 * previous estimate is halved (a colder chain sits lower and sees more uphill moves), or,
 * without one, T = median uphill ΔE / ln 2.
 */
export function temperatureForAcceptance(deltas: readonly number[], target: number, energyScale: number, previous?: number): number {
  const uphill = deltas.filter((d) => d > 0);
  // No uphill move seen: any T accepts everything; fall back to a small scale of the energy.
  if (uphill.length === 0) return previous !== undefined ? previous / 2 : 1e-3 * Math.max(1, Math.abs(energyScale));
  if (deltas.length - uphill.length >= target * deltas.length) return previous !== undefined ? previous / 2 : median(uphill) / Math.LN2;
  let lo = Math.log(Math.min(...uphill)) - 40;
  let hi = Math.log(Math.max(...uphill)) + 40;
  for (let k = 0; k < 200 && hi - lo > 1e-12; k++) {
    const mid = 0.5 * (lo + hi);
    if (acceptanceAt(deltas, Math.exp(mid)) < target) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}

export function calibrate(options: CalibrateOptions): CalibrateResult {
  const potential = requirePotential(options.potential);
  const x0 = requireStart(options.x0, potential.dimension);
  const rng = createRng(requireInteger('seed', options.seed));
  let stepSize = requirePositive('stepSize', options.stepSize);
  const quenches = requireInteger('quenches', options.quenches ?? 30, 2);
  const target = requireNumberInRange('targetAcceptance', options.targetAcceptance ?? 0.5, 0, 1, { minExclusive: true });
  const maxDoublings = requireInteger('maxDoublings', options.maxDoublings ?? 4, 0, 30);
  const temperatureRounds = requireInteger('temperatureRounds', options.temperatureRounds ?? 3, 0, 100);
  const tolerance = requireNonNegative('energyTolerance', options.energyTolerance ?? TOL.DUPLICATE_ENERGY);
  const minimize = options.minimize ?? lbfgs;
  const minimizeOptions = options.minimizeOptions ?? {};

  const start = minimize(potential, Float64Array.from(x0), minimizeOptions);
  if (!start.converged) {
    throw new LandscapeError(
      `Expected a converged quench of x0 for calibrate but received ${start.message} after ${start.iterations} iterations (RMS gradient ${start.rmsGradient})`,
      'ERR_NOT_CONVERGED',
    );
  }
  let done = 1;
  let failed = 0;
  let x = start.x;
  let energy = start.energy;

  /** `quenches` steps of a Metropolis walk at `temperature` (Infinity: accept all); proposal ΔE. */
  const walk = (temperature: number): { deltas: number[]; same: number; accepted: number } => {
    const deltas: number[] = [];
    let same = 0;
    let accepted = 0;
    for (let k = 0; k < quenches; k++) {
      const trial = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) trial[i] = x[i] + rng.uniformIn(-stepSize, stepSize);
      const q = minimize(potential, trial, minimizeOptions);
      done++;
      if (!q.converged) {
        failed++;
        continue;
      }
      let delta = q.energy - energy;
      // Back in the same minimum: ±rounding, not a move up or down.
      if (Math.abs(delta) <= tolerance * Math.max(1, Math.abs(energy))) {
        delta = 0;
        same++;
      }
      deltas.push(delta);
      if (delta <= 0 || temperature === Infinity || rng.uniform() < Math.exp(-delta / temperature)) {
        accepted++;
        x = q.x;
        energy = q.energy;
      }
    }
    if (deltas.length === 0) {
      throw new LandscapeError(`Expected converged quenches for calibrate but received ${quenches} failed quenches at step size ${stepSize}`, 'ERR_NOT_CONVERGED');
    }
    return { deltas, same, accepted };
  };

  let sample = walk(Infinity);
  for (let round = 0; sample.same / sample.deltas.length > 0.5 && round < maxDoublings; round++) {
    stepSize *= 2;
    sample = walk(Infinity);
  }
  // The all-accepting walk roams high-energy minima; a walk at the estimated T samples the
  // proposals the run will actually see, so re-estimate from those.
  let temperature = temperatureForAcceptance(sample.deltas, target, energy);
  let measured = NaN;
  for (let round = 0; round < temperatureRounds; round++) {
    sample = walk(temperature);
    measured = sample.accepted / quenches;
    temperature = temperatureForAcceptance(sample.deltas, target, energy, temperature);
  }
  const deltas = sample.deltas;
  const same = sample.same;
  return {
    temperature,
    stepSize,
    acceptance: acceptanceAt(deltas, temperature),
    energyChanges: deltas,
    sameBasinFraction: same / deltas.length,
    measuredAcceptance: measured,
    quenches: done,
    failedQuenches: failed,
  };
}

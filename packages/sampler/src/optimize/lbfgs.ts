// SPDX-License-Identifier: MIT
/**
 * GMIN-style limited-memory BFGS (Nocedal's two-loop recursion, no line search).
 *
 * ```ts
 * import { lbfgs } from '@lossscape/sampler';
 * const result = lbfgs(potential, Float64Array.of(-0.5, 1.4));
 * if (result.converged) console.log(result.energy, result.x);
 * ```
 *
 * What makes it GMIN's rather than textbook L-BFGS:
 * - no line search: the two-loop direction is taken as it is, only capped at `maxStep`
 *   (Euclidean length), which is cheap and robust on rugged surfaces;
 * - a step that raises the energy by more than `maxEnergyRise` is halved (at most
 *   `maxStepReductions` times); if that fails the curvature memory is dropped and a
 *   steepest-descent step of length ≤ `maxStep` is tried the same way;
 * - the first inverse-Hessian diagonal is a fixed guess (GMIN's DGUESS, default 0.1), later
 *   ones are sᵀy / yᵀy of the latest curvature pair;
 * - convergence on the RMS gradient ‖g‖/√n (the study's 1e-10).
 *
 * Cost per iteration: one energy+gradient call (more when steps are rejected) plus
 * O(M·n) arithmetic; memory O(M·n).
 */
import {
  expectedMessage,
  requireFinite,
  requireFloat64Array,
  requireInteger,
  requirePositive,
  requireNonNegative,
  type Potential,
} from '@lossscape/numeric';
import type { MinimizeOptions, MinimizeResult } from './result.js';

/** Defaults used when an option is absent (GMIN's choices where GMIN has one). */
export const LBFGS_DEFAULTS = Object.freeze({
  gradientTolerance: 1e-10,
  maxIterations: 100_000,
  memory: 4,
  maxStep: 0.4,
  initialInverseHessian: 0.1,
  maxEnergyRise: 1e-10,
  maxStepReductions: 10,
});

export interface LbfgsOptions extends MinimizeOptions {
  /** How many times a rejected step is halved before the memory is reset (default 10). */
  readonly maxStepReductions?: number;
}

// Why the relative term: near convergence successive energies differ only by rounding,
// which scales with |E|; a fixed absolute bound alone would reject such steps at large |E|.
const ROUNDING_SLACK = 8 * Number.EPSILON;

function validate(potential: Potential, x0: Float64Array, options: LbfgsOptions): void {
  if (potential === null || typeof potential !== 'object' || typeof potential.energyGradient !== 'function') {
    throw new TypeError(expectedMessage('a Potential with energyGradient()', 'potential', potential));
  }
  requireInteger('potential.dimension', potential.dimension, 1);
  requireFloat64Array('x0', x0, potential.dimension);
  requireFinite('x0', x0);
  if (options.gradientTolerance !== undefined) requireNonNegative('gradientTolerance', options.gradientTolerance);
  if (options.maxIterations !== undefined) requireInteger('maxIterations', options.maxIterations, 0);
  if (options.memory !== undefined) requireInteger('memory', options.memory, 1, 1000);
  if (options.maxStep !== undefined) requirePositive('maxStep', options.maxStep);
  if (options.initialInverseHessian !== undefined) requirePositive('initialInverseHessian', options.initialInverseHessian);
  if (options.maxEnergyRise !== undefined) requireNonNegative('maxEnergyRise', options.maxEnergyRise);
  if (options.maxStepReductions !== undefined) requireInteger('maxStepReductions', options.maxStepReductions, 0, 60);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError(expectedMessage('AbortSignal', 'signal', options.signal));
  }
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

function rmsOf(g: Float64Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s / g.length);
}

/**
 * Minimises `potential` from `x0`. Never throws for a numerical failure: a non-finite energy
 * or gradient gives `converged: false` with message 'non-finite' and the last finite point.
 * Throws (TypeError / RangeError / LandscapeError) only for invalid arguments.
 *
 * Messages: 'converged' | 'max-iterations' | 'line-search-failed' | 'non-finite' | 'aborted'.
 */
export function lbfgs(potential: Potential, x0: Float64Array, options: LbfgsOptions = {}): MinimizeResult {
  validate(potential, x0, options);
  const n = potential.dimension;
  const tol = options.gradientTolerance ?? LBFGS_DEFAULTS.gradientTolerance;
  const maxIterations = options.maxIterations ?? LBFGS_DEFAULTS.maxIterations;
  const m = options.memory ?? LBFGS_DEFAULTS.memory;
  const maxStep = options.maxStep ?? LBFGS_DEFAULTS.maxStep;
  const dguess = options.initialInverseHessian ?? LBFGS_DEFAULTS.initialInverseHessian;
  const maxRise = options.maxEnergyRise ?? LBFGS_DEFAULTS.maxEnergyRise;
  const maxReductions = options.maxStepReductions ?? LBFGS_DEFAULTS.maxStepReductions;
  const signal = options.signal;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let energy = potential.energyGradient(x, g);
  let evaluations = 1;

  const finish = (iterations: number, message: string, converged = false): MinimizeResult => ({
    x,
    energy,
    gradient: g,
    rmsGradient: rmsOf(g),
    iterations,
    evaluations,
    converged,
    message,
  });

  if (!Number.isFinite(energy) || !allFinite(g)) {
    // Nothing finite to return: report the start with a NaN-free record.
    const bad = energy;
    energy = Number.isNaN(bad) ? Infinity : bad;
    g.fill(0);
    return { ...finish(0, 'non-finite'), rmsGradient: Infinity, message: `non-finite: energy ${String(bad)} at x0` };
  }

  // Curvature pairs in a ring buffer: s_k = x_{k+1} − x_k, y_k = g_{k+1} − g_k.
  const s = Array.from({ length: m }, () => new Float64Array(n));
  const y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let stored = 0;
  let newest = -1;
  let h0 = dguess;

  const d = new Float64Array(n);
  const xTrial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  let sawNonFinite = false;

  for (let iteration = 0; ; iteration++) {
    if (rmsOf(g) <= tol) return finish(iteration, 'converged', true);
    if (iteration >= maxIterations) return finish(iteration, 'max-iterations');
    if (signal?.aborted) return finish(iteration, 'aborted');

    // Two-loop recursion: d = −H·g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = 0; k < stored; k++) {
      const j = (newest - k + m) % m;
      let a = 0;
      for (let i = 0; i < n; i++) a += s[j][i] * d[i];
      a *= rho[j];
      alpha[j] = a;
      for (let i = 0; i < n; i++) d[i] -= a * y[j][i];
    }
    for (let i = 0; i < n; i++) d[i] *= h0;
    for (let k = stored - 1; k >= 0; k--) {
      const j = (newest - k + m) % m;
      let b = 0;
      for (let i = 0; i < n; i++) b += y[j][i] * d[i];
      b *= rho[j];
      const c = alpha[j] - b;
      for (let i = 0; i < n; i++) d[i] += c * s[j][i];
    }

    // GMIN turns an uphill direction around rather than trusting it.
    let slope = 0;
    let dNorm = 0;
    for (let i = 0; i < n; i++) {
      slope += d[i] * g[i];
      dNorm += d[i] * d[i];
    }
    dNorm = Math.sqrt(dNorm);
    if (slope > 0) for (let i = 0; i < n; i++) d[i] = -d[i];
    let factor = dNorm > maxStep ? maxStep / dNorm : 1;

    let accepted = false;
    let trialEnergy = NaN;
    let resetTried = false;
    for (let attempt = 0; ; attempt++) {
      for (let i = 0; i < n; i++) xTrial[i] = x[i] + factor * d[i];
      trialEnergy = potential.energyGradient(xTrial, gTrial);
      evaluations++;
      const finite = Number.isFinite(trialEnergy) && allFinite(gTrial);
      if (!finite) sawNonFinite = true;
      if (finite && trialEnergy - energy <= maxRise + ROUNDING_SLACK * Math.abs(energy)) {
        accepted = true;
        break;
      }
      if (attempt < maxReductions) {
        factor *= 0.5;
        continue;
      }
      if (resetTried || stored === 0) break;
      // The memory led us astray: forget it and retry along steepest descent.
      resetTried = true;
      stored = 0;
      newest = -1;
      h0 = dguess;
      const gNorm = Math.sqrt(g.reduce((acc, v) => acc + v * v, 0));
      for (let i = 0; i < n; i++) d[i] = -dguess * g[i];
      factor = dguess * gNorm > maxStep ? maxStep / (dguess * gNorm) : 1;
      attempt = -1;
    }
    if (!accepted) {
      return finish(iteration, sawNonFinite ? 'non-finite' : 'line-search-failed');
    }

    // Curvature pair from the step actually taken; skipped when sᵀy ≤ 0 so H stays positive definite.
    const next = (newest + 1) % m;
    let sy = 0;
    let yy = 0;
    let moved = false;
    for (let i = 0; i < n; i++) {
      const si = xTrial[i] - x[i];
      const yi = gTrial[i] - g[i];
      if (si !== 0) moved = true;
      s[next][i] = si;
      y[next][i] = yi;
      sy += si * yi;
      yy += yi * yi;
    }
    if (!moved) {
      // The step vanished below float64 resolution of x: no further progress is possible.
      return finish(iteration + 1, 'line-search-failed');
    }
    if (sy > 0 && yy > 0) {
      rho[next] = 1 / sy;
      newest = next;
      stored = Math.min(stored + 1, m);
      h0 = sy / yy;
    }
    x.set(xTrial);
    g.set(gTrial);
    energy = trialEnergy;
  }
}


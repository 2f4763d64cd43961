// SPDX-License-Identifier: MIT
/**
 * Double-ended transition-state search between two minima, as OPTIM does it: a doubly-nudged
 * elastic band between them (B first put in register with A by the potential's `align`), every
 * local maximum of the band refined by hybrid eigenvector following, each result accepted only
 * as a first-order saddle (exactly one negative Hessian eigenvalue, verified) with RMS gradient
 * ≤ the criterion, and then stepped off both ways along its eigenvector and minimised to find
 * the two minima it connects. Pure computation on a Potential: the store comes in with
 * `connect`.
 *
 * ```ts
 * const result = findTransitionState(potential, minimumA, minimumB, { eigenSolver });
 * for (const ts of result.transitionStates) console.log(ts.energy, ts.minus.energy, ts.plus.energy);
 * ```
 * Cost: the band (images × band iterations gradient calls) plus, per candidate, the
 * eigenvector-following iterations and two quenches.
 */
import {
  LandscapeError,
  TOL,
  expectedMessage,
  hessianIndex,
  lpphe,
  requireFinite,
  requireFloat64Array,
  requireInteger,
  requirePositive,
  type EigenSolver,
  type Potential,
} from '@lossscape/numeric';
import { lbfgs } from '../optimize/lbfgs.js';
import type { MinimizeOptions, MinimizeResult } from '../optimize/result.js';
import { dneb, type DnebOptions, type DnebResult } from './dneb.js';
import { denseHessian, hessianVectorProduct, rayleighRitz } from './eigen.js';
import { followEigenvector, type EigenvectorFollowingOptions } from './eigenvector-following.js';

export interface TransitionStateOptions {
  /** RMS-gradient criterion for the saddle and for the minima found from it. Default 1e-10. */
  readonly gradientTolerance?: number;
  /** Dense eigen-solver (hessian-native's, injected): eigenvectors for small dimension and the index check. */
  readonly eigenSolver?: EigenSolver;
  /** Largest dimension for dense Hessians. Default 600. */
  readonly denseMaxDimension?: number;
  readonly band?: DnebOptions;
  readonly eigenvectorFollowing?: Omit<EigenvectorFollowingOptions, 'eigenSolver' | 'gradientTolerance' | 'guess' | 'signal'>;
  /** Options of the quenches from either side (the tolerance above wins; defaults: maxIterations 100 000, memory 50). */
  readonly minimize?: MinimizeOptions;
  /** Band maxima refined, highest first. Default 3. */
  readonly maxCandidates?: number;
  /** Displacement along the eigenvector before quenching (OPTIM's PUSHOFF). Default 0.01. */
  readonly pushOff?: number;
  /** LPPHE options for the transition state's positive eigenvalues. */
  readonly lppheRelTol?: number;
  readonly signal?: AbortSignal;
}

/** Curvature check of a stationary point. */
export interface IndexCheck {
  /** Number of negative Hessian eigenvalues (below −TOL.F64_HESSIAN_INDEX × spectral radius). */
  readonly index: number;
  readonly lowestEigenvalue: number;
  /** Σ ln λ over positive eigenvalues; NaN without a dense eigen-solver. */
  readonly lpphe: number;
  /** 'dense': full spectrum from the EigenSolver; 'rayleigh-ritz': lowest two by Rayleigh–Ritz. */
  readonly method: 'dense' | 'rayleigh-ritz';
}

export interface FoundTransitionState {
  readonly coordinates: Float64Array;
  readonly energy: number;
  readonly rmsGradient: number;
  /** The one negative eigenvalue and its unit eigenvector. */
  readonly eigenvalue: number;
  readonly eigenvector: Float64Array;
  readonly lpphe: number;
  readonly check: IndexCheck;
  /** Quenches after stepping off along −v and +v. */
  readonly minus: MinimizeResult;
  readonly plus: MinimizeResult;
  /** Band image it was refined from. */
  readonly image: number;
  readonly iterations: number;
}

export interface RejectedCandidate {
  readonly image: number;
  readonly reason: string;
}

export interface TransitionStateSearchResult {
  /** Distinct first-order saddles found, in band order (from A towards B). */
  readonly transitionStates: readonly FoundTransitionState[];
  readonly rejected: readonly RejectedCandidate[];
  readonly band: DnebResult;
  /** B as used: aligned onto A when the potential can align. */
  readonly end: Float64Array;
}

function spectralRadius(potential: Potential, x: Float64Array): number {
  // A few power iterations on H: enough to scale the index tolerance.
  const n = potential.dimension;
  let v = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 31) % 7));
  let lambda = 0;
  const hv = new Float64Array(n);
  for (let it = 0; it < 30; it++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i] * v[i];
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) v[i] /= s;
    hessianVectorProduct(potential, x, v, hv);
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += hv[i] * hv[i];
    lambda = Math.sqrt(nrm);
    v = Float64Array.from(hv);
  }
  return lambda;
}

/**
 * Index of a stationary point: with a dense EigenSolver (and dimension ≤ denseMaxDimension) the
 * full spectrum of the (analytic or finite-difference) Hessian; otherwise the documented
 * alternative, the lowest eigenvalue and the lowest one orthogonal to its eigenvector, both by
 * Rayleigh–Ritz, against a power-iteration estimate of the spectral radius (so at most "2"
 * is reported, meaning "two or more").
 */
export function checkIndex(
  potential: Potential,
  x: Float64Array,
  options: { eigenSolver?: EigenSolver; denseMaxDimension?: number; lppheRelTol?: number; guess?: Float64Array } = {},
): IndexCheck {
  const n = potential.dimension;
  if (options.eigenSolver && n <= (options.denseMaxDimension ?? 600)) {
    const values = options.eigenSolver.eigenvalues(denseHessian(potential, x), n);
    return {
      index: hessianIndex(values, TOL.F64_HESSIAN_INDEX),
      lowestEigenvalue: values[0],
      lpphe: lpphe(values, { relTol: options.lppheRelTol ?? 0 }).value,
      method: 'dense',
    };
  }
  const first = rayleighRitz(potential, x, options.guess ? { guess: options.guess, tolerance: 1e-9 } : { tolerance: 1e-9 });
  const second = rayleighRitz(potential, x, { orthogonalTo: [first.vector], tolerance: 1e-9 });
  const threshold = TOL.F64_HESSIAN_INDEX * spectralRadius(potential, x);
  return {
    index: (first.value < -threshold ? 1 : 0) + (second.value < -threshold ? 1 : 0),
    lowestEigenvalue: first.value,
    lpphe: NaN,
    method: 'rayleigh-ritz',
  };
}

function validate(potential: Potential, a: Float64Array, b: Float64Array, options: TransitionStateOptions): void {
  if (potential === null || typeof potential !== 'object' || typeof potential.energyGradient !== 'function') {
    throw new TypeError(expectedMessage('a Potential with energyGradient()', 'potential', potential));
  }
  requireFloat64Array('minimumA', a, potential.dimension);
  requireFloat64Array('minimumB', b, potential.dimension);
  requireFinite('minimumA', a);
  requireFinite('minimumB', b);
  if (options.gradientTolerance !== undefined) requirePositive('gradientTolerance', options.gradientTolerance);
  if (options.maxCandidates !== undefined) requireInteger('maxCandidates', options.maxCandidates, 1);
  if (options.pushOff !== undefined) requirePositive('pushOff', options.pushOff);
  if (options.band?.images !== undefined) requireInteger('band.images', options.band.images, 1, 10_000);
  if (options.band?.springConstant !== undefined) requirePositive('band.springConstant', options.band.springConstant);
}

/** Steps off a saddle along ±v and quenches; the push grows until the energy has dropped. */
function stepOff(potential: Potential, ts: Float64Array, energy: number, v: Float64Array, sign: number, push: number, options: MinimizeOptions): MinimizeResult {
  const n = ts.length;
  const x = new Float64Array(n);
  let size = push;
  for (let attempt = 0; attempt < 8; attempt++, size *= 2) {
    for (let i = 0; i < n; i++) x[i] = ts[i] + sign * size * v[i];
    if (potential.energy(x) < energy) break;
  }
  return lbfgs(potential, x, options);
}

export function findTransitionState(
  potential: Potential,
  minimumA: Float64Array,
  minimumB: Float64Array,
  options: TransitionStateOptions = {},
): TransitionStateSearchResult {
  validate(potential, minimumA, minimumB, options);
  const tol = options.gradientTolerance ?? TOL.RMS_GRADIENT_CONVERGED;
  const end = potential.align ? potential.align(minimumA, minimumB) : minimumB;
  if (!(end instanceof Float64Array) || end.length !== potential.dimension) {
    throw new LandscapeError(expectedMessage(`Float64Array of length ${potential.dimension}`, 'potential.align(a, b)', end), 'ERR_DIMENSION_MISMATCH');
  }
  let separation = 0;
  for (let i = 0; i < end.length; i++) separation += (end[i] - minimumA[i]) ** 2;
  separation = Math.sqrt(separation);
  const band = dneb(potential, minimumA, end, { ...options.band, ...(options.signal ? { signal: options.signal } : {}) });
  let candidates = [...band.maxima];
  if (candidates.length === 0) {
    // A monotonic band still has a highest interior image worth refining.
    let top = 1;
    for (let j = 2; j < band.energies.length - 1; j++) if (band.energies[j] > band.energies[top]) top = j;
    candidates = [top];
  }
  candidates = candidates.slice(0, options.maxCandidates ?? 3);

  // Quenches from a saddle start in the flattest part of the basin; on network landscapes
  // L-BFGS with GMIN's 4 curvature pairs needs tens of thousands of steps to reach 1e-10. With
  // 50 pairs (O(50·n) arithmetic per step, small beside a gradient) the spiral network's
  // step-off quenches took 5–10× fewer steps (bench/transition.bench.ts); the budget is larger too.
  const quench: MinimizeOptions = {
    maxIterations: 100_000,
    memory: 50,
    ...options.minimize,
    gradientTolerance: tol,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const found: FoundTransitionState[] = [];
  const rejected: RejectedCandidate[] = [];
  for (const image of candidates) {
    if (options.signal?.aborted) break;
    const refined = followEigenvector(potential, band.path[image], {
      // Trust radius on the scale of the problem: a tenth of the end-to-end distance (at least
      // 0.1), so that network weights, which sit far apart, are not crawled over in tiny steps.
      maxStep: Math.max(0.1, 0.1 * separation),
      ...options.eigenvectorFollowing,
      gradientTolerance: tol,
      guess: band.tangents[image - 1],
      ...(options.eigenSolver ? { eigenSolver: options.eigenSolver } : {}),
      ...(options.denseMaxDimension !== undefined ? { denseMaxDimension: options.denseMaxDimension } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!refined.converged) {
      rejected.push({ image, reason: `eigenvector following: ${refined.message} at RMS gradient ${refined.rmsGradient}` });
      continue;
    }
    const check = checkIndex(potential, refined.x, {
      ...(options.eigenSolver ? { eigenSolver: options.eigenSolver } : {}),
      ...(options.denseMaxDimension !== undefined ? { denseMaxDimension: options.denseMaxDimension } : {}),
      ...(options.lppheRelTol !== undefined ? { lppheRelTol: options.lppheRelTol } : {}),
      guess: refined.eigenvector,
    });
    if (check.index !== 1) {
      rejected.push({ image, reason: `index ${check.index} (lowest eigenvalue ${check.lowestEigenvalue}), not a first-order saddle` });
      continue;
    }
    const duplicate = found.some(
      (t) => Math.abs(t.energy - refined.energy) <= TOL.DUPLICATE_ENERGY * Math.max(1, Math.abs(refined.energy)) && samePoint(potential, t.coordinates, refined.x),
    );
    if (duplicate) {
      rejected.push({ image, reason: 'duplicate of a transition state already found in this search' });
      continue;
    }
    const push = options.pushOff ?? 0.01;
    const minus = stepOff(potential, refined.x, refined.energy, refined.eigenvector, -1, push, quench);
    const plus = stepOff(potential, refined.x, refined.energy, refined.eigenvector, +1, push, quench);
    found.push({
      coordinates: Float64Array.from(refined.x),
      energy: refined.energy,
      rmsGradient: refined.rmsGradient,
      eigenvalue: refined.eigenvalue,
      eigenvector: Float64Array.from(refined.eigenvector),
      lpphe: check.lpphe,
      check,
      minus,
      plus,
      image,
      iterations: refined.iterations,
    });
  }
  found.sort((p, q) => p.image - q.image);
  return { transitionStates: found, rejected, band, end };
}

/** Same configuration up to the potential's symmetries (sameMinimum), else within TOL.DUPLICATE_DISTANCE. */
export function samePoint(potential: Potential, a: Float64Array, b: Float64Array): boolean {
  if (potential.sameMinimum) return potential.sameMinimum(a, b);
  const d = potential.alignedDistance ? potential.alignedDistance(a, b) : Math.sqrt(a.reduce((s, ai, i) => s + (ai - b[i]) ** 2, 0));
  return d <= TOL.DUPLICATE_DISTANCE;
}

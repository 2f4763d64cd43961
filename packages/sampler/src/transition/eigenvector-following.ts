// SPDX-License-Identifier: MIT
/**
 * Hybrid eigenvector following (L. J. Munro, D. J. Wales, Phys. Rev. B 59, 3969 (1999);
 * Y. Kumeda, L. J. Munro, D. J. Wales, Chem. Phys. Lett. 341, 185 (2001)): from a guess, repeat
 *   1. the lowest Hessian eigenpair (λ, v): Rayleigh–Ritz with H·v products, or a dense
 *      EigenSolver when one is injected and the dimension is small;
 *   2. one step uphill along v, h = 2F / (√(λ² + 4F²) − λ) with F = g·v (the maximising
 *      P-RFO step; Newton's −F/λ when λ < 0 and F is small), capped at the trust radius;
 *   3. L-BFGS on the energy restricted to the hyperplane ⟂ v, until the perpendicular RMS
 *      gradient is below half the parallel one: 5 steps far from the saddle, 20 near it,
 *      doubling (to 200) while progress is slow — networks are ill-conditioned and need many.
 * With a dense decomposition at hand, whenever the partitioned rational-function step (Baker
 * 1986: maximise along v, RFO-shifted minimisation along every other mode) fits in the trust
 * radius it is taken instead of 2–3, with the trust radius adapted to how well the quadratic
 * model predicted the energy change: near the saddle this converges quadratically, which is what
 * reaching an RMS gradient of 1e-10 needs.
 *
 * Cost per iteration: a Rayleigh–Ritz solve (tens of H·v, fewer with a warm start) or a dense
 * Hessian plus eigen-decomposition (O(n³)), plus up to the tangent-step count of gradient calls.
 */
import { TOL, type EigenSolver, type Potential } from '@lossscape/numeric';
import { lbfgs } from '../optimize/lbfgs.js';
import { denseEigenpairs, denseHessian, hessianVectorProduct, rayleighRitz } from './eigen.js';

export interface EigenvectorFollowingOptions {
  /** Converged when the RMS gradient ≤ this. Default 1e-10 (as for minima). */
  readonly gradientTolerance?: number;
  /** Outer iterations. Default 300. */
  readonly maxIterations?: number;
  /** Trust radius: the largest step (Euclidean). Default 0.1. */
  readonly maxStep?: number;
  /**
   * Tangent-space L-BFGS steps per iteration, [far from, near] the saddle. Default [5, 20]; near
   * the saddle the count doubles (up to `maxTangentIterations`) while the RMS gradient falls by
   * less than 30 % per iteration, which ill-conditioned landscapes (networks) need.
   */
  readonly tangentIterations?: readonly [number, number];
  /** Cap for the adaptive near-saddle count. Default 200. */
  readonly maxTangentIterations?: number;
  /** Dense eigen-solver (e.g. hessian-native's), used when dimension ≤ denseMaxDimension. */
  readonly eigenSolver?: EigenSolver;
  /** Largest dimension for the dense route. Default 600. */
  readonly denseMaxDimension?: number;
  /** Start vector for the lowest eigenvector (e.g. the band tangent). */
  readonly guess?: Float64Array;
  readonly signal?: AbortSignal;
  /** Called after every iteration (progress display, diagnostics). */
  readonly onIteration?: (state: { iteration: number; energy: number; rmsGradient: number; eigenvalue: number; trust: number }) => void;
}

export interface EigenvectorFollowingResult {
  readonly x: Float64Array;
  readonly energy: number;
  readonly gradient: Float64Array;
  readonly rmsGradient: number;
  /** Lowest Hessian eigenvalue at the last point where it was computed. */
  readonly eigenvalue: number;
  /** Its unit eigenvector. */
  readonly eigenvector: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** 'converged' | 'max-iterations' | 'non-finite' | 'aborted'. */
  readonly message: string;
  /** How the eigenvector was obtained. */
  readonly method: 'dense' | 'rayleigh-ritz';
}

function rmsOf(g: Float64Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s / g.length);
}

function dotOf(a: ArrayLike<number>, b: ArrayLike<number>, offset = 0): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[offset + i];
  return s;
}

/** Uphill P-RFO step length along a mode with eigenvalue λ and gradient component F. */
export function uphillStep(lambda: number, f: number, cap: number): number {
  if (f === 0) return 0;
  const denominator = Math.sqrt(lambda * lambda + 4 * f * f) - lambda;
  const h = denominator > 0 ? (2 * f) / denominator : Math.sign(f) * cap;
  return Math.max(-cap, Math.min(cap, h));
}

/**
 * Partitioned rational-function step (Baker 1986) in the eigenbasis: maximise along mode `u`
 * (h = −F/(λ − λp), λp = ½λ + ½√(λ² + 4F²)) and minimise along every other mode with the RFO
 * shift σ < min(λ_i, 0), the root of σ = Σ F_i² / (σ − λ_i), so each h_i = −F_i / (λ_i − σ) is
 * downhill and bounded even for tiny or negative λ_i. Near the saddle σ → 0 and the step becomes
 * Newton's. Symmetry modes (|λ| ≤ zero) are left alone: their eigenvectors are noise-mixed.
 */
export function partitionedRfoStep(values: Float64Array, f: Float64Array, u: number, zero: number): Float64Array {
  const n = values.length;
  const h = new Float64Array(n);
  h[u] = uphillStep(values[u], f[u], Infinity);
  let lowest = 0;
  let fNorm = 0;
  for (let i = 0; i < n; i++) {
    if (i === u || Math.abs(values[i]) <= zero) continue;
    lowest = Math.min(lowest, values[i]);
    fNorm += f[i] * f[i];
  }
  fNorm = Math.sqrt(fNorm);
  if (fNorm === 0) return h;
  const excess = (sigma: number): number => {
    let s = sigma;
    for (let i = 0; i < n; i++) if (i !== u && Math.abs(values[i]) > zero) s += (f[i] * f[i]) / (values[i] - sigma);
    return s;
  };
  // excess() increases on (−∞, lowest); it is ≤ 0 at lowest − ‖F‖ and > 0 just below lowest.
  let lo = lowest - fNorm - Number.MIN_VALUE;
  let hi = lowest;
  for (let k = 0; k < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); k++) {
    const mid = 0.5 * (lo + hi);
    if (mid === hi || mid === lo) break;
    if (excess(mid) < 0) lo = mid;
    else hi = mid;
  }
  const sigma = lo;
  for (let i = 0; i < n; i++) {
    if (i === u || Math.abs(values[i]) <= zero) continue;
    h[i] = -f[i] / (values[i] - sigma);
  }
  return h;
}

/**
 * The mode to climb: the lowest non-symmetry mode when its eigenvalue is negative; otherwise
 * (no negative curvature yet) the mode most parallel to the direction followed so far, since the
 * lowest positive mode is then a soft direction unrelated to the path (for a network, one of the
 * softmax flat directions that L2 lifts to 2λ).
 */
function climbedMode(values: Float64Array, vectors: Float64Array, previous: Float64Array): number {
  const u = uphillMode(values);
  if (values[u] < 0) return u;
  const n = values.length;
  let spread = 0;
  for (const v of values) spread = Math.max(spread, Math.abs(v));
  let best = u;
  let bestOverlap = -1;
  for (let m = 0; m < n; m++) {
    if (Math.abs(values[m]) <= TOL.F64_ZERO_MODE * spread) continue;
    const overlap = Math.abs(dotOf(previous, vectors, m * n));
    if (overlap > bestOverlap) {
      bestOverlap = overlap;
      best = m;
    }
  }
  return best;
}

/** Index of the mode to climb: the lowest eigenvalue that is not a symmetry (zero) mode. */
function uphillMode(values: Float64Array): number {
  let spread = 0;
  for (const v of values) spread = Math.max(spread, Math.abs(v));
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) > TOL.F64_ZERO_MODE * spread) return i;
  return 0;
}

/** Refines a guess to a first-order saddle. Never throws for numerical trouble. */
export function followEigenvector(potential: Potential, x0: Float64Array, options: EigenvectorFollowingOptions = {}): EigenvectorFollowingResult {
  const n = potential.dimension;
  const tol = options.gradientTolerance ?? TOL.RMS_GRADIENT_CONVERGED;
  const maxIterations = options.maxIterations ?? 300;
  const maxStep = options.maxStep ?? 0.1;
  const [tangentFar, tangentNear] = options.tangentIterations ?? [5, 20];
  const maxTangent = Math.max(tangentNear, options.maxTangentIterations ?? 200);
  let nearCount = tangentNear;
  const dense = options.eigenSolver !== undefined && n <= (options.denseMaxDimension ?? 600);
  const method = dense ? 'dense' : 'rayleigh-ritz';

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let v: Float64Array = options.guess ? Float64Array.from(options.guess) : new Float64Array(n).fill(1);
  let lambda = NaN;
  let trust = maxStep;
  let energy = potential.energyGradient(x, g);
  let rms = rmsOf(g);

  const done = (iterations: number, message: string): EigenvectorFollowingResult => ({
    x,
    energy,
    gradient: g,
    rmsGradient: rms,
    eigenvalue: lambda,
    eigenvector: v,
    iterations,
    converged: message === 'converged',
    message,
    method,
  });

  // The tangent-space problem: the energy with its gradient projected off v.
  const projected: Potential = {
    dimension: n,
    energy: (y) => potential.energy(y),
    energyGradient(y, out) {
      const e = potential.energyGradient(y, out);
      const d = dotOf(v, out);
      for (let i = 0; i < n; i++) out[i] -= d * v[i];
      return e;
    },
  };

  for (let iteration = 0; ; iteration++) {
    if (iteration > 0) options.onIteration?.({ iteration, energy, rmsGradient: rms, eigenvalue: lambda, trust });
    if (!Number.isFinite(energy) || !Number.isFinite(rms)) return done(iteration, 'non-finite');
    if (rms <= tol) {
      if (Number.isNaN(lambda)) {
        // Converged before any curvature was computed: still report the lowest eigenpair.
        if (dense) {
          const { values, vectors } = denseEigenpairs(options.eigenSolver!, denseHessian(potential, x), n);
          const u = uphillMode(values);
          lambda = values[u];
          v = vectors.slice(u * n, (u + 1) * n);
        } else ({ value: lambda, vector: v } = rayleighRitz(potential, x, { guess: v }));
      }
      return done(iteration, 'converged');
    }
    if (iteration >= maxIterations) return done(iteration, 'max-iterations');
    if (options.signal?.aborted) return done(iteration, 'aborted');

    if (dense) {
      const { values, vectors } = denseEigenpairs(options.eigenSolver!, denseHessian(potential, x), n);
      const u = climbedMode(values, vectors, v);
      let spread = 0;
      for (const val of values) spread = Math.max(spread, Math.abs(val));
      const zero = TOL.F64_ZERO_MODE * spread;
      const f = new Float64Array(n);
      for (let m = 0; m < n; m++) f[m] = dotOf(g, vectors, m * n);
      const h = partitionedRfoStep(values, f, u, zero);
      const newV = vectors.slice(u * n, (u + 1) * n);
      // Keep the eigenvector's sign continuous between iterations.
      if (dotOf(newV, v) < 0) for (let i = 0; i < n; i++) newV[i] = -newV[i];
      v = newV;
      lambda = values[u];
      const length = Math.sqrt(dotOf(h, h));
      if (length <= trust) {
        // In the saddle's quadratic region: the full partitioned-RFO step.
        let predicted = 0;
        const step = new Float64Array(n);
        for (let m = 0; m < n; m++) {
          if (h[m] === 0) continue;
          predicted += f[m] * h[m] + 0.5 * values[m] * h[m] * h[m];
          for (let i = 0; i < n; i++) step[i] += h[m] * vectors[m * n + i];
        }
        for (let i = 0; i < n; i++) x[i] += step[i];
        const before = energy;
        energy = potential.energyGradient(x, g);
        rms = rmsOf(g);
        // Trust radius from how well the quadratic model predicted the energy change (saddle
        // searches have no monotone merit function, so the model's fidelity is the guide).
        if (Math.abs(predicted) > 4 * Number.EPSILON * Math.max(1, Math.abs(before))) {
          const ratio = (energy - before) / predicted;
          if (Math.abs(ratio - 1) < 0.25) trust = Math.min(maxStep, 2 * trust);
          else if (!(Math.abs(ratio - 1) < 0.75)) trust = Math.max(1e-3 * maxStep, 0.5 * trust);
        }
        continue;
      }
    } else {
      const pair = rayleighRitz(potential, x, { guess: v });
      if (pair.value < 0 || Number.isNaN(lambda)) {
        if (dotOf(pair.vector, v) < 0) for (let i = 0; i < n; i++) pair.vector[i] = -pair.vector[i];
        v = pair.vector;
        lambda = pair.value;
      } else {
        // No negative curvature here: the lowest mode is a soft direction (for a network, one of
        // the L2-lifted flat directions at 2λ) that leads nowhere; keep climbing along the
        // direction followed so far (first the band tangent) with its own curvature.
        const hv = new Float64Array(n);
        hessianVectorProduct(potential, x, v, hv);
        lambda = dotOf(v, hv);
      }
    }

    // Hybrid step: uphill along v, then minimise in the tangent space.
    const f = dotOf(g, v);
    const h = uphillStep(lambda, f, trust);
    for (let i = 0; i < n; i++) x[i] += h * v[i];
    const near = lambda < 0 && Math.abs(h) < 0.5 * trust;
    // Minimise across only as far as the climb along v has got: the perpendicular RMS gradient
    // need not fall far below the parallel one (|F|/√n), or the walk in the hyperplane drifts
    // where v no longer describes the curvature.
    const tangent = lbfgs(projected, x, {
      gradientTolerance: Math.max(tol, (0.5 * Math.abs(f)) / Math.sqrt(n)),
      maxIterations: near ? nearCount : tangentFar,
      maxStep: trust,
    });
    x.set(tangent.x);
    const before = rms;
    energy = potential.energyGradient(x, g);
    rms = rmsOf(g);
    if (near && rms > 0.7 * before) nearCount = Math.min(maxTangent, 2 * nearCount);
  }
}

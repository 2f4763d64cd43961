// SPDX-License-Identifier: MIT
/**
 * Curvature at a point: Hessian-vector products (analytic when the potential has them, else
 * central differences of the gradient), the lowest Hessian eigenpair by Rayleigh–Ritz
 * minimisation (OPTIM's approach: minimise λ(v) = vᵀHv / vᵀv with L-BFGS, so only H·v is
 * needed), and the dense alternative through an injected EigenSolver.
 *
 * Cost: Rayleigh–Ritz takes one H·v per L-BFGS iteration (two gradient calls when finite
 * differences stand in for it); the dense route O(n²) memory and O(n³) time, plus 2n gradient
 * calls for a finite-difference Hessian when the potential has no `hessian`.
 */
import { TOL, centralDifferenceHessian, type EigenSolver, type Potential } from '@lossscape/numeric';
import { lbfgs } from '../optimize/lbfgs.js';

/** H(x)·v into `out`: analytic when available, else (∇E(x + hv) − ∇E(x − hv)) / 2h. */
export function hessianVectorProduct(potential: Potential, x: Float64Array, v: Float64Array, out: Float64Array): void {
  if (potential.hessianVectorProduct) {
    potential.hessianVectorProduct(x, v, out);
    return;
  }
  const n = x.length;
  let vn = 0;
  let xmax = 1;
  for (let i = 0; i < n; i++) {
    vn += v[i] * v[i];
    xmax = Math.max(xmax, Math.abs(x[i]));
  }
  vn = Math.sqrt(vn);
  if (vn === 0) {
    out.fill(0);
    return;
  }
  const h = (TOL.FD_STEP * xmax) / vn;
  const y = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = x[i] - h * v[i];
  potential.energyGradient(y, gm);
  for (let i = 0; i < n; i++) y[i] = x[i] + h * v[i];
  potential.energyGradient(y, out);
  for (let i = 0; i < n; i++) out[i] = (out[i] - gm[i]) / (2 * h);
}

/** Dense Hessian: the potential's own, else central differences of its gradient. */
export function denseHessian(potential: Potential, x: Float64Array): Float64Array {
  return potential.hessian ? potential.hessian(x) : centralDifferenceHessian((y, out) => void potential.energyGradient(y, out), x);
}

export interface Eigenpair {
  readonly value: number;
  /** Unit vector. */
  readonly vector: Float64Array;
}

export interface RayleighRitzOptions {
  /** Start vector (e.g. the band tangent or the previous eigenvector). Default: a fixed spread vector. */
  readonly guess?: Float64Array;
  /** Search only orthogonal to these unit vectors (deflation, for the second-lowest eigenvalue). */
  readonly orthogonalTo?: readonly Float64Array[];
  /** Stop when the RMS gradient of λ(v) ≤ tolerance × max(|λ|, ‖Hv‖). Default 1e-7. */
  readonly tolerance?: number;
  readonly maxIterations?: number;
}

function normalise(v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  s = Math.sqrt(s);
  if (s > 0) for (let i = 0; i < v.length; i++) v[i] /= s;
  return v;
}

function project(v: Float64Array, basis: readonly Float64Array[]): void {
  for (const b of basis) {
    let d = 0;
    for (let i = 0; i < v.length; i++) d += v[i] * b[i];
    for (let i = 0; i < v.length; i++) v[i] -= d * b[i];
  }
}

/**
 * Lowest eigenpair of H(x) by Rayleigh–Ritz minimisation with L-BFGS: the function
 * λ(v) = vᵀHv / vᵀv has gradient 2(Hv − λv) / vᵀv, and its minimum is the lowest eigenvalue.
 */
export function rayleighRitz(potential: Potential, x: Float64Array, options: RayleighRitzOptions = {}): Eigenpair & { products: number } {
  const n = potential.dimension;
  const basis = options.orthogonalTo ?? [];
  const v0 = options.guess ? Float64Array.from(options.guess) : Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 13) / 13);
  project(v0, basis);
  normalise(v0);
  const hv = new Float64Array(n);
  const w = new Float64Array(n);
  let products = 0;
  const quotient = {
    dimension: n,
    energy: (v: Float64Array) => quotient.energyGradient(v, new Float64Array(n)),
    energyGradient(v: Float64Array, g: Float64Array): number {
      w.set(v);
      project(w, basis);
      let vv = 0;
      for (let i = 0; i < n; i++) vv += w[i] * w[i];
      if (vv === 0) {
        g.fill(0);
        return 0;
      }
      hessianVectorProduct(potential, x, w, hv);
      products++;
      let vhv = 0;
      for (let i = 0; i < n; i++) vhv += w[i] * hv[i];
      const lambda = vhv / vv;
      for (let i = 0; i < n; i++) g[i] = (2 * (hv[i] - lambda * w[i])) / vv;
      project(g, basis);
      return lambda;
    },
  };
  const g0 = new Float64Array(n);
  const lambda0 = quotient.energyGradient(v0, g0);
  let hvNorm = 0;
  for (let i = 0; i < n; i++) hvNorm += hv[i] * hv[i];
  const scale = Math.max(Math.abs(lambda0), Math.sqrt(hvNorm), Number.MIN_VALUE);
  const result = lbfgs(quotient, v0, {
    gradientTolerance: (options.tolerance ?? 1e-7) * scale,
    maxIterations: options.maxIterations ?? 500,
    maxStep: 0.5,
    initialInverseHessian: 0.5 / scale,
    // The quotient is invariant under scaling v, so only the direction matters; rounding in
    // λ is relative to its size.
    maxEnergyRise: 1e-12 * scale,
  });
  const vector = Float64Array.from(result.x);
  project(vector, basis);
  normalise(vector);
  return { value: result.energy, vector, products };
}

/** All eigenpairs of a dense symmetric matrix through the injected solver, ascending. */
export function denseEigenpairs(solver: EigenSolver, matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  return solver.lowest(matrix, n, n);
}

// SPDX-License-Identifier: MIT
/**
 * Central-difference references for analytic derivatives (STYLE R7). Every package checks
 * its gradients and Hessians against these in tests.
 *
 * ```ts
 * const report = checkGradient(potential, x);
 * expect(report.relativeError).toBeLessThan(TOL.F64_FD_DERIVATIVE);
 * ```
 * Cost: the gradient takes 2n energy calls, the Hessian 2n gradient calls.
 */
import type { Potential } from './potential.js';
import { TOL } from './tolerances.js';
import { maxAbs, maxAbsDiff } from './vector.js';

function stepFor(xi: number, relStep: number): number {
  return relStep * Math.max(1, Math.abs(xi));
}

/** ∇f by central differences: (f(x + h e_i) − f(x − h e_i)) / 2h. */
export function centralDifferenceGradient(f: (x: Float64Array) => number, x: Float64Array, relStep: number = TOL.FD_STEP): Float64Array {
  const g = new Float64Array(x.length);
  const y = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const h = stepFor(x[i], relStep);
    y[i] = x[i] + h;
    const fp = f(y);
    y[i] = x[i] - h;
    const fm = f(y);
    y[i] = x[i];
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Hessian by central differences of the gradient, symmetrised, row-major n×n. */
export function centralDifferenceHessian(
  gradient: (x: Float64Array, out: Float64Array) => void,
  x: Float64Array,
  relStep: number = TOL.FD_STEP,
): Float64Array {
  const n = x.length;
  const h2 = new Float64Array(n * n);
  const y = Float64Array.from(x);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = stepFor(x[j], relStep);
    y[j] = x[j] + h;
    gradient(y, gp);
    y[j] = x[j] - h;
    gradient(y, gm);
    y[j] = x[j];
    for (let i = 0; i < n; i++) h2[i * n + j] = (gp[i] - gm[i]) / (2 * h);
  }
  // Why: the two triangles carry independent rounding noise; averaging them halves it.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (h2[i * n + j] + h2[j * n + i]);
      h2[i * n + j] = s;
      h2[j * n + i] = s;
    }
  }
  return h2;
}

/** Central-difference Hessian-vector product: (∇E(x + hv) − ∇E(x − hv)) / 2h. */
export function centralDifferenceHessianVector(
  gradient: (x: Float64Array, out: Float64Array) => void,
  x: Float64Array,
  v: Float64Array,
  relStep: number = TOL.FD_STEP,
): Float64Array {
  const n = x.length;
  const vn = Math.sqrt(v.reduce((s, a) => s + a * a, 0)) || 1;
  const h = relStep * Math.max(1, maxAbs(x)) / vn;
  const y = new Float64Array(n);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = x[i] + h * v[i];
  gradient(y, gp);
  for (let i = 0; i < n; i++) y[i] = x[i] - h * v[i];
  gradient(y, gm);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (gp[i] - gm[i]) / (2 * h);
  return out;
}

export interface DerivativeCheck {
  /** max |analytic − numeric| */
  readonly maxAbsError: number;
  /** maxAbsError / max(max|numeric|, tiny): the "max-norm of the difference ≤ tol × max-norm of the reference". */
  readonly relativeError: number;
  readonly analytic: Float64Array;
  readonly numeric: Float64Array;
}

function report(analytic: Float64Array, numeric: Float64Array): DerivativeCheck {
  const maxAbsError = maxAbsDiff(analytic, numeric);
  const scale = Math.max(maxAbs(numeric), Number.MIN_VALUE);
  return { maxAbsError, relativeError: maxAbsError / scale, analytic, numeric };
}

/** Analytic gradient of a Potential against central differences of its energy. */
export function checkGradient(potential: Potential, x: Float64Array, relStep: number = TOL.FD_STEP): DerivativeCheck {
  const analytic = new Float64Array(potential.dimension);
  potential.energyGradient(x, analytic);
  const numeric = centralDifferenceGradient((y) => potential.energy(y), x, relStep);
  return report(analytic, numeric);
}

/** Analytic Hessian of a Potential against central differences of its gradient. */
export function checkHessian(potential: Potential, x: Float64Array, relStep: number = TOL.FD_STEP): DerivativeCheck {
  if (!potential.hessian) throw new TypeError('Expected a Potential with hessian() for checkHessian but received one without');
  const analytic = potential.hessian(x);
  const numeric = centralDifferenceHessian((y, out) => potential.energyGradient(y, out), x, relStep);
  return report(analytic, numeric);
}

/** Largest |H_ij − H_ji|, relative to max|H|: 0 for an exactly symmetric matrix. */
export function asymmetry(matrix: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) worst = Math.max(worst, Math.abs(matrix[i * n + j] - matrix[j * n + i]));
  return worst / Math.max(maxAbs(matrix), Number.MIN_VALUE);
}

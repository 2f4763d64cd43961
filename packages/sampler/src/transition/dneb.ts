// SPDX-License-Identifier: MIT
/**
 * Doubly-nudged elastic band (S. A. Trygubenko, D. J. Wales, J. Chem. Phys. 120, 2082 (2004)).
 * Images x_1 … x_N between fixed end points x_0 = A and x_{N+1} = B. For image i, with unit
 * tangent τ (the energy-weighted tangent of Henkelman & Jónsson 2000), true gradient g and
 * spring gradient gˢ = k(2x_i − x_{i−1} − x_{i+1}):
 *
 *   g⊥   = g − (g·τ)τ                                   (true force, perpendicular part only)
 *   gˢ∥  = −k(|x_{i+1} − x_i| − |x_i − x_{i−1}|) τ       (springs act along the band only …)
 *   gˢ⊥  = gˢ − (gˢ·τ)τ
 *   g̃ˢ⊥  = gˢ⊥ − (gˢ⊥·ĝ⊥)ĝ⊥,  ĝ⊥ = g⊥/|g⊥|              (… except DNEB's doubly nudged part)
 *   g_DNEB = g⊥ + gˢ∥ + g̃ˢ⊥
 *
 * The band is optimised with the shared GMIN-style L-BFGS (no line search; steps capped) as
 * Trygubenko & Wales do: g_DNEB is not the gradient of any function, so the L-BFGS energy
 * check is switched off by an unbounded `maxEnergyRise`. Optional climbing image (Henkelman,
 * Uberuaga & Jónsson 2000): the highest image feels −g reflected along τ and no springs.
 *
 * Cost per iteration: N energy+gradient calls and O(N·n) arithmetic.
 */
import type { Potential } from '@lossscape/numeric';
import { lbfgs } from '../optimize/lbfgs.js';

export interface DnebOptions {
  /** Interior images. Default 10. */
  readonly images?: number;
  /**
   * Spring constant k (energy / distance²). Default: scaled to the interpolated band,
   * 10 · max(ΔE, 1e-3) / L², with ΔE the energy range along the first band and L the
   * end-to-end distance, so springs matter on any energy scale.
   */
  readonly springConstant?: number;
  /** L-BFGS iterations on the band. Default 500. */
  readonly maxIterations?: number;
  /** Stop when the RMS of the band gradient ≤ this. Default 1e-3 × (ΔE / L) of the first band. */
  readonly gradientTolerance?: number;
  /** Largest step of the whole band vector per iteration. Default 0.1 × L. */
  readonly maxStep?: number;
  /** Switch the highest image to climbing mode (default false: OPTIM refines every local maximum instead). */
  readonly climbingImage?: boolean;
  readonly signal?: AbortSignal;
}

export interface DnebResult {
  /** End points and images: N + 2 points. */
  readonly path: readonly Float64Array[];
  readonly energies: Float64Array;
  /** Unit tangents of the interior images (index 0 is image 1). */
  readonly tangents: readonly Float64Array[];
  /** Path indices (1 … N) of images higher than both neighbours, highest first. */
  readonly maxima: readonly number[];
  readonly iterations: number;
  readonly evaluations: number;
  readonly rmsGradient: number;
  readonly springConstant: number;
  readonly converged: boolean;
}

function dist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** Energy-weighted tangent at image i of a path (Henkelman & Jónsson 2000), normalised. */
function tangentAt(path: readonly Float64Array[], e: ArrayLike<number>, i: number, out: Float64Array): void {
  const n = out.length;
  const prev = path[i - 1];
  const cur = path[i];
  const next = path[i + 1];
  const up = e[i + 1] - e[i];
  const down = e[i] - e[i - 1];
  if (up > 0 && down > 0) {
    for (let k = 0; k < n; k++) out[k] = next[k] - cur[k];
  } else if (up < 0 && down < 0) {
    for (let k = 0; k < n; k++) out[k] = cur[k] - prev[k];
  } else {
    const dMax = Math.max(Math.abs(up), Math.abs(down));
    const dMin = Math.min(Math.abs(up), Math.abs(down));
    const [wNext, wPrev] = e[i + 1] > e[i - 1] ? [dMax, dMin] : [dMin, dMax];
    for (let k = 0; k < n; k++) out[k] = wNext * (next[k] - cur[k]) + wPrev * (cur[k] - prev[k]);
    if (wNext === 0 && wPrev === 0) for (let k = 0; k < n; k++) out[k] = next[k] - prev[k];
  }
  let s = 0;
  for (let k = 0; k < n; k++) s += out[k] * out[k];
  s = Math.sqrt(s);
  if (s > 0) for (let k = 0; k < n; k++) out[k] /= s;
}

/** Linear interpolation with `images` interior points. */
export function interpolate(a: Float64Array, b: Float64Array, images: number): Float64Array[] {
  const path: Float64Array[] = [];
  for (let j = 0; j <= images + 1; j++) {
    const t = j / (images + 1);
    path.push(Float64Array.from(a, (ai, k) => ai + t * (b[k] - ai)));
  }
  return path;
}

/**
 * Relaxes a band between `start` and `end` (already in register: align them first).
 * Never throws for numerical trouble: a band that does not reach the tolerance returns
 * `converged: false`; its highest images are still useful guesses.
 */
export function dneb(potential: Potential, start: Float64Array, end: Float64Array, options: DnebOptions = {}): DnebResult {
  const n = potential.dimension;
  const images = options.images ?? 10;
  const length = dist(start, end);
  const path = interpolate(start, end, images);
  const energies = new Float64Array(images + 2);
  const scratch = new Float64Array(n);
  energies[0] = potential.energyGradient(start, scratch);
  energies[images + 1] = potential.energyGradient(end, scratch);
  for (let j = 1; j <= images; j++) energies[j] = potential.energy(path[j]);
  let eLo = Infinity;
  let eHi = -Infinity;
  for (const e of energies) {
    eLo = Math.min(eLo, e);
    eHi = Math.max(eHi, e);
  }
  const range = Math.max(eHi - eLo, 1e-3);
  const scaleLength = Math.max(length, 1e-12);
  const k = options.springConstant ?? (10 * range) / (scaleLength * scaleLength);
  const tol = options.gradientTolerance ?? (1e-3 * range) / scaleLength;
  const climbing = options.climbingImage ?? false;

  const tangents = Array.from({ length: images }, () => new Float64Array(n));
  const g = new Float64Array(n);
  let evaluations = 0;

  const band: Potential = {
    dimension: images * n,
    energy: (y) => band.energyGradient(y, new Float64Array(images * n)),
    energyGradient(y, out) {
      for (let j = 1; j <= images; j++) path[j] = y.subarray((j - 1) * n, j * n);
      let total = 0;
      const grads: Float64Array[] = [];
      for (let j = 1; j <= images; j++) {
        const gj = out.subarray((j - 1) * n, j * n);
        energies[j] = potential.energyGradient(path[j], gj);
        evaluations++;
        total += energies[j];
        grads.push(gj);
      }
      let top = 1;
      for (let j = 2; j <= images; j++) if (energies[j] > energies[top]) top = j;
      for (let j = 1; j <= images; j++) {
        const tau = tangents[j - 1];
        tangentAt(path, energies, j, tau);
        const gj = grads[j - 1];
        const prev = path[j - 1];
        const cur = path[j];
        const next = path[j + 1];
        let gt = 0;
        for (let q = 0; q < n; q++) gt += gj[q] * tau[q];
        if (climbing && j === top) {
          for (let q = 0; q < n; q++) gj[q] -= 2 * gt * tau[q];
          continue;
        }
        // g⊥ in place; remember |g⊥|.
        let gpn = 0;
        for (let q = 0; q < n; q++) {
          gj[q] -= gt * tau[q];
          gpn += gj[q] * gj[q];
        }
        gpn = Math.sqrt(gpn);
        // Spring gradient and its perpendicular part.
        let st = 0;
        for (let q = 0; q < n; q++) {
          g[q] = k * (2 * cur[q] - prev[q] - next[q]);
          st += g[q] * tau[q];
        }
        let sg = 0;
        for (let q = 0; q < n; q++) {
          g[q] -= st * tau[q];
          sg += g[q] * gj[q];
        }
        const parallel = -k * (dist(next, cur) - dist(cur, prev));
        // (gˢ⊥·ĝ⊥)ĝ⊥ = (gˢ⊥·g⊥ / |g⊥|²) g⊥, with gj still holding g⊥ on the right-hand side.
        const nudge = gpn > 0 ? sg / (gpn * gpn) : 0;
        for (let q = 0; q < n; q++) gj[q] += parallel * tau[q] + g[q] - nudge * gj[q];
        total += 0.5 * k * dist(next, cur) ** 2;
      }
      return total;
    },
  };

  const y0 = new Float64Array(images * n);
  for (let j = 1; j <= images; j++) y0.set(path[j], (j - 1) * n);
  const result = lbfgs(band, y0, {
    gradientTolerance: tol,
    maxIterations: options.maxIterations ?? 500,
    maxStep: options.maxStep ?? 0.1 * scaleLength,
    maxEnergyRise: Number.MAX_VALUE,
    initialInverseHessian: 0.1 / Math.max(k, 1e-12),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // Re-evaluate at the final band so energies and tangents describe it exactly.
  const finalGradient = new Float64Array(images * n);
  band.energyGradient(result.x, finalGradient);
  const finalPath = path.map((p) => Float64Array.from(p));
  const maxima: number[] = [];
  for (let j = 1; j <= images; j++) if (energies[j] > energies[j - 1] && energies[j] > energies[j + 1]) maxima.push(j);
  maxima.sort((a, b) => energies[b] - energies[a]);
  let rms = 0;
  for (let i = 0; i < finalGradient.length; i++) rms += finalGradient[i] ** 2;
  rms = Math.sqrt(rms / finalGradient.length);
  return {
    path: finalPath,
    energies: Float64Array.from(energies),
    tangents: tangents.map((t) => Float64Array.from(t)),
    maxima,
    iterations: result.iterations,
    evaluations,
    rmsGradient: rms,
    springConstant: k,
    converged: rms <= tol,
  };
}

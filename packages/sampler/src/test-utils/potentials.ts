// SPDX-License-Identifier: MIT
/**
 * Analytic test surfaces shared by the sampler's tests (L-BFGS, basin-hopping, transition
 * states). Excluded from the build (tsconfig.lib.json excludes src/**\/test-utils/**).
 *
 * ```ts
 * import { mullerBrown, MULLER_BROWN } from '../test-utils/potentials.js';
 * const mb = mullerBrown();
 * mb.energy(Float64Array.of(MULLER_BROWN.minima[0].x, MULLER_BROWN.minima[0].y)); // ≈ −146.6995
 * ```
 */
import type { Potential } from '@lossscape/numeric';
import { lennardJonesCluster, type LennardJonesOptions } from '../model/lennard-jones.js';

/** E = ½ Σ_i k_i (x_i − c_i)², minimum 0 at c. */
export function diagonalQuadratic(curvatures: readonly number[], centre: readonly number[] = curvatures.map(() => 0)): Potential {
  const k = Float64Array.from(curvatures);
  const c = Float64Array.from(centre);
  const n = k.length;
  return {
    dimension: n,
    energy(x) {
      let e = 0;
      for (let i = 0; i < n; i++) e += 0.5 * k[i] * (x[i] - c[i]) ** 2;
      return e;
    },
    energyGradient(x, g) {
      let e = 0;
      for (let i = 0; i < n; i++) {
        const d = x[i] - c[i];
        e += 0.5 * k[i] * d * d;
        g[i] = k[i] * d;
      }
      return e;
    },
    hessian() {
      const h = new Float64Array(n * n);
      for (let i = 0; i < n; i++) h[i * n + i] = k[i];
      return h;
    },
  };
}

/** Coupled quadratic E = ½ (x − c)ᵀ A (x − c) for a symmetric positive-definite row-major A. */
export function quadratic(a: Float64Array, centre: Float64Array): Potential {
  const n = centre.length;
  const r = new Float64Array(n);
  const evalAt = (x: Float64Array, g: Float64Array | null): number => {
    for (let i = 0; i < n; i++) r[i] = x[i] - centre[i];
    let e = 0;
    for (let i = 0; i < n; i++) {
      let ai = 0;
      for (let j = 0; j < n; j++) ai += a[i * n + j] * r[j];
      if (g) g[i] = ai;
      e += 0.5 * r[i] * ai;
    }
    return e;
  };
  return {
    dimension: n,
    energy: (x) => evalAt(x, null),
    energyGradient: (x, g) => evalAt(x, g),
    hessian: () => Float64Array.from(a),
  };
}

/** Extended Rosenbrock E = Σ_{i<n−1} 100 (x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1). */
export function rosenbrock(n: number): Potential {
  return {
    dimension: n,
    energy(x) {
      let e = 0;
      for (let i = 0; i < n - 1; i++) e += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
      return e;
    },
    energyGradient(x, g) {
      g.fill(0);
      let e = 0;
      for (let i = 0; i < n - 1; i++) {
        const t = x[i + 1] - x[i] * x[i];
        const u = 1 - x[i];
        e += 100 * t * t + u * u;
        g[i] += -400 * x[i] * t - 2 * u;
        g[i + 1] += 200 * t;
      }
      return e;
    },
  };
}

/**
 * Müller–Brown (K. Müller, L. D. Brown, Theor. Chim. Acta 53, 75 (1979)) with its five
 * stationary points to 10 digits (the same numbers as tools/reference/muller_brown.json).
 */
export const MULLER_BROWN = Object.freeze({
  A: [-200, -100, -170, 15],
  a: [-1, -1, -6.5, 0.7],
  b: [0, 0, 11, 0.6],
  c: [-10, -10, -6.5, 0.7],
  x0: [1, 0, -0.5, -1],
  y0: [0, 0.5, 1.5, 1],
  checkValue: { x: 0, y: 0, energy: -48.40127417318389 },
  minima: [
    { label: 'MA', x: -0.5582236346, y: 1.4417258418, energy: -146.69951721 },
    { label: 'MB', x: 0.6234994049, y: 0.0280377585, energy: -108.1667241169 },
    { label: 'MC', x: -0.050010823, y: 0.4666941049, energy: -80.7678181297 },
  ],
  saddles: [
    { label: 'S1', x: -0.8220015587, y: 0.6243128028, energy: -40.6648435087, connects: ['MA', 'MC'] },
    { label: 'S2', x: 0.212486582, y: 0.2929883251, energy: -72.2489401123, connects: ['MB', 'MC'] },
  ],
});

/** The Müller–Brown surface as a 2-D Potential with an analytic Hessian. */
export function mullerBrown(): Potential {
  const { A, a, b, c, x0, y0 } = MULLER_BROWN;
  const terms = (x: Float64Array, g: Float64Array | null, h: Float64Array | null): number => {
    let e = 0;
    if (g) g.fill(0);
    if (h) h.fill(0);
    for (let k = 0; k < 4; k++) {
      const dx = x[0] - x0[k];
      const dy = x[1] - y0[k];
      const v = A[k] * Math.exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy);
      e += v;
      const px = 2 * a[k] * dx + b[k] * dy;
      const py = b[k] * dx + 2 * c[k] * dy;
      if (g) {
        g[0] += v * px;
        g[1] += v * py;
      }
      if (h) {
        h[0] += v * (px * px + 2 * a[k]);
        h[1] += v * (px * py + b[k]);
        h[3] += v * (py * py + 2 * c[k]);
      }
    }
    if (h) h[2] = h[1];
    return e;
  };
  return {
    dimension: 2,
    energy: (x) => terms(x, null, null),
    energyGradient: (x, g) => terms(x, g, null),
    hessian: (x) => {
      const h = new Float64Array(4);
      terms(x, null, h);
      return h;
    },
  };
}

/** The four LJ7 minima (reduced units), lowest first: tools/reference/lj7.json. */
export const LJ7_MINIMA = Object.freeze([-16.505384, -15.935043, -15.593211, -15.53306]);
/** The reference energies above carry six decimals. */
export const LJ7_ENERGY_DIGITS = 1e-6;

/**
 * Lennard-Jones cluster V = 4 Σ_{i<j} (r⁻¹² − r⁻⁶), coordinates [x1, y1, z1, x2, …], with an
 * optional spherical container: the package's lennardJonesCluster (analytic Hessian), in the
 * positional form the tests use.
 */
export function lennardJones(atoms: number, options: Omit<LennardJonesOptions, 'atoms'> = {}): Potential {
  return lennardJonesCluster({ atoms, ...options });
}

/**
 * A compact random start for an LJ cluster: atoms uniform in a cube of side `side` about the
 * origin, redrawn until no two are closer than 0.8 (avoids r⁻¹² blow-ups).
 */
export function randomCluster(atoms: number, uniform: () => number, side = 1.6): Float64Array {
  const x = new Float64Array(3 * atoms);
  for (let i = 0; i < atoms; i++) {
    for (let tries = 0; ; tries++) {
      for (let k = 0; k < 3; k++) x[3 * i + k] = (uniform() - 0.5) * side;
      let ok = true;
      for (let j = 0; j < i && ok; j++) {
        const d2 = (x[3 * i] - x[3 * j]) ** 2 + (x[3 * i + 1] - x[3 * j + 1]) ** 2 + (x[3 * i + 2] - x[3 * j + 2]) ** 2;
        if (d2 < 0.64) ok = false;
      }
      if (ok || tries > 1000) break;
    }
  }
  return x;
}

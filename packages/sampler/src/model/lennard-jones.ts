// SPDX-License-Identifier: MIT
/**
 * A model potential for the sampler without any data: the Lennard-Jones cluster (GMIN's classic
 * test system), optionally in a spherical container so that basin-hopping cannot evaporate it.
 * Analytic energy, gradient and Hessian (checked against central differences in the tests). Used
 * by the sampler's tests and benchmarks and by `lossscape worker` as a cheap cluster check.
 */
import { createRng, expectedMessage, requireInteger, requirePositive, type Potential } from '@lossscape/numeric';

export interface LennardJonesOptions {
  readonly atoms: number;
  /** Atoms beyond this distance from the origin feel k·(r − R)² (keeps the cluster from evaporating). */
  readonly containerRadius?: number;
  /** k of the container wall (default 100). */
  readonly containerStiffness?: number;
}

/**
 * E = Σ_{i<j} 4(r⁻¹² − r⁻⁶) + Σ_i k·max(0, |x_i| − R)², in reduced units, with the analytic
 * gradient and Hessian. No `sameMinimum`: minima are told apart by energy alone, as GMIN does for
 * clusters. Cost O(atoms²) per gradient, O(atoms²) + O((3·atoms)²) per Hessian.
 */
export function lennardJonesCluster(args: LennardJonesOptions): Potential {
  if (args === null || typeof args !== 'object') throw new TypeError(expectedMessage('{ atoms, containerRadius? }', 'args', args));
  const atoms = requireInteger('args.atoms', args.atoms, 2);
  const radius = args.containerRadius === undefined ? Infinity : requirePositive('args.containerRadius', args.containerRadius);
  const stiffness = args.containerStiffness === undefined ? 100 : requirePositive('args.containerStiffness', args.containerStiffness);
  const n = 3 * atoms;
  const energyGradient = (x: Float64Array, g: Float64Array | null): number => {
    if (g) g.fill(0);
    let e = 0;
    for (let i = 0; i < atoms; i++) {
      for (let j = i + 1; j < atoms; j++) {
        const dx = x[3 * i] - x[3 * j];
        const dy = x[3 * i + 1] - x[3 * j + 1];
        const dz = x[3 * i + 2] - x[3 * j + 2];
        const ir2 = 1 / (dx * dx + dy * dy + dz * dz);
        const ir6 = ir2 * ir2 * ir2;
        e += 4 * (ir6 * ir6 - ir6);
        if (g) {
          // (dV/dr)/r as a function of r²: −48 r⁻¹⁴ + 24 r⁻⁸.
          const f = -(48 * ir6 * ir6 - 24 * ir6) * ir2;
          g[3 * i] += f * dx;
          g[3 * i + 1] += f * dy;
          g[3 * i + 2] += f * dz;
          g[3 * j] -= f * dx;
          g[3 * j + 1] -= f * dy;
          g[3 * j + 2] -= f * dz;
        }
      }
      if (radius < Infinity) {
        const r = Math.hypot(x[3 * i], x[3 * i + 1], x[3 * i + 2]);
        if (r > radius) {
          e += stiffness * (r - radius) ** 2;
          if (g) for (let k = 0; k < 3; k++) g[3 * i + k] += (2 * stiffness * (r - radius) * x[3 * i + k]) / r;
        }
      }
    }
    return e;
  };
  const hessian = (x: Float64Array): Float64Array => {
    const h = new Float64Array(n * n);
    const add = (a: number, b: number, block: number[]) => {
      for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) h[(3 * a + p) * n + 3 * b + q] += block[3 * p + q];
    };
    for (let i = 0; i < atoms; i++) {
      for (let j = i + 1; j < atoms; j++) {
        const d = [x[3 * i] - x[3 * j], x[3 * i + 1] - x[3 * j + 1], x[3 * i + 2] - x[3 * j + 2]];
        const ir2 = 1 / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        const ir4 = ir2 * ir2;
        const ir8 = ir4 * ir4;
        const f = -48 * ir8 * ir4 * ir2 + 24 * ir8; // (dV/dr)/r
        const df = 336 * ir8 * ir8 - 96 * ir8 * ir2; // d f / d(r²)
        // ∂²V/∂d∂dᵀ = f·I + 2 f′ d dᵀ, with d = x_i − x_j.
        const block = Array.from({ length: 9 }, (_, k) => (Math.floor(k / 3) === k % 3 ? f : 0) + 2 * df * d[Math.floor(k / 3)] * d[k % 3]);
        add(i, i, block);
        add(j, j, block);
        const minus = block.map((v) => -v);
        add(i, j, minus);
        add(j, i, minus);
      }
      if (radius < Infinity) {
        const xi = [x[3 * i], x[3 * i + 1], x[3 * i + 2]];
        const r = Math.hypot(xi[0], xi[1], xi[2]);
        if (r > radius) {
          // ∇²[k (r − R)²] = 2k [ (1 − s) x̂x̂ᵀ + s I ] with s = (r − R)/r.
          const s = (r - radius) / r;
          add(i, i, Array.from({ length: 9 }, (_, k) => 2 * stiffness * ((1 - s) * (xi[Math.floor(k / 3)] * xi[k % 3]) / (r * r) + (Math.floor(k / 3) === k % 3 ? s : 0))));
        }
      }
    }
    return h;
  };
  return { dimension: n, energy: (x) => energyGradient(x, null), energyGradient: (x, g) => energyGradient(x, g), hessian };
}

/**
 * A deterministic start for an LJ cluster: a simple cubic lattice (spacing 1.1, no overlaps)
 * centred on the origin, jittered by ±0.05 per coordinate from `seed`.
 */
export function latticeStart(atoms: number, seed: number): Float64Array {
  requireInteger('atoms', atoms, 1);
  const side = Math.ceil(Math.cbrt(atoms));
  const rng = createRng(seed);
  const x = new Float64Array(3 * atoms);
  const centre = (1.1 * (side - 1)) / 2;
  for (let i = 0; i < atoms; i++) {
    x[3 * i] = 1.1 * (i % side) - centre + rng.uniformIn(-0.05, 0.05);
    x[3 * i + 1] = 1.1 * (Math.floor(i / side) % side) - centre + rng.uniformIn(-0.05, 0.05);
    x[3 * i + 2] = 1.1 * Math.floor(i / (side * side)) - centre + rng.uniformIn(-0.05, 0.05);
  }
  return x;
}

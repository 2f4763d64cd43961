// SPDX-License-Identifier: MIT
/**
 * A toy potential with the network's kind of symmetry (DESIGN.md: permuting hidden units,
 * flipping the sign of a unit), for testing symmetry-aware duplicate detection without
 * tensor-core.
 *
 * x = [a1, b1, a2, b2, …]: `units` units of two coordinates each, E = Σ_u g(a_u, b_u) with
 * g(a, b) = (a² − 1)² + (b² − 1)² + c·a·b. Permuting units and flipping a unit's sign
 * (a, b) → (−a, −b) leave E unchanged. With c = 0 every minimum has E = 0 exactly, yet there
 * are `units + 1` symmetry-distinct minima (how many units sit at a = b versus a = −b):
 * energy alone lumps them into one, `sameMinimum` keeps them apart.
 */
import type { Potential } from '@lossscape/numeric';

/** Every permutation of 0..n−1 (n small). */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let k = 0; k <= rest.length; k++) out.push([...rest.slice(0, k), n - 1, ...rest.slice(k)]);
  }
  return out;
}

/**
 * Distance between p and q after the best permutation of q's units and the best sign of each
 * (brute force over units! permutations: fine for the few units of a test).
 */
export function alignedUnitDistance(p: Float64Array, q: Float64Array): number {
  const units = p.length / 2;
  let best = Infinity;
  for (const perm of permutations(units)) {
    let d2 = 0;
    for (let u = 0; u < units; u++) {
      const v = perm[u];
      const same = (p[2 * u] - q[2 * v]) ** 2 + (p[2 * u + 1] - q[2 * v + 1]) ** 2;
      const flipped = (p[2 * u] + q[2 * v]) ** 2 + (p[2 * u + 1] + q[2 * v + 1]) ** 2;
      d2 += Math.min(same, flipped);
    }
    best = Math.min(best, d2);
  }
  return Math.sqrt(best);
}

export interface SymmetricToyOptions {
  readonly units?: number;
  /** Coupling c; 0 makes all minima degenerate in energy. */
  readonly coupling?: number;
  /** Largest aligned distance at which two minima are the same (default 1e-3). */
  readonly distance?: number;
}

export function symmetricToy(options: SymmetricToyOptions = {}): Potential {
  const units = options.units ?? 2;
  const c = options.coupling ?? 0;
  const threshold = options.distance ?? 1e-3;
  const n = 2 * units;
  const evaluate = (x: Float64Array, g: Float64Array | null): number => {
    let e = 0;
    for (let u = 0; u < units; u++) {
      const a = x[2 * u];
      const b = x[2 * u + 1];
      e += (a * a - 1) ** 2 + (b * b - 1) ** 2 + c * a * b;
      if (g) {
        g[2 * u] = 4 * a * (a * a - 1) + c * b;
        g[2 * u + 1] = 4 * b * (b * b - 1) + c * a;
      }
    }
    return e;
  };
  return {
    dimension: n,
    energy: (x) => evaluate(x, null),
    energyGradient: (x, g) => evaluate(x, g),
    sameMinimum: (p, q) => alignedUnitDistance(p, q) < threshold,
  };
}

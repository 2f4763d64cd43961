// SPDX-License-Identifier: MIT
/**
 * A tiny network landscape for the sampler's tests (tests only; the real one is tensor-core's
 * createLossPotential, which the sampler may not import): one tanh hidden layer, softmax
 * cross-entropy over two classes, L2 term λ‖w‖², weight layout as DESIGN.md
 * ([W1 (hidden×inputs), b1, W2 (classes×hidden), b2]). With so few hidden units the symmetry
 * group (hidden-unit permutations × sign flips, H!·2^H elements) is searched exhaustively for
 * `align`, `alignedDistance` and `sameMinimum`.
 */
import type { Potential, Rng } from '@lossscape/numeric';

export interface TinyData {
  readonly inputs: ReadonlyArray<readonly [number, number]>;
  readonly labels: readonly number[];
}

/** Two interleaved spirals with `perClass` points each and uniform noise ±noise. */
export function tinySpirals(rng: Rng, perClass: number, noise = 0.1): TinyData {
  const inputs: Array<[number, number]> = [];
  const labels: number[] = [];
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < perClass; i++) {
      const t = (i / perClass) * 3 * Math.PI + 0.5;
      const r = t / (3 * Math.PI);
      const s = c === 0 ? 1 : -1;
      inputs.push([s * r * Math.cos(t) + rng.uniformIn(-noise, noise), s * r * Math.sin(t) + rng.uniformIn(-noise, noise)]);
      labels.push(c);
    }
  }
  return { inputs, labels };
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let k = 0; k <= p.length; k++) out.push([...p.slice(0, k), n - 1, ...p.slice(k)]);
  return out;
}

/** 2-H-2 tanh network with cross-entropy and L2 (default λ = 1e-5). */
export function tinyNetwork(hidden: number, data: TinyData, lambda = 1e-5): Potential {
  const H = hidden;
  const I = 2;
  const C = 2;
  const n = H * I + H + C * H + C;
  const N = data.inputs.length;
  const W1 = 0;
  const B1 = H * I;
  const W2 = B1 + H;
  const B2 = W2 + C * H;
  const h = new Float64Array(H);
  const o = new Float64Array(C);
  const dh = new Float64Array(H);
  const evaluate = (w: Float64Array, g: Float64Array | null): number => {
    if (g) g.fill(0);
    let loss = 0;
    for (let d = 0; d < N; d++) {
      const x = data.inputs[d];
      for (let j = 0; j < H; j++) h[j] = Math.tanh(w[B1 + j] + w[W1 + j * I] * x[0] + w[W1 + j * I + 1] * x[1]);
      let top = -Infinity;
      for (let c = 0; c < C; c++) {
        let a = w[B2 + c];
        for (let j = 0; j < H; j++) a += w[W2 + c * H + j] * h[j];
        o[c] = a;
        top = Math.max(top, a);
      }
      let sum = 0;
      for (let c = 0; c < C; c++) sum += Math.exp(o[c] - top);
      const lse = top + Math.log(sum);
      loss += lse - o[data.labels[d]];
      if (g) {
        dh.fill(0);
        for (let c = 0; c < C; c++) {
          const p = Math.exp(o[c] - lse) - (c === data.labels[d] ? 1 : 0);
          g[B2 + c] += p / N;
          for (let j = 0; j < H; j++) {
            g[W2 + c * H + j] += (p * h[j]) / N;
            dh[j] += p * w[W2 + c * H + j];
          }
        }
        for (let j = 0; j < H; j++) {
          const da = (dh[j] * (1 - h[j] * h[j])) / N;
          g[B1 + j] += da;
          g[W1 + j * I] += da * x[0];
          g[W1 + j * I + 1] += da * x[1];
        }
      }
    }
    let l2 = 0;
    for (let i = 0; i < n; i++) {
      l2 += w[i] * w[i];
      if (g) g[i] += 2 * lambda * w[i];
    }
    return loss / N + lambda * l2;
  };

  const perms = permutations(H);
  const signs = Array.from({ length: 1 << H }, (_, mask) => Array.from({ length: H }, (_, j) => ((mask >> j) & 1 ? -1 : 1)));
  const apply = (b: Float64Array, perm: number[], sign: number[]): Float64Array => {
    const out = Float64Array.from(b);
    for (let j = 0; j < H; j++) {
      const k = perm[j];
      const s = sign[j];
      for (let i = 0; i < I; i++) out[W1 + j * I + i] = s * b[W1 + k * I + i];
      out[B1 + j] = s * b[B1 + k];
      for (let c = 0; c < C; c++) out[W2 + c * H + j] = s * b[W2 + c * H + k];
    }
    return out;
  };
  const align = (a: Float64Array, b: Float64Array): Float64Array => {
    let best = b;
    let bestD = Infinity;
    for (const perm of perms) {
      for (const sign of signs) {
        const c = apply(b, perm, sign);
        let d = 0;
        for (let i = 0; i < n; i++) d += (a[i] - c[i]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
    }
    return best;
  };
  const alignedDistance = (a: Float64Array, b: Float64Array): number => {
    const c = align(a, b);
    let d = 0;
    for (let i = 0; i < n; i++) d += (a[i] - c[i]) ** 2;
    return Math.sqrt(d);
  };
  return {
    dimension: n,
    energy: (w) => evaluate(w, null),
    energyGradient: (w, g) => evaluate(w, g),
    align,
    alignedDistance,
    sameMinimum: (a, b) => alignedDistance(a, b) <= 1e-3,
  };
}

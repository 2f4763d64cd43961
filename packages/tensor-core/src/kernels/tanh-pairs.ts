// SPDX-License-Identifier: MIT
/**
 * Pair kernels of the tanh loss ℓ(z) = −(1 + tanh(βz))/2 over positive rows [i0, i1), in
 * terms of T = tanh(βz_ij): value terms (1 + T)/2, first-order terms 1 − T² (= sech²),
 * second-order terms T(1 − T²).
 *
 * Exp-free form: with u = a_i·b_j = e^(−2βz) (factors from `pairFactors(2β, …)`) and
 * q = 1/(1 + u): T = (1 − u)q, (1 + T)/2 = q, 1 − T² = 4u·q², T(1 − T²) = 4u(1 − u)·q³
 * (each without cancellation). The direct form calls Math.tanh and Math.cosh per pair and is
 * used beyond the factor limit and as the reference.
 *
 * Same contract as the sigmoid kernels: per-row sums assigned, per-column sums accumulated,
 * plain functions over Float64Arrays for worker threads.
 */
import { accumulatePairRow, type PairSecondOrderBuffers } from './pair-accumulate.js';

/** Σ (1 + T)/2 over the block (returned), rowOut[i] = Σ_j (1 − T²), colOut[j] += Σ_i (1 − T²). */
export function tanhPairsFirstOrder(a: Float64Array, b: Float64Array, i0: number, i1: number, rowOut: Float64Array, colOut: Float64Array): number {
  const n = b.length;
  let value = 0;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const a0 = a[i];
    const a1 = a[i + 1];
    const a2 = a[i + 2];
    const a3 = a[i + 3];
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const bj = b[j];
      const u0 = a0 * bj;
      const u1 = a1 * bj;
      const u2 = a2 * bj;
      const u3 = a3 * bj;
      const q0 = 1 / (1 + u0);
      const q1 = 1 / (1 + u1);
      const q2 = 1 / (1 + u2);
      const q3 = 1 / (1 + u3);
      const w0 = 4 * u0 * q0 * q0;
      const w1 = 4 * u1 * q1 * q1;
      const w2 = 4 * u2 * q2 * q2;
      const w3 = 4 * u3 * q3 * q3;
      v += q0 + q1 + (q2 + q3);
      r0 += w0;
      r1 += w1;
      r2 += w2;
      r3 += w3;
      colOut[j] += w0 + w1 + (w2 + w3);
    }
    value += v;
    rowOut[i] = r0;
    rowOut[i + 1] = r1;
    rowOut[i + 2] = r2;
    rowOut[i + 3] = r3;
  }
  for (; i < i1; i++) {
    const ai = a[i];
    let r = 0;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const u = ai * b[j];
      const q = 1 / (1 + u);
      const w = 4 * u * q * q;
      v += q;
      r += w;
      colOut[j] += w;
    }
    value += v;
    rowOut[i] = r;
  }
  return value;
}

/** The same sums with Math.tanh / Math.cosh per pair (1 − T² = 1/cosh², exact in the tails). */
export function tanhPairsFirstOrderDirect(
  beta: number,
  s: Float64Array,
  t: Float64Array,
  i0: number,
  i1: number,
  rowOut: Float64Array,
  colOut: Float64Array,
): number {
  const n = t.length;
  let value = 0;
  for (let i = i0; i < i1; i++) {
    const si = s[i];
    let r = 0;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const x = beta * (si - t[j]);
      const c = Math.cosh(x);
      const w = 1 / (c * c);
      v += (1 + Math.tanh(x)) / 2;
      r += w;
      colOut[j] += w;
    }
    value += v;
    rowOut[i] = r;
  }
  return value;
}

/**
 * Second order over rows [i0, i1): w1 = 1 − T², w2 = T(1 − T²) per pair into `out`, with the
 * cross products (see PairSecondOrderBuffers). Returns Σ (1 + T)/2 over the block.
 * `factored` selects the exp-free path (a, b from pairFactors(2β, …)) or Math.tanh per pair.
 */
export function tanhPairsSecondOrder(
  beta: number,
  s: Float64Array,
  t: Float64Array,
  a: Float64Array,
  b: Float64Array,
  factored: boolean,
  i0: number,
  i1: number,
  k: number,
  x: Float64Array,
  y: Float64Array,
  out: PairSecondOrderBuffers,
): number {
  const n = t.length;
  const { w1, w2 } = out;
  let value = 0;
  for (let i = i0; i < i1; i++) {
    if (factored) {
      const ai = a[i];
      for (let j = 0; j < n; j++) {
        const u = ai * b[j];
        const q = 1 / (1 + u);
        const g = 4 * u * q * q;
        value += q;
        w1[j] = g;
        w2[j] = g * (1 - u) * q;
      }
    } else {
      const si = s[i];
      for (let j = 0; j < n; j++) {
        const z = beta * (si - t[j]);
        const tz = Math.tanh(z);
        const c = Math.cosh(z);
        const g = 1 / (c * c);
        value += (1 + tz) / 2;
        w1[j] = g;
        w2[j] = tz * g;
      }
    }
    accumulatePairRow(i, k, x, y, out);
  }
  return value;
}

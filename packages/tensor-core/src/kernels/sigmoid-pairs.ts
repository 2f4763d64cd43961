// SPDX-License-Identifier: MIT
/**
 * Pair kernels of the sigmoid loss ℓ(z) = −σ(βz) over a block of positive rows [i0, i1).
 * With u = a_i·b_j = e^(−β z_ij) (factors from `pairFactors(β, …)`) and q = 1/(1 + u):
 *   σ = q,   σ(1 − σ) = u·q²,   σ(1 − σ)(1 − 2σ) = u(u − 1)·q³.
 * (1 − σ = u·q is computed without cancellation for every finite u.)
 *
 * Each kernel assigns per-row sums for its rows and accumulates per-column sums, so
 * @lossscape/parallel can run row blocks on worker threads, each with its own column buffer,
 * and add the column buffers in block order (bit-reproducible). Plain functions over
 * Float64Arrays: no closures, no allocation.
 */
import { accumulatePairRow, type PairSecondOrderBuffers } from './pair-accumulate.js';

/**
 * Σ σ over the block (returned), rowOut[i] = Σ_j σ(1 − σ), colOut[j] += Σ_i σ(1 − σ).
 * Exp-free: four positive rows share each load of b_j and each column update. O(rows·N⁻).
 */
export function sigmoidPairsFirstOrder(a: Float64Array, b: Float64Array, i0: number, i1: number, rowOut: Float64Array, colOut: Float64Array): number {
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
      const w0 = u0 * q0 * q0;
      const w1 = u1 * q1 * q1;
      const w2 = u2 * q2 * q2;
      const w3 = u3 * q3 * q3;
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
      const w = u * q * q;
      v += q;
      r += w;
      colOut[j] += w;
    }
    value += v;
    rowOut[i] = r;
  }
  return value;
}

/**
 * The same sums from raw scores with one exp per pair, for β·range beyond the factor limit
 * (e.g. β = 1e4). With e = e^(−|βz|): σ = 1/(1 + e) or e/(1 + e), σ(1 − σ) = e/(1 + e)².
 */
export function sigmoidPairsFirstOrderDirect(
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
      const e = Math.exp(-Math.abs(x));
      const inv = 1 / (1 + e);
      const w = e * inv * inv;
      v += x >= 0 ? inv : e * inv;
      r += w;
      colOut[j] += w;
    }
    value += v;
    rowOut[i] = r;
  }
  return value;
}

/**
 * Second order over rows [i0, i1): w1 = σ(1 − σ), w2 = σ(1 − σ)(1 − 2σ) per pair, summed into
 * `out` (see PairSecondOrderBuffers) together with the cross products Σ_j w2·x[j, :] and,
 * when `y` is non-empty, Σ_i w2·y[i, :]. Returns Σ σ over the block. `factored` selects the
 * exp-free path (a, b from pairFactors) or one exp per pair (a, b unused). O(rows·N⁻·(1 + k)).
 */
export function sigmoidPairsSecondOrder(
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
        const g = u * q * q;
        value += q;
        w1[j] = g;
        w2[j] = g * (u - 1) * q;
      }
    } else {
      const si = s[i];
      for (let j = 0; j < n; j++) {
        const z = beta * (si - t[j]);
        const e = Math.exp(-Math.abs(z));
        const inv = 1 / (1 + e);
        const g = e * inv * inv;
        // 1 − 2σ = (e − 1)/(1 + e) for z ≥ 0 and (1 − e)/(1 + e) for z < 0.
        value += z >= 0 ? inv : e * inv;
        w1[j] = g;
        w2[j] = g * (z >= 0 ? e - 1 : 1 - e) * inv;
      }
    }
    accumulatePairRow(i, k, x, y, out);
  }
  return value;
}

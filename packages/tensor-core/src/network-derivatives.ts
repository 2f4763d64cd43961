// SPDX-License-Identifier: MIT
/**
 * Derivatives of the network y_d = W2·tanh(W1·x_d + b1) + b2 with respect to its weights,
 * for any loss that is given per sample through φ_d = ∂L/∂y_d (C) and Φ_d = ∂²L/∂y_d²
 * (C×C). Unchecked kernels (R1); the potential validates.
 *
 * Notation: x̃ = [x, 1] and in(h, i) the index of W1[h, i] (i < I) or b1[h] (i = I); g_h = 1 − h_h².
 *   ∂y_k/∂W1[h,i] = W2[k,h]·g_h·x̃_i,   ∂y_k/∂W2[k,h] = h_h,   ∂y_k/∂b2[k] = 1.
 * Second derivatives of y_k (the part Gauss–Newton leaves out):
 *   ∂²y_k/∂W2[k,h]∂W1[h,i] = g_h·x̃_i,   ∂²y_k/∂W1[h,i]∂W1[h,j] = −2h_h·g_h·W2[k,h]·x̃_i·x̃_j.
 * So H = Σ_d J_dᵀΦ_dJ_d + Σ_d Σ_k φ_dk ∇²y_dk (+ cross-sample terms a pairwise loss adds).
 */
import type { WeightLayout } from './model.js';

/** out[oo …] += J_dᵀ·φ for sample d (φ at phi[po …], C entries). O(W). */
export function addJacobianTransposeTimes(
  L: WeightLayout,
  w: Float64Array,
  features: Float64Array,
  hidden: Float64Array,
  d: number,
  phi: Float64Array,
  po: number,
  out: Float64Array,
  oo: number,
): void {
  const I = L.inputs;
  const H = L.hidden;
  const C = L.classes;
  const xo = d * I;
  const ho = d * H;
  for (let k = 0; k < C; k++) {
    const pk = phi[po + k];
    if (pk === 0) continue;
    out[oo + L.b2 + k] += pk;
    const wo = oo + L.w2 + k * H;
    for (let h = 0; h < H; h++) out[wo + h] += pk * hidden[ho + h];
  }
  for (let h = 0; h < H; h++) {
    let back = 0;
    for (let k = 0; k < C; k++) back += phi[po + k] * w[L.w2 + k * H + h];
    const hv = hidden[ho + h];
    const da = back * (1 - hv * hv);
    if (da === 0) continue;
    out[oo + L.b1 + h] += da;
    const wo = oo + L.w1 + h * I;
    for (let i = 0; i < I; i++) out[wo + i] += da * features[xo + i];
  }
}

/** Dense J_d (C×W row-major) for sample d into `jac` (overwritten). */
export function fillJacobian(L: WeightLayout, w: Float64Array, features: Float64Array, hidden: Float64Array, d: number, jac: Float64Array): void {
  const I = L.inputs;
  const H = L.hidden;
  const C = L.classes;
  const W = L.count;
  jac.fill(0);
  const xo = d * I;
  const ho = d * H;
  for (let h = 0; h < H; h++) {
    const hv = hidden[ho + h];
    const g = 1 - hv * hv;
    for (let k = 0; k < C; k++) {
      const c = w[L.w2 + k * H + h] * g;
      const ro = k * W;
      for (let i = 0; i < I; i++) jac[ro + L.w1 + h * I + i] = c * features[xo + i];
      jac[ro + L.b1 + h] = c;
      jac[ro + L.w2 + k * H + h] = hv;
    }
  }
  for (let k = 0; k < C; k++) jac[k * W + L.b2 + k] = 1;
}

/** Scratch for accumulateSampleHessian. */
export interface SampleHessianScratch {
  readonly jac: Float64Array;
  readonly phiJac: Float64Array;
}

export function allocateSampleHessianScratch(L: WeightLayout): SampleHessianScratch {
  return { jac: new Float64Array(L.classes * L.count), phiJac: new Float64Array(L.classes * L.count) };
}

/**
 * Adds sample d's J_dᵀΦ_dJ_d + Σ_k φ_k∇²y_k to the upper triangle (a ≤ b) of `hess` (W×W).
 * φ at phi[po …] (C), Φ at bigPhi[0 … C²). Cost O(C·W²).
 */
export function accumulateSampleHessian(
  L: WeightLayout,
  w: Float64Array,
  features: Float64Array,
  hidden: Float64Array,
  d: number,
  phi: Float64Array,
  po: number,
  bigPhi: Float64Array,
  scratch: SampleHessianScratch,
  hess: Float64Array,
): void {
  const I = L.inputs;
  const H = L.hidden;
  const C = L.classes;
  const W = L.count;
  const { jac, phiJac } = scratch;
  fillJacobian(L, w, features, hidden, d, jac);
  for (let k = 0; k < C; k++) {
    for (let b = 0; b < W; b++) {
      let v = 0;
      for (let l = 0; l < C; l++) v += bigPhi[k * C + l] * jac[l * W + b];
      phiJac[k * W + b] = v;
    }
  }
  for (let k = 0; k < C; k++) {
    const ro = k * W;
    for (let a = 0; a < W; a++) {
      const ja = jac[ro + a];
      if (ja === 0) continue;
      const ho = a * W;
      for (let b = a; b < W; b++) hess[ho + b] += ja * phiJac[ro + b];
    }
  }
  // Σ_k φ_k ∇²y_k: only within one hidden unit's incoming weights, and between them and its
  // outgoing weights. Indices in(h, i) grow with i (b1 sits after all of W1), and every
  // outgoing index exceeds every incoming one, so these all land in the upper triangle.
  const xo = d * I;
  const ho = d * H;
  for (let h = 0; h < H; h++) {
    const hv = hidden[ho + h];
    const g = 1 - hv * hv;
    let back = 0;
    for (let k = 0; k < C; k++) back += phi[po + k] * w[L.w2 + k * H + h];
    const curv = -2 * hv * g * back;
    for (let i = 0; i <= I; i++) {
      const ii = i < I ? L.w1 + h * I + i : L.b1 + h;
      const xi = i < I ? features[xo + i] : 1;
      if (curv !== 0) {
        for (let j = i; j <= I; j++) {
          const jj = j < I ? L.w1 + h * I + j : L.b1 + h;
          const xj = j < I ? features[xo + j] : 1;
          hess[ii * W + jj] += curv * xi * xj;
        }
      }
      for (let k = 0; k < C; k++) hess[ii * W + L.w2 + k * H + h] += phi[po + k] * g * xi;
    }
  }
}

/** Copies the upper triangle onto the lower one. */
export function mirrorUpper(hess: Float64Array, n: number): void {
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) hess[b * n + a] = hess[a * n + b];
}

/**
 * Forward-mode directional derivative (R-operator) along v: Rh = g ⊙ (V1·x + Vb1) and
 * Ry = V2·h + W2·Rh + Vb2, for every sample. O(N·W).
 */
export function forwardDirectional(
  L: WeightLayout,
  w: Float64Array,
  v: Float64Array,
  features: Float64Array,
  hidden: Float64Array,
  count: number,
  rHidden: Float64Array,
  rLogits: Float64Array,
): void {
  const I = L.inputs;
  const H = L.hidden;
  const C = L.classes;
  for (let d = 0; d < count; d++) {
    const xo = d * I;
    const ho = d * H;
    for (let h = 0; h < H; h++) {
      let ra = v[L.b1 + h];
      const wo = L.w1 + h * I;
      for (let i = 0; i < I; i++) ra += v[wo + i] * features[xo + i];
      const hv = hidden[ho + h];
      rHidden[ho + h] = (1 - hv * hv) * ra;
    }
    for (let k = 0; k < C; k++) {
      let ry = v[L.b2 + k];
      const wo = L.w2 + k * H;
      for (let h = 0; h < H; h++) ry += v[wo + h] * hidden[ho + h] + w[wo + h] * rHidden[ho + h];
      rLogits[d * C + k] = ry;
    }
  }
}

/**
 * Backward R-pass: out += Σ_d R{J_dᵀφ_d} along v, where φ_d = ∂L/∂y_d and Rφ_d its directional
 * derivative (loss-specific, supplied). This is the exact Hessian-vector product H·v (data
 * part), independent of the dense Hessian code. O(N·W).
 */
export function backwardDirectional(
  L: WeightLayout,
  w: Float64Array,
  v: Float64Array,
  features: Float64Array,
  hidden: Float64Array,
  rHidden: Float64Array,
  phi: Float64Array,
  rPhi: Float64Array,
  count: number,
  out: Float64Array,
): void {
  const I = L.inputs;
  const H = L.hidden;
  const C = L.classes;
  for (let d = 0; d < count; d++) {
    const xo = d * I;
    const ho = d * H;
    const po = d * C;
    for (let k = 0; k < C; k++) {
      const pk = phi[po + k];
      const rpk = rPhi[po + k];
      out[L.b2 + k] += rpk;
      const wo = L.w2 + k * H;
      for (let h = 0; h < H; h++) out[wo + h] += rpk * hidden[ho + h] + pk * rHidden[ho + h];
    }
    for (let h = 0; h < H; h++) {
      let back = 0;
      let rBack = 0;
      for (let k = 0; k < C; k++) {
        const idx = L.w2 + k * H + h;
        back += phi[po + k] * w[idx];
        rBack += v[idx] * phi[po + k] + w[idx] * rPhi[po + k];
      }
      const hv = hidden[ho + h];
      const rda = rBack * (1 - hv * hv) - 2 * hv * rHidden[ho + h] * back;
      out[L.b1 + h] += rda;
      const wo = L.w1 + h * I;
      for (let i = 0; i < I; i++) out[wo + i] += rda * features[xo + i];
    }
  }
}

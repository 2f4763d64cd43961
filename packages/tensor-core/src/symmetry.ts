// SPDX-License-Identifier: MIT
/**
 * Network symmetries: permuting hidden units, and flipping the sign of one unit's incoming
 * weights, bias and outgoing weights (tanh is odd), leave the network function unchanged.
 * `alignWeights` moves b onto a by the best signs and permutation: for each pair of units
 * (h of a, h′ of b) the cost is min over σ = ±1 of ‖θᵃ_h − σθᵇ_h′‖², θ_h = (W1[h,:], b1[h],
 * W2[:,h]); the optimal assignment of units (Hungarian algorithm) then minimises the total.
 * Cost O(H²·(inputs + classes) + H³).
 *
 * ```ts
 * const { aligned, distance } = alignWeights(model, a, b);   // distance = ‖a − aligned‖
 * ```
 */
import { distance as euclidean } from '@lossscape/numeric';
import { minimumCostAssignment } from './hungarian.js';
import { requireModel, requireWeights, weightLayout, type ModelSpec, type WeightLayout } from './model.js';

export interface AlignmentResult {
  /** b with its hidden units permuted and sign-flipped onto a (same function as b). */
  readonly aligned: Float64Array;
  /** ‖a − aligned‖ (Euclidean). */
  readonly distance: number;
  /** Hidden unit h of `aligned` is unit permutation[h] of b … */
  readonly permutation: Int32Array;
  /** … multiplied by signs[h] (±1). */
  readonly signs: Int8Array;
}

/** Unit h of `w` multiplied by `sign`, written as unit `target` of `out`. */
function copyUnit(L: WeightLayout, w: Float64Array, h: number, sign: number, out: Float64Array, target: number): void {
  const I = L.inputs;
  for (let i = 0; i < I; i++) out[L.w1 + target * I + i] = sign * w[L.w1 + h * I + i];
  out[L.b1 + target] = sign * w[L.b1 + h];
  for (let k = 0; k < L.classes; k++) out[L.w2 + k * L.hidden + target] = sign * w[L.w2 + k * L.hidden + h];
}

/** Σ over unit parameters of (a_h − σ·b_g)², for σ = +1 and −1. */
function unitDistances(L: WeightLayout, a: Float64Array, h: number, b: Float64Array, g: number): [number, number] {
  const I = L.inputs;
  let plus = 0;
  let minus = 0;
  const add = (x: number, y: number): void => {
    plus += (x - y) * (x - y);
    minus += (x + y) * (x + y);
  };
  for (let i = 0; i < I; i++) add(a[L.w1 + h * I + i], b[L.w1 + g * I + i]);
  add(a[L.b1 + h], b[L.b1 + g]);
  for (let k = 0; k < L.classes; k++) add(a[L.w2 + k * L.hidden + h], b[L.w2 + k * L.hidden + g]);
  return [plus, minus];
}

/** Unchecked alignment over a layout (the potential calls this on validated weights). */
export function alignUnchecked(L: WeightLayout, a: Float64Array, b: Float64Array): AlignmentResult {
  const H = L.hidden;
  const cost = new Float64Array(H * H);
  const flip = new Int8Array(H * H);
  for (let h = 0; h < H; h++) {
    for (let g = 0; g < H; g++) {
      const [plus, minus] = unitDistances(L, a, h, b, g);
      cost[h * H + g] = Math.min(plus, minus);
      flip[h * H + g] = minus < plus ? -1 : 1;
    }
  }
  const permutation = minimumCostAssignment(cost, H);
  const signs = new Int8Array(H);
  const aligned = Float64Array.from(b);
  for (let h = 0; h < H; h++) {
    const g = permutation[h];
    signs[h] = flip[h * H + g];
    copyUnit(L, b, g, signs[h], aligned, h);
  }
  return { aligned, distance: euclidean(a, aligned), permutation, signs };
}

/** Aligns weight vector b onto a (both validated against the model). */
export function alignWeights(model: ModelSpec, a: Float64Array, b: Float64Array): AlignmentResult {
  const layout = weightLayout(requireModel(model));
  requireWeights('a', a, layout.count);
  requireWeights('b', b, layout.count);
  return alignUnchecked(layout, a, b);
}

/**
 * Applies a symmetry operation: unit h of the result is signs[h]·(unit permutation[h] of w).
 * The network function is unchanged (tests use it to make equivalent copies).
 */
export function permuteHiddenUnits(model: ModelSpec, w: Float64Array, permutation: ArrayLike<number>, signs: ArrayLike<number>): Float64Array {
  const layout = weightLayout(requireModel(model));
  requireWeights('weights', w, layout.count);
  const seen = new Uint8Array(layout.hidden);
  if (permutation.length !== layout.hidden || signs.length !== layout.hidden) {
    throw new RangeError(`Expected permutation and signs of length ${layout.hidden} for permuteHiddenUnits but received ${permutation.length} and ${signs.length}`);
  }
  for (let h = 0; h < layout.hidden; h++) {
    const g = permutation[h];
    if (!Number.isInteger(g) || g < 0 || g >= layout.hidden || seen[g]) {
      throw new RangeError(`Expected a permutation of 0..${layout.hidden - 1} for permutation but received ${g} at index ${h}`);
    }
    seen[g] = 1;
    if (signs[h] !== 1 && signs[h] !== -1) throw new RangeError(`Expected 1 or -1 for signs[${h}] but received ${signs[h]}`);
  }
  const out = Float64Array.from(w);
  for (let h = 0; h < layout.hidden; h++) copyUnit(layout, w, permutation[h], signs[h], out, h);
  return out;
}

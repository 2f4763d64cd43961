// SPDX-License-Identifier: MIT
/**
 * Softmax is unchanged by adding one constant to every output, so the data term of any loss
 * here has exactly H + 1 flat directions: b2 shifted uniformly, and each hidden unit's
 * outgoing weights W2[:, h] shifted uniformly. L2 turns them into Hessian eigenvalues exactly
 * 2λ (for 2-10-2: 11 eigenvalues contributing 11·ln(2e-5) ≈ −119 to the LPPHE).
 *
 * ```ts
 * softmaxFlatDirections(model).length;   // hidden + 1
 * ```
 */
import { requireModel, weightLayout, type ModelSpec } from './model.js';

/** The H + 1 directions (unnormalised 0/1 vectors): W2[:, h] for each h, then b2. */
export function softmaxFlatDirections(model: ModelSpec): Float64Array[] {
  const L = weightLayout(requireModel(model));
  const out: Float64Array[] = [];
  for (let h = 0; h < L.hidden; h++) {
    const u = new Float64Array(L.count);
    for (let k = 0; k < L.classes; k++) u[L.w2 + k * L.hidden + h] = 1;
    out.push(u);
  }
  const u = new Float64Array(L.count);
  for (let k = 0; k < L.classes; k++) u[L.b2 + k] = 1;
  out.push(u);
  return out;
}

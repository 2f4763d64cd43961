// SPDX-License-Identifier: MIT
/**
 * The direct double sum over all N⁺N⁻ pairs from the per-pair ℓ, ℓ′, ℓ″ of a definition: the
 * reference every fast path is tested against (O(N⁺N⁻), O(N⁺N⁻) memory for the cross block).
 */
import type { LossParameters, PairwiseLossDefinition } from './types.js';

export interface DirectPairwiseResult {
  readonly value: number;
  readonly positiveGradient: Float64Array;
  readonly negativeGradient: Float64Array;
  readonly positiveSecond: Float64Array;
  readonly negativeSecond: Float64Array;
  /** Dense N⁺×N⁻ block ∂²L/∂s_i∂t_j = −ℓ″(z_ij)/M. */
  readonly crossMatrix: Float64Array;
}

export function pairwiseDirectUnchecked(
  definition: PairwiseLossDefinition,
  p: LossParameters,
  s: Float64Array,
  t: Float64Array,
  withSecond = true,
): DirectPairwiseResult {
  const nP = s.length;
  const nN = t.length;
  const m = nP * nN;
  const positiveGradient = new Float64Array(nP);
  const negativeGradient = new Float64Array(nN);
  const positiveSecond = new Float64Array(nP);
  const negativeSecond = new Float64Array(nN);
  const crossMatrix = new Float64Array(withSecond ? m : 0);
  const { pair } = definition;
  let value = 0;
  for (let i = 0; i < nP; i++) {
    let v = 0;
    let g = 0;
    let h = 0;
    for (let j = 0; j < nN; j++) {
      const z = s[i] - t[j];
      v += pair.value(z, p);
      const d1 = pair.first(z, p);
      g += d1;
      negativeGradient[j] -= d1;
      if (withSecond) {
        const d2 = pair.second(z, p);
        h += d2;
        negativeSecond[j] += d2;
        crossMatrix[i * nN + j] = -d2 / m;
      }
    }
    value += v;
    positiveGradient[i] = g / m;
    positiveSecond[i] = h / m;
  }
  for (let j = 0; j < nN; j++) {
    negativeGradient[j] /= m;
    negativeSecond[j] /= m;
  }
  return { value: value / m, positiveGradient, negativeGradient, positiveSecond, negativeSecond, crossMatrix };
}

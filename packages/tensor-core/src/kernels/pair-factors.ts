// SPDX-License-Identifier: MIT
/**
 * Exp-free pair loops (DESIGN.md "Complexity"): with a_i = e^(−κ(s_i − c)) and
 * b_j = e^(κ(t_j − c)), the product a_i·b_j = e^(−κ(s_i − t_j)) for every pair, so a pair loop
 * needs one multiply instead of one exp. `c` is the midpoint of all scores, which keeps both
 * factors within e^(±κ·range/2).
 */

/**
 * Largest κ·range for which the factors are used: every product a_i·b_j then lies in
 * [e^(−700), e^(700)], finite and normal (float64 overflows at e^(709.78) and loses
 * precision in subnormals below e^(−708)). Beyond it the callers take one exp per pair.
 */
export const FACTOR_RANGE_LIMIT = 700;

/**
 * Fills `aOut` (length N⁺) and `bOut` (length N⁻) with the centred factors for rate κ.
 * Returns false, writing nothing, when κ·range exceeds FACTOR_RANGE_LIMIT.
 * Plain function over Float64Arrays (no closures), so worker threads can call it.
 */
export function pairFactors(kappa: number, s: Float64Array, t: Float64Array, aOut: Float64Array, bOut: Float64Array): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  for (let j = 0; j < t.length; j++) {
    const v = t[j];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(kappa * (hi - lo) <= FACTOR_RANGE_LIMIT)) return false;
  const c = 0.5 * (lo + hi);
  for (let i = 0; i < s.length; i++) aOut[i] = Math.exp(-kappa * (s[i] - c));
  for (let j = 0; j < t.length; j++) bOut[j] = Math.exp(kappa * (t[j] - c));
  return true;
}

// SPDX-License-Identifier: MIT
/**
 * Turns raw kernel sums into derivatives of the mean pair loss L = (1/M) Σ ℓ(s_i − t_j),
 * M = N⁺N⁻, for losses written as ℓ = cValue·v(z), ℓ′ = cFirst·w1(z), ℓ″ = cSecond·w2(z):
 *   ∂L/∂s_i = (cFirst/M) Σ_j w1,   ∂L/∂t_j = −(cFirst/M) Σ_i w1,
 *   ∂²L/∂s_i² = (cSecond/M) Σ_j w2,   ∂²L/∂t_j² = (cSecond/M) Σ_i w2,
 *   ∂²L/∂s_i∂t_j = −(cSecond/M) w2_ij.
 */
import type { PairSecondOrderBuffers } from '../kernels/pair-accumulate.js';
import type { ScoreCurvature, ScoreGradient } from './types.js';

function scale(values: Float64Array, factor: number): Float64Array {
  for (let i = 0; i < values.length; i++) values[i] *= factor;
  return values;
}

export function scoreGradientFromSums(
  valueSum: number,
  rowFirst: Float64Array,
  colFirst: Float64Array,
  cValue: number,
  cFirst: number,
): ScoreGradient {
  const m = rowFirst.length * colFirst.length;
  return {
    value: (cValue * valueSum) / m,
    positiveGradient: scale(rowFirst, cFirst / m),
    negativeGradient: scale(colFirst, -cFirst / m),
    logScale: 0,
  };
}

export function scoreCurvatureFromSums(valueSum: number, sums: PairSecondOrderBuffers, cValue: number, cFirst: number, cSecond: number): ScoreCurvature {
  const m = sums.rowFirst.length * sums.colFirst.length;
  return {
    value: (cValue * valueSum) / m,
    positiveGradient: scale(sums.rowFirst, cFirst / m),
    negativeGradient: scale(sums.colFirst, -cFirst / m),
    positiveSecond: scale(sums.rowSecond, cSecond / m),
    negativeSecond: scale(sums.colSecond, cSecond / m),
    cross: scale(sums.cross, -cSecond / m),
    crossTranspose: scale(sums.crossTranspose, -cSecond / m),
    logScale: 0,
  };
}

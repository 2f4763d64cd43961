// SPDX-License-Identifier: MIT
/**
 * Applying a ScoreGradient's logScale: v·e^(logScale) taken through logarithms, so a huge
 * scale times a small v stays finite and 0 stays 0 (never Infinity·0 = NaN).
 */
import type { LossWarning } from './losses/types.js';

export function unscale(v: number, logScale: number): number {
  if (logScale === 0 || v === 0 || !Number.isFinite(v)) return v;
  return Math.sign(v) * Math.exp(Math.log(Math.abs(v)) + logScale);
}

export function unscaleInPlace(values: Float64Array, logScale: number): Float64Array {
  if (logScale !== 0) for (let i = 0; i < values.length; i++) values[i] = unscale(values[i], logScale);
  return values;
}

/** An overflow warning for `what` of loss `kind`, with ln of the stored magnitude. */
export function overflowWarning(kind: string, what: string, stored: number, logScale: number): LossWarning {
  const ln = Math.log(Math.abs(stored)) + logScale;
  return {
    code: 'ERR_OVERFLOW',
    message: `The ${kind} loss ${what} exceeds float64 (ln |value| ≈ ${ln.toFixed(1)} > 709.8): returned ${stored < 0 ? '-' : ''}Infinity`,
  };
}

export function anyNonFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return true;
  return false;
}

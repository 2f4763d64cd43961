// SPDX-License-Identifier: MIT
// Seeded random problems and comparison helpers for this package's tests (not built into dist).
import { maxAbs, maxAbsDiff, type Rng } from '@lossscape/numeric';
import type { LossSpec } from '../losses/types.js';
import type { ModelSpec } from '../model.js';
import type { Dataset } from '../potential.js';

/** Every loss at its defaults, plus a general-margin hinge (the O(N log N) path). */
export const LOSS_CASES: readonly LossSpec[] = [
  { kind: 'ce' },
  { kind: 'sigmoid' },
  { kind: 'tanh' },
  { kind: 'hinge' },
  { kind: 'hinge', margin: 0.3 },
  { kind: 'exp' },
  { kind: 'quad' },
];

export function lossName(loss: LossSpec): string {
  const params = [loss.beta !== undefined ? `β=${loss.beta}` : '', loss.margin !== undefined ? `m=${loss.margin}` : ''].filter(Boolean).join(',');
  return params ? `${loss.kind}(${params})` : loss.kind;
}

/** Gaussian features and labels cycling through the classes (so every class is present). */
export function randomDataset(rng: Rng, model: ModelSpec, count: number): Dataset {
  const features = new Float64Array(count * model.inputs);
  for (let i = 0; i < features.length; i++) features[i] = rng.normal();
  const labels = new Int32Array(count);
  for (let d = 0; d < count; d++) labels[d] = (d + rng.int(model.classes)) % model.classes;
  // Why: guarantee both sides of every one-vs-rest split whatever the draw.
  for (let c = 0; c < model.classes; c++) labels[c] = c;
  return { features, labels };
}

export function uniformScores(rng: Rng, n: number, lo = 0, hi = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniformIn(lo, hi);
  return out;
}

export function randomVector(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

/**
 * The fast-path contract as one number: |a − b| / max(rel·|reference|, abs) for scalars, with
 * max-norms for vectors. ≤ 1 means within contract (1e-12 relative, 1e-15 absolute floor).
 */
export function contractError(actual: number | ArrayLike<number>, reference: number | ArrayLike<number>, rel: number, abs: number): number {
  if (typeof actual === 'number' || typeof reference === 'number') {
    const a = actual as number;
    const b = reference as number;
    if (a === b) return 0;
    return Math.abs(a - b) / Math.max(rel * Math.abs(b), abs);
  }
  return maxAbsDiff(actual, reference) / Math.max(rel * maxAbs(reference), abs);
}

/** Dense N⁺×N⁻ matrix times an N⁻×k matrix. */
export function matMul(a: Float64Array, rows: number, inner: number, x: Float64Array, k: number): Float64Array {
  const out = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) for (let j = 0; j < inner; j++) for (let c = 0; c < k; c++) out[i * k + c] += a[i * inner + j] * x[j * k + c];
  return out;
}

/** Transposed product aᵀ·y for a rows×inner matrix and rows×k y. */
export function matTMul(a: Float64Array, rows: number, inner: number, y: Float64Array, k: number): Float64Array {
  const out = new Float64Array(inner * k);
  for (let i = 0; i < rows; i++) for (let j = 0; j < inner; j++) for (let c = 0; c < k; c++) out[j * k + c] += a[i * inner + j] * y[i * k + c];
  return out;
}

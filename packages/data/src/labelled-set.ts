// SPDX-License-Identifier: MIT
/**
 * The in-memory form every loader returns and tensor-core consumes: features N×F row-major in
 * float64, integer labels 0..C−1.
 */
import { LandscapeError, expectedMessage } from '@lossscape/numeric';

export interface LabelledSet {
  /** N×F, row-major. */
  readonly features: Float64Array;
  /** N labels in 0..classes−1. */
  readonly labels: Int32Array;
  /** N. */
  readonly rows: number;
  /** F. */
  readonly featureCount: number;
  /** C ≥ 2: the number of classes (labels run 0..C−1). */
  readonly classes: number;
}

/** Checks the shape of a LabelledSet-like value at a public edge and returns it. */
export function requireLabelledSet(name: string, value: unknown): LabelledSet {
  const v = value as Partial<LabelledSet> | null;
  if (v === null || typeof v !== 'object') throw new TypeError(expectedMessage('a labelled set { features, labels, rows, featureCount, classes }', name, value));
  if (!(v.features instanceof Float64Array)) throw new TypeError(expectedMessage('Float64Array', `${name}.features`, v.features));
  if (!(v.labels instanceof Int32Array)) throw new TypeError(expectedMessage('Int32Array', `${name}.labels`, v.labels));
  const rows = v.labels.length;
  if (v.rows !== rows) throw new LandscapeError(expectedMessage(`rows = labels.length = ${rows}`, `${name}.rows`, v.rows), 'ERR_DIMENSION_MISMATCH');
  const f = v.featureCount;
  if (typeof f !== 'number' || !Number.isInteger(f) || f < 1) throw new TypeError(expectedMessage('positive integer', `${name}.featureCount`, f));
  if (v.features.length !== rows * f) {
    throw new LandscapeError(expectedMessage(`features of length rows × featureCount = ${rows * f}`, `${name}.features`, v.features), 'ERR_DIMENSION_MISMATCH');
  }
  if (typeof v.classes !== 'number' || !Number.isInteger(v.classes) || v.classes < 2) {
    throw new TypeError(expectedMessage('integer ≥ 2', `${name}.classes`, v.classes));
  }
  return v as LabelledSet;
}

/** Rows `indices` of `set`, in that order, as a new set (copies). */
export function selectRows(set: LabelledSet, indices: ArrayLike<number>): LabelledSet {
  const f = set.featureCount;
  const features = new Float64Array(indices.length * f);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    features.set(set.features.subarray(i * f, i * f + f), k * f);
    labels[k] = set.labels[i];
  }
  return { features, labels, rows: indices.length, featureCount: f, classes: set.classes };
}

/** Rows per class, index = class. */
export function classCounts(labels: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

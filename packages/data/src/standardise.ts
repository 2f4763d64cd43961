// SPDX-License-Identifier: MIT
/**
 * Standardisation (z-scores) fitted on the training split only and applied to both splits:
 * statistics computed on all rows would let the test set leak into training. The fitted
 * scaling is a plain JSON object, saved with a run and re-applied later with
 * `applyStandardisation`.
 */
import { expectedMessage, LandscapeError, TOL } from '@lossscape/numeric';
import { requireLabelledSet, type LabelledSet } from './labelled-set.js';

/** The saved form of a scaling: x' = (x − means[j]) / stds[j]. JSON-serialisable. */
export interface StandardisationRecord {
  readonly kind: 'standardisation';
  readonly version: 1;
  readonly means: readonly number[];
  /** Population standard deviations (divide by N); 1 for a constant feature (centred, not scaled). */
  readonly stds: readonly number[];
  /** Indices of features that were constant on the training rows. */
  readonly constant: readonly number[];
  /** Training rows the statistics came from. */
  readonly fittedOnRows: number;
}

export interface DataWarning {
  readonly code: 'constant-feature';
  /** Feature index. */
  readonly feature: number;
  readonly message: string;
}

export interface FitStandardisationResult {
  readonly scaling: StandardisationRecord;
  /** One warning per constant feature (libraries never print: show them as you like). */
  readonly warnings: readonly DataWarning[];
}

/**
 * Fits means and population standard deviations per feature on `train` (corrected two-pass
 * algorithm, so a large offset such as the credit data's `Time` ≈ 1e5 costs no precision). A feature whose standard
 * deviation is ≤ TOL.F64 × max(1, |mean|) is constant up to rounding: it is centred but not
 * divided, with a warning. Cost O(N·F).
 *
 * ```ts
 * const { scaling, warnings } = fitStandardisation(train, { featureNames: ['x', 'y'] });
 * const trainZ = applyStandardisation(train, scaling);
 * const testZ = applyStandardisation(test, scaling);     // training statistics, never the test's own
 * ```
 */
export function fitStandardisation(train: LabelledSet, options: { readonly featureNames?: readonly string[] } = {}): FitStandardisationResult {
  requireLabelledSet('train', train);
  const n = train.rows;
  const f = train.featureCount;
  const x = train.features;
  const means = new Array<number>(f).fill(0);
  const stds = new Array<number>(f).fill(0);
  const sumD = new Array<number>(f).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) means[j] += x[i * f + j];
  for (let j = 0; j < f; j++) means[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) {
      const d = x[i * f + j] - means[j];
      sumD[j] += d;
      stds[j] += d * d;
    }
  }
  // Corrected two-pass algorithm (Chan, Golub & LeVeque 1983): Σd would be 0 in exact
  // arithmetic; what is left is the rounding error of the first pass, removed here.
  for (let j = 0; j < f; j++) {
    means[j] += sumD[j] / n;
    stds[j] = Math.sqrt(Math.max(0, stds[j] - (sumD[j] * sumD[j]) / n) / n);
  }
  const constant: number[] = [];
  for (let j = 0; j < f; j++) {
    if (!(stds[j] > TOL.F64 * Math.max(1, Math.abs(means[j])))) {
      constant.push(j);
      stds[j] = 1;
    }
  }
  const scaling: StandardisationRecord = { kind: 'standardisation', version: 1, means, stds, constant, fittedOnRows: n };
  return { scaling, warnings: scalingWarnings(scaling, options.featureNames) };
}

/** The constant-feature warnings of a scaling (also for one read back from a manifest). */
export function scalingWarnings(scaling: StandardisationRecord, featureNames?: readonly string[]): DataWarning[] {
  return scaling.constant.map((j) => ({
    code: 'constant-feature',
    feature: j,
    message: `${featureNames?.[j] ?? `feature ${j}`} is constant (${scaling.means[j]}) on the ${scaling.fittedOnRows} training rows: centred, not scaled`,
  }));
}

/** Checks a scaling record (e.g. read back from a manifest) for `featureCount` features. */
export function requireStandardisationRecord(name: string, value: unknown, featureCount: number): StandardisationRecord {
  const r = value as Partial<StandardisationRecord> | null;
  if (r === null || typeof r !== 'object' || r.kind !== 'standardisation' || r.version !== 1) {
    throw new TypeError(expectedMessage("a scaling record { kind: 'standardisation', version: 1, … }", name, value));
  }
  for (const part of ['means', 'stds'] as const) {
    const v = r[part];
    if (!Array.isArray(v)) throw new TypeError(expectedMessage('an array of numbers', `${name}.${part}`, v));
    if (v.length !== featureCount) {
      throw new LandscapeError(expectedMessage(`${featureCount} values (one per feature)`, `${name}.${part}`, v), 'ERR_DIMENSION_MISMATCH');
    }
    v.forEach((value, j) => {
      if (typeof value !== 'number' || !Number.isFinite(value) || (part === 'stds' && !(value > 0))) {
        throw new RangeError(expectedMessage(part === 'stds' ? 'a positive finite number' : 'a finite number', `${name}.${part}[${j}]`, value));
      }
    });
  }
  return r as StandardisationRecord;
}

/** `set` with every feature standardised by `scaling` (a new set; labels are shared). Cost O(N·F). */
export function applyStandardisation(set: LabelledSet, scaling: StandardisationRecord): LabelledSet {
  requireLabelledSet('set', set);
  requireStandardisationRecord('scaling', scaling, set.featureCount);
  const f = set.featureCount;
  const out = new Float64Array(set.features.length);
  for (let i = 0; i < set.rows; i++) {
    for (let j = 0; j < f; j++) out[i * f + j] = (set.features[i * f + j] - scaling.means[j]) / scaling.stds[j];
  }
  return { ...set, features: out };
}

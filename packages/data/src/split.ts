// SPDX-License-Identifier: MIT
/**
 * Stratified train/test split. The result is a plain JSON object holding the row indices, so
 * a run stores it in its manifest and `applySplit` rebuilds exactly the same sets later.
 */
import { createRng, expectedMessage, LandscapeError, requireInteger, type Rng } from '@lossscape/numeric';
import { classCounts, requireLabelledSet, selectRows, type LabelledSet } from './labelled-set.js';

export interface SplitOptions {
  /** Fraction of each class that goes to the test set, in (0, 1) (default 0.2). */
  readonly testFraction?: number;
  /** Seed (default 1). The split draws from `createRng(seed).stream(1)`, so it is independent of spiral noise drawn from `createRng(seed)`. */
  readonly seed?: number;
  /** A generator to draw from instead of the seed (the record then has `seed: null`). */
  readonly rng?: Rng;
}

/** The saved form of a split: JSON-serialisable. */
export interface SplitRecord {
  readonly kind: 'stratified-split';
  readonly version: 1;
  readonly testFraction: number;
  readonly seed: number | null;
  /** Rows of the data set that was split. */
  readonly rows: number;
  /** Row indices, ascending. */
  readonly train: readonly number[];
  readonly test: readonly number[];
}

export interface SplitSets {
  readonly train: LabelledSet;
  readonly test: LabelledSet;
}

export const SPLIT_DEFAULTS = Object.freeze({ testFraction: 0.2, seed: 1 });

/**
 * Test rows per class: largest remainders, so the total is round(f·N) and each class gets
 * floor(f·n_c) or one more; then every class with ≥ 2 rows keeps at least one row on each side
 * (a test set without positives has no AUC).
 */
function testCounts(counts: readonly number[], f: number): number[] {
  const n = counts.reduce((s, c) => s + c, 0);
  const exact = counts.map((c) => c * f);
  const out = exact.map(Math.floor);
  let left = Math.round(n * f) - out.reduce((s, c) => s + c, 0);
  const order = counts.map((_, k) => k).sort((a, b) => exact[b] - out[b] - (exact[a] - out[a]) || a - b);
  for (const k of order) {
    if (left <= 0) break;
    out[k]++;
    left--;
  }
  return out.map((t, k) => Math.min(Math.max(t, 1), counts[k] - 1));
}

/**
 * Splits `set` so that each class contributes the same fraction to the test set (rounded as
 * described at `testCounts`). Deterministic for a given seed; cost O(N).
 *
 * ```ts
 * const split = stratifiedSplit(set, { testFraction: 0.2, seed: 1 });
 * const { train, test } = applySplit(set, split);          // same sets from the saved record
 * ```
 */
export function stratifiedSplit(set: LabelledSet, options: SplitOptions = {}): SplitRecord {
  requireLabelledSet('set', set);
  const testFraction = options.testFraction ?? SPLIT_DEFAULTS.testFraction;
  if (typeof testFraction !== 'number' || Number.isNaN(testFraction)) throw new TypeError(expectedMessage('number between 0 and 1', 'testFraction', testFraction));
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(expectedMessage('number greater than 0 and less than 1', 'testFraction', testFraction));
  const seed = options.rng ? null : requireInteger('seed', options.seed ?? SPLIT_DEFAULTS.seed);
  const rng = options.rng ?? createRng(seed!).stream(1);

  const counts = classCounts(set.labels, set.classes);
  counts.forEach((c, k) => {
    if (c < 2) {
      throw new LandscapeError(expectedMessage('at least 2 rows in every class for a stratified split', `class ${k}`, c), c === 0 ? 'ERR_SINGLE_CLASS' : 'ERR_INVALID_ARGUMENT');
    }
  });
  const byClass: number[][] = counts.map(() => []);
  for (let i = 0; i < set.rows; i++) byClass[set.labels[i]].push(i);
  const nTest = testCounts(counts, testFraction);

  const train: number[] = [];
  const test: number[] = [];
  byClass.forEach((rows, k) => {
    // Partial Fisher–Yates: the first nTest[k] positions become a uniform random subset.
    for (let j = 0; j < nTest[k]; j++) {
      const r = j + rng.int(rows.length - j);
      [rows[j], rows[r]] = [rows[r], rows[j]];
    }
    test.push(...rows.slice(0, nTest[k]));
    train.push(...rows.slice(nTest[k]));
  });
  train.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  return { kind: 'stratified-split', version: 1, testFraction, seed, rows: set.rows, train, test };
}

/** Checks a split record (e.g. read back from a manifest) against the data it is applied to. */
export function requireSplitRecord(name: string, value: unknown, rows: number): SplitRecord {
  const r = value as Partial<SplitRecord> | null;
  if (r === null || typeof r !== 'object' || r.kind !== 'stratified-split' || r.version !== 1) {
    throw new TypeError(expectedMessage("a split record { kind: 'stratified-split', version: 1, … }", name, value));
  }
  if (r.rows !== rows) {
    throw new LandscapeError(expectedMessage(`a split of ${rows} rows (the data set's size)`, name, r.rows) + ' rows', 'ERR_DIMENSION_MISMATCH');
  }
  const seen = new Uint8Array(rows);
  for (const part of ['train', 'test'] as const) {
    const idx = r[part];
    if (!Array.isArray(idx)) throw new TypeError(expectedMessage('an array of row indices', `${name}.${part}`, idx));
    for (const i of idx) {
      if (!Number.isInteger(i) || i < 0 || i >= rows || seen[i]) {
        throw new LandscapeError(expectedMessage(`distinct row indices in 0..${rows - 1}`, `${name}.${part}`, i), 'ERR_INVALID_ARGUMENT');
      }
      seen[i] = 1;
    }
  }
  return r as SplitRecord;
}

/** The train and test sets of a split record (copies of the rows, in index order). Cost O(N·F). */
export function applySplit(set: LabelledSet, split: SplitRecord): SplitSets {
  requireLabelledSet('set', set);
  requireSplitRecord('split', split, set.rows);
  return { train: selectRows(set, split.train), test: selectRows(set, split.test) };
}

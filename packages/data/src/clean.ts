// SPDX-License-Identifier: MIT
/**
 * Cleaning a loaded CSV before any split: exact duplicate rows are dropped (they would leak from
 * train into test), rows that differ in one column only are reported. Includes the loader for
 * the shipped credit-card subsample.
 */
import { readCsvFile, type CsvDataset } from './csv.js';
import { findExactDuplicates, findNearDuplicates, type NearDuplicateColumn } from './duplicates.js';
import { selectRows } from './labelled-set.js';
import { CREDIT_CARD_FILE, shippedDatasetPath } from './shipped.js';

export interface DuplicateReport {
  /** Rows read from the file. */
  readonly rowsBefore: number;
  /** Exact duplicates removed (0 when dropping was switched off and none were found). */
  readonly dropped: number;
  /** Exact duplicates found (equal to `dropped` unless dropping was switched off). */
  readonly found: number;
  /** Source lines of the duplicate rows, ascending. */
  readonly duplicateLines: readonly number[];
  /** For each entry of `duplicateLines`, the line of the earlier row it repeats. */
  readonly duplicateOfLines: readonly number[];
}

export interface CleanedCsv {
  /** The data without exact duplicates (unless `dropDuplicates: false`). */
  readonly data: CsvDataset;
  readonly duplicates: DuplicateReport;
  /** Rows of `data` equal except in one column (row indices into `data`). Reported, never dropped. */
  readonly nearDuplicates: readonly NearDuplicateColumn[];
}

/** Rows `indices` of a CSV data set, keeping its names, lines and source. */
export function selectCsvRows(data: CsvDataset, indices: ArrayLike<number>): CsvDataset {
  const picked = selectRows(data, indices);
  return { ...data, ...picked, lines: Int32Array.from(Array.from(indices, (i) => data.lines[i])) };
}

/**
 * Drops exact duplicate rows (features and label equal; the first occurrence stays) and reports
 * near-duplicates. Cost O(N·F·log N).
 *
 * ```ts
 * const { data, duplicates, nearDuplicates } = cleanCsvDataset(readCsvFile('my.csv'));
 * duplicates.dropped;   // rows removed before any split
 * ```
 */
export function cleanCsvDataset(raw: CsvDataset, options: { readonly dropDuplicates?: boolean } = {}): CleanedCsv {
  const drop = options.dropDuplicates ?? true;
  const exact = findExactDuplicates(raw);
  const data = drop && exact.dropped.length > 0 ? selectCsvRows(raw, exact.keep) : raw;
  const duplicates: DuplicateReport = {
    rowsBefore: raw.rows,
    dropped: drop ? exact.dropped.length : 0,
    found: exact.dropped.length,
    duplicateLines: Array.from(exact.dropped, (i) => raw.lines[i]),
    duplicateOfLines: Array.from(exact.duplicateOf, (i) => raw.lines[i]),
  };
  const nearDuplicates = findNearDuplicates(data, { columnNames: [...data.featureNames, data.labelName] });
  return { data, duplicates, nearDuplicates };
}

export interface CreditCardOptions {
  /** The CSV file (default: the shipped `datasets/creditcard_fraud10pct_4920.csv`, found by `findDatasetsDir`). */
  readonly path?: string;
  /** Folder to find the shipped file in (see `findDatasetsDir`). */
  readonly dir?: string;
}

/**
 * The credit-card fraud subsample (label column `Class`, 1 = fraud, features `Time, V1..V28,
 * Amount`), exact duplicates dropped. On the shipped file: 4,920 rows read, 19 fraud rows
 * dropped as exact duplicates, 4,901 left (473 fraud); 7 groups of 16 rows differ only in `Time`.
 *
 * ```ts
 * const { data, duplicates } = loadCreditCard();
 * data.rows;            // 4901
 * duplicates.dropped;   // 19
 * ```
 */
export function loadCreditCard(options: CreditCardOptions = {}): CleanedCsv {
  const file = options.path ?? shippedDatasetPath(CREDIT_CARD_FILE, options.dir ? { dir: options.dir } : {});
  return cleanCsvDataset(readCsvFile(file, { label: 'Class' }));
}

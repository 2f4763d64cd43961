// SPDX-License-Identifier: MIT
/**
 * One call from a data set spec to train/test sets with DESIGN.md's defaults, plus the
 * manifest-ready description that re-creates exactly the same sets later.
 */
import path from 'node:path';
import { expectedMessage, LandscapeError, requireOneOf } from '@lossscape/numeric';
import { cleanCsvDataset, type CleanedCsv } from './clean.js';
import { readCsvFile } from './csv.js';
import { fingerprintSet } from './fingerprint.js';
import type { LabelledSet } from './labelled-set.js';
import { CREDIT_CARD_FILE, shippedDatasetPath } from './shipped.js';
import { generateSpirals, SPIRAL_DEFAULTS } from './spirals.js';
import { applySplit, SPLIT_DEFAULTS, stratifiedSplit, type SplitRecord } from './split.js';
import { applyStandardisation, fitStandardisation, scalingWarnings, type StandardisationRecord } from './standardise.js';
import { summariseDataset, type DatasetSummary, type NearDuplicateSummary } from './summary.js';

export type DatasetKind = 'spiral' | 'credit' | 'csv';

/**
 * What to load. Fields that do not apply to `kind` are ignored, so the CLI's flat dataset config
 * can be passed as it is.
 */
export interface DatasetSpec {
  readonly kind: DatasetKind;
  /** csv: the file (required); credit: overrides the shipped file. */
  readonly path?: string;
  /** csv: label column name (default: last column). credit: always `Class`. */
  readonly label?: string;
  /** csv: feature columns (default: all but the label). */
  readonly features?: readonly string[];
  /** csv: map string labels to classes in sorted order. */
  readonly stringLabels?: boolean;
  /** spiral: points per spiral (default 97). */
  readonly pointsPerSpiral?: number;
  /** spiral: uniform noise ± this per coordinate (default 0.1). */
  readonly noise?: number;
  /** Test fraction of each class (default 0.2). */
  readonly testFraction?: number;
  /** Seed for the spiral noise (stream 0) and the split (stream 1) (default 1). */
  readonly seed?: number;
  /** Standardise on the training split (default: false for spiral, true for credit and csv). */
  readonly standardise?: boolean;
  /** credit, csv: drop exact duplicate rows before the split (default true). */
  readonly dropDuplicates?: boolean;
}

export type DatasetSource =
  | { readonly kind: 'spiral'; readonly pointsPerSpiral: number; readonly noise: number; readonly seed: number }
  | {
      readonly kind: 'credit' | 'csv';
      /** Absolute path when loaded. */
      readonly path: string;
      /** sha256 of the file's bytes. */
      readonly sha256: string;
      readonly label: string;
      readonly features: readonly string[];
      readonly stringLabels: boolean;
      readonly dropDuplicates: boolean;
    };

/** Everything needed to re-create the sets: JSON-serialisable, for a run's manifest. */
export interface DatasetDescription {
  readonly kind: 'lossscape-dataset';
  readonly version: 1;
  readonly source: DatasetSource;
  /** Rows after cleaning (the rows the split indexes). */
  readonly rows: number;
  readonly featureNames: readonly string[];
  readonly labelName: string;
  readonly classNames: readonly string[];
  readonly labelMapping?: Readonly<Record<string, number>>;
  /** Exact duplicates dropped before the split. */
  readonly duplicatesDropped: number;
  readonly split: SplitRecord;
  readonly standardisation: StandardisationRecord | null;
  /** `fingerprintSet` of the final train and test sets. */
  readonly fingerprints: { readonly train: string; readonly test: string };
}

export interface PreparedDataset {
  readonly train: LabelledSet;
  readonly test: LabelledSet;
  readonly featureNames: readonly string[];
  readonly labelName: string;
  readonly classNames: readonly string[];
  readonly summary: DatasetSummary;
  readonly description: DatasetDescription;
  /** Human-readable warnings (constant features …), also in `summary.warnings`. */
  readonly warnings: readonly string[];
}

interface Base {
  readonly sourceText: string;
  readonly source: DatasetSource;
  readonly all: LabelledSet;
  readonly featureNames: readonly string[];
  readonly labelName: string;
  readonly classNames: readonly string[];
  readonly labelMapping?: Readonly<Record<string, number>>;
  readonly rowsRead: number;
  readonly duplicatesDropped: number;
  readonly nearDuplicates: readonly NearDuplicateSummary[];
}

function fromCsv(kind: 'credit' | 'csv', file: string, spec: Partial<DatasetSpec>): Base {
  const label = kind === 'credit' ? 'Class' : spec.label;
  const dropDuplicates = spec.dropDuplicates ?? true;
  const raw = readCsvFile(file, {
    ...(label !== undefined ? { label } : {}),
    ...(kind === 'csv' && spec.features ? { features: spec.features } : {}),
    stringLabels: kind === 'csv' && (spec.stringLabels ?? false),
  });
  const cleaned: CleanedCsv = cleanCsvDataset(raw, { dropDuplicates });
  const d = cleaned.data;
  return {
    sourceText: path.basename(file),
    source: {
      kind,
      path: path.resolve(file),
      sha256: d.sha256,
      label: d.labelName,
      features: d.featureNames,
      stringLabels: kind === 'csv' && (spec.stringLabels ?? false),
      dropDuplicates,
    },
    all: d,
    featureNames: d.featureNames,
    labelName: d.labelName,
    classNames: d.classNames,
    ...(d.labelMapping ? { labelMapping: d.labelMapping } : {}),
    rowsRead: cleaned.duplicates.rowsBefore,
    duplicatesDropped: cleaned.duplicates.dropped,
    nearDuplicates: cleaned.nearDuplicates.map((n) => ({
      column: n.name,
      groups: n.groups,
      rows: n.rows,
      examples: n.examples.map((g) => g.map((i) => d.lines[i])),
    })),
  };
}

function fromSpec(spec: DatasetSpec): Base {
  if (spec === null || typeof spec !== 'object') throw new TypeError(expectedMessage('a data set spec { kind, … }', 'dataset', spec));
  const kind = requireOneOf('dataset.kind', spec.kind, ['spiral', 'credit', 'csv'] as const);
  if (kind === 'spiral') {
    const source = {
      kind,
      pointsPerSpiral: spec.pointsPerSpiral ?? SPIRAL_DEFAULTS.pointsPerSpiral,
      noise: spec.noise ?? SPIRAL_DEFAULTS.noise,
      seed: spec.seed ?? SPIRAL_DEFAULTS.seed,
    } as const;
    const all = generateSpirals(source);
    return {
      sourceText: `two spirals (${source.pointsPerSpiral} per spiral, noise ±${source.noise}, seed ${source.seed})`,
      source,
      all,
      featureNames: ['x', 'y'],
      labelName: 'label',
      classNames: ['0', '1'],
      rowsRead: all.rows,
      duplicatesDropped: 0,
      nearDuplicates: [],
    };
  }
  if (kind === 'csv' && (typeof spec.path !== 'string' || spec.path === '')) {
    throw new LandscapeError(expectedMessage('a CSV path', 'dataset.path (kind csv)', spec.path), 'ERR_INVALID_ARGUMENT');
  }
  const file = spec.path ?? shippedDatasetPath(CREDIT_CARD_FILE);
  return fromCsv(kind, file, spec);
}

function finish(base: Base, split: SplitRecord, standardisation: StandardisationRecord | null): PreparedDataset {
  const warnings = standardisation ? scalingWarnings(standardisation, base.featureNames).map((w) => w.message) : [];
  const raw = applySplit(base.all, split);
  const train = standardisation ? applyStandardisation(raw.train, standardisation) : raw.train;
  const test = standardisation ? applyStandardisation(raw.test, standardisation) : raw.test;
  const summary = summariseDataset({
    source: base.sourceText,
    data: base.all,
    featureNames: base.featureNames,
    labelName: base.labelName,
    classNames: base.classNames,
    rowsRead: base.rowsRead,
    exactDuplicatesDropped: base.duplicatesDropped,
    nearDuplicates: base.nearDuplicates,
    split: { train, test },
    standardised: standardisation !== null,
    warnings,
  });
  const description: DatasetDescription = {
    kind: 'lossscape-dataset',
    version: 1,
    source: base.source,
    rows: base.all.rows,
    featureNames: base.featureNames,
    labelName: base.labelName,
    classNames: base.classNames,
    ...(base.labelMapping ? { labelMapping: base.labelMapping } : {}),
    duplicatesDropped: base.duplicatesDropped,
    split,
    standardisation,
    fingerprints: { train: fingerprintSet(train), test: fingerprintSet(test) },
  };
  return { train, test, featureNames: base.featureNames, labelName: base.labelName, classNames: base.classNames, summary, description, warnings };
}

/**
 * Loads (or generates) a data set, cleans it, splits it 80/20 stratified and standardises it on
 * the training split, with DESIGN.md's defaults:
 * - spiral: 97 points per spiral, noise ±0.1, not standardised (coordinates are already O(1)
 *   and centred, and the study's figures are in input coordinates);
 * - credit: the shipped file, exact duplicates dropped, standardised on train;
 * - csv: as credit, for any file (`path` required).
 *
 * ```ts
 * const d = loadDataset({ kind: 'credit' });
 * d.train.rows;                       // 3921
 * JSON.stringify(d.description);      // store in the run's manifest; recreateDataset() reads it back
 * ```
 */
export function loadDataset(spec: DatasetSpec): PreparedDataset {
  const base = fromSpec(spec);
  const split = stratifiedSplit(base.all, {
    testFraction: spec.testFraction ?? SPLIT_DEFAULTS.testFraction,
    seed: spec.seed ?? SPLIT_DEFAULTS.seed,
  });
  const standardise = spec.standardise ?? base.source.kind !== 'spiral';
  if (!standardise) return finish(base, split, null);
  const { train } = applySplit(base.all, split);
  return finish(base, split, fitStandardisation(train).scaling);
}

/**
 * Re-creates the sets a description was saved from: regenerates or re-reads the data, checks the
 * file's sha256, re-applies the saved split and scaling (nothing is re-fitted), and checks the
 * train/test fingerprints. `options.path` points at the file if it has moved. Throws
 * ERR_FILE_FORMAT when the file's content changed and ERR_DIMENSION_MISMATCH when the sets
 * come out different.
 *
 * ```ts
 * const again = recreateDataset(JSON.parse(manifestText).dataset);
 * ```
 */
export function recreateDataset(description: DatasetDescription, options: { readonly path?: string } = {}): PreparedDataset {
  if (description === null || typeof description !== 'object' || description.kind !== 'lossscape-dataset' || description.version !== 1) {
    throw new TypeError(expectedMessage("a data set description { kind: 'lossscape-dataset', version: 1, … }", 'description', description));
  }
  const src = description.source;
  let base: Base;
  if (src.kind === 'spiral') {
    base = fromSpec({ kind: 'spiral', pointsPerSpiral: src.pointsPerSpiral, noise: src.noise, seed: src.seed });
  } else {
    const file = options.path ?? src.path;
    base = fromCsv(src.kind, file, { label: src.label, features: src.features, stringLabels: src.stringLabels, dropDuplicates: src.dropDuplicates });
    if (base.source.kind !== 'spiral' && base.source.sha256 !== src.sha256) {
      throw new LandscapeError(`Expected the file with sha256 ${src.sha256} for ${file} but received content with sha256 ${base.source.sha256}`, 'ERR_FILE_FORMAT');
    }
  }
  const prepared = finish(base, description.split, description.standardisation);
  for (const part of ['train', 'test'] as const) {
    if (prepared.description.fingerprints[part] !== description.fingerprints[part]) {
      throw new LandscapeError(
        `Expected the saved ${part} fingerprint ${description.fingerprints[part]} for the re-created ${part} set but received ${prepared.description.fingerprints[part]}`,
        'ERR_DIMENSION_MISMATCH',
      );
    }
  }
  return prepared;
}

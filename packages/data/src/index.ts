// SPDX-License-Identifier: MIT
export { DataInputError, type DataErrorLocation } from './errors.js';
export { requireLabelledSet, selectRows, classCounts, type LabelledSet } from './labelled-set.js';
export { generateSpirals, SPIRAL_DEFAULTS, type SpiralOptions } from './spirals.js';
export { parseCsv, readCsvFile, type CsvOptions, type CsvDataset } from './csv.js';
export { findExactDuplicates, findNearDuplicates, type ExactDuplicates, type NearDuplicateColumn, type NearDuplicateOptions } from './duplicates.js';
export { cleanCsvDataset, selectCsvRows, loadCreditCard, type CleanedCsv, type DuplicateReport, type CreditCardOptions } from './clean.js';
export { findDatasetsDir, shippedDatasetPath, CREDIT_CARD_FILE, SPIRAL_FILE, DATASETS_ENV } from './shipped.js';
export { stratifiedSplit, applySplit, requireSplitRecord, SPLIT_DEFAULTS, type SplitOptions, type SplitRecord, type SplitSets } from './split.js';
export {
  fitStandardisation,
  applyStandardisation,
  requireStandardisationRecord,
  scalingWarnings,
  type StandardisationRecord,
  type FitStandardisationResult,
  type DataWarning,
} from './standardise.js';
export { fingerprintSet } from './fingerprint.js';
export {
  summariseDataset,
  formatDatasetSummary,
  type DatasetSummary,
  type SummaryInput,
  type NearDuplicateSummary,
  type SplitSummary,
} from './summary.js';
export {
  loadDataset,
  recreateDataset,
  type DatasetKind,
  type DatasetSpec,
  type DatasetSource,
  type DatasetDescription,
  type PreparedDataset,
} from './load-dataset.js';

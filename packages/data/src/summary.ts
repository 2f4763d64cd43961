// SPDX-License-Identifier: MIT
/**
 * A data set summary for the CLI and the dashboard: a plain object (JSON for `--json`) and a
 * short text rendering. Computing is separate from presenting (STYLE R12).
 */
import { classCounts, type LabelledSet } from './labelled-set.js';

export interface NearDuplicateSummary {
  /** The one column the rows differ in. */
  readonly column: string;
  readonly groups: number;
  readonly rows: number;
  /** Source lines (or row indices for generated data) of the first few groups. */
  readonly examples: readonly (readonly number[])[];
}

export interface SplitSummary {
  readonly train: number;
  readonly test: number;
  readonly trainClassCounts: readonly number[];
  readonly testClassCounts: readonly number[];
}

export interface DatasetSummary {
  /** File path, or a description such as 'two spirals (97 per spiral, noise ±0.1, seed 1)'. */
  readonly source: string;
  /** Rows after cleaning. */
  readonly rows: number;
  /** Rows read, before exact duplicates were dropped. */
  readonly rowsRead: number;
  readonly features: number;
  readonly featureNames: readonly string[];
  readonly labelName: string;
  readonly classNames: readonly string[];
  readonly classCounts: readonly number[];
  /** classCounts / rows. */
  readonly classFractions: readonly number[];
  readonly exactDuplicatesDropped: number;
  /** Rows equal except in one column, per column (reported, not dropped). */
  readonly nearDuplicates: readonly NearDuplicateSummary[];
  readonly split?: SplitSummary;
  readonly standardised: boolean;
  readonly warnings: readonly string[];
}

export interface SummaryInput {
  readonly source: string;
  readonly data: LabelledSet;
  readonly featureNames: readonly string[];
  readonly labelName: string;
  readonly classNames: readonly string[];
  readonly rowsRead?: number;
  readonly exactDuplicatesDropped?: number;
  readonly nearDuplicates?: readonly NearDuplicateSummary[];
  readonly split?: { readonly train: LabelledSet; readonly test: LabelledSet };
  readonly standardised?: boolean;
  readonly warnings?: readonly string[];
}

/** Builds the summary (class counts are computed here; everything else is passed through). Cost O(N). */
export function summariseDataset(input: SummaryInput): DatasetSummary {
  const counts = classCounts(input.data.labels, input.data.classes);
  return {
    source: input.source,
    rows: input.data.rows,
    rowsRead: input.rowsRead ?? input.data.rows,
    features: input.data.featureCount,
    featureNames: input.featureNames,
    labelName: input.labelName,
    classNames: input.classNames,
    classCounts: counts,
    classFractions: counts.map((c) => c / input.data.rows),
    exactDuplicatesDropped: input.exactDuplicatesDropped ?? 0,
    nearDuplicates: input.nearDuplicates ?? [],
    ...(input.split
      ? {
          split: {
            train: input.split.train.rows,
            test: input.split.test.rows,
            trainClassCounts: classCounts(input.split.train.labels, input.split.train.classes),
            testClassCounts: classCounts(input.split.test.labels, input.split.test.classes),
          },
        }
      : {}),
    standardised: input.standardised ?? false,
    warnings: input.warnings ?? [],
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

function featureList(names: readonly string[]): string {
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 3).join(', ')}, …, ${names.slice(-2).join(', ')}`;
}

/**
 * A few lines of plain text (no colours), e.g.
 * ```text
 * creditcard_fraud10pct_4920.csv: 4901 rows × 30 features (Time, V1, V2, …, V28, Amount), label Class
 * classes: 0 4428 (90.3 %) · 1 473 (9.7 %)
 * duplicates: 19 exact dropped (of 4920 read); near: Time 7 groups / 16 rows
 * split: train 3921 (0 3542 · 1 379), test 980 (0 886 · 1 94); standardised on train
 * ```
 */
export function formatDatasetSummary(s: DatasetSummary): string {
  const lines = [
    `${s.source}: ${s.rows} rows × ${s.features} feature${s.features === 1 ? '' : 's'} (${featureList(s.featureNames)}), label ${s.labelName}`,
    `classes: ${s.classNames.map((name, k) => `${name} ${s.classCounts[k]} (${pct(s.classFractions[k])})`).join(' · ')}`,
  ];
  const near = s.nearDuplicates.length === 0 ? 'none' : s.nearDuplicates.map((d) => `${d.column} ${d.groups} group${d.groups === 1 ? '' : 's'} / ${d.rows} rows`).join(', ');
  lines.push(`duplicates: ${s.exactDuplicatesDropped} exact dropped (of ${s.rowsRead} read); near (all but one column equal): ${near}`);
  if (s.split) {
    const by = (counts: readonly number[]) => counts.map((c, k) => `${s.classNames[k]} ${c}`).join(' · ');
    lines.push(
      `split: train ${s.split.train} (${by(s.split.trainClassCounts)}), test ${s.split.test} (${by(s.split.testClassCounts)}); ${s.standardised ? 'standardised on train' : 'not standardised'}`,
    );
  }
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { LabelledSet } from './labelled-set.js';
import { formatDatasetSummary, summariseDataset } from './summary.js';

const set = (labels: number[], f = 2): LabelledSet => ({
  features: new Float64Array(labels.length * f),
  labels: Int32Array.from(labels),
  rows: labels.length,
  featureCount: f,
  classes: Math.max(...labels) + 1,
});

describe('dataset summary', () => {
  it('counts classes and fractions, and passes the cleaning report through', () => {
    const s = summariseDataset({
      source: 'toy.csv',
      data: set([0, 0, 0, 1]),
      featureNames: ['a', 'b'],
      labelName: 'y',
      classNames: ['0', '1'],
      rowsRead: 5,
      exactDuplicatesDropped: 1,
      nearDuplicates: [{ column: 'a', groups: 1, rows: 2, examples: [[2, 4]] }],
      split: { train: set([0, 0, 1]), test: set([0, 1]) },
      standardised: true,
      warnings: ['b is constant'],
    });
    expect(s.classCounts).toEqual([3, 1]);
    expect(s.classFractions).toEqual([0.75, 0.25]);
    expect(s.split).toEqual({ train: 3, test: 2, trainClassCounts: [2, 1], testClassCounts: [1, 1] });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(formatDatasetSummary(s)).toBe(
      [
        'toy.csv: 4 rows × 2 features (a, b), label y',
        'classes: 0 3 (75.0 %) · 1 1 (25.0 %)',
        'duplicates: 1 exact dropped (of 5 read); near (all but one column equal): a 1 group / 2 rows',
        'split: train 3 (0 2 · 1 1), test 2 (0 1 · 1 1); standardised on train',
        'warning: b is constant',
      ].join('\n'),
    );
  });

  it('shortens long feature lists and omits the split line when there is none', () => {
    const names = Array.from({ length: 30 }, (_, k) => `V${k}`);
    const s = summariseDataset({ source: 'wide', data: set([0, 1], 30), featureNames: names, labelName: 'c', classNames: ['no', 'yes'] });
    const text = formatDatasetSummary(s);
    expect(text.split('\n')).toEqual([
      'wide: 2 rows × 30 features (V0, V1, V2, …, V28, V29), label c',
      'classes: no 1 (50.0 %) · yes 1 (50.0 %)',
      'duplicates: 0 exact dropped (of 2 read); near (all but one column equal): none',
    ]);
  });
});

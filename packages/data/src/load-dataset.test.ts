// SPDX-License-Identifier: MIT
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TOL } from '@lossscape/numeric';
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprintSet } from './fingerprint.js';
import { classCounts, selectRows, type LabelledSet } from './labelled-set.js';
import { loadDataset, recreateDataset, type DatasetDescription, type PreparedDataset } from './load-dataset.js';
import { generateSpirals } from './spirals.js';
import { stratifiedSplit } from './split.js';
import { tempDir } from './test-utils/temp-files.js';

const tmp = tempDir('load');

/** Bit-for-bit equality, checked directly (the fingerprint is checked against it, not instead of it). */
function sameSet(a: LabelledSet, b: LabelledSet): void {
  expect([a.rows, a.featureCount, a.classes]).toEqual([b.rows, b.featureCount, b.classes]);
  let differences = 0;
  for (let k = 0; k < a.features.length; k++) if (!Object.is(a.features[k], b.features[k])) differences++;
  for (let k = 0; k < a.labels.length; k++) if (a.labels[k] !== b.labels[k]) differences++;
  expect(differences).toBe(0);
  expect(fingerprintSet(a)).toBe(fingerprintSet(b));
}

function viaJson(d: DatasetDescription): DatasetDescription {
  return JSON.parse(JSON.stringify(d)) as DatasetDescription;
}

function columnMoments(set: LabelledSet, j: number): { mean: number; std: number } {
  const f = set.featureCount;
  let m = 0;
  for (let i = 0; i < set.rows; i++) m += set.features[i * f + j];
  m /= set.rows;
  let v = 0;
  for (let i = 0; i < set.rows; i++) v += (set.features[i * f + j] - m) ** 2;
  return { mean: m, std: Math.sqrt(v / set.rows) };
}

describe('loadDataset: spiral', () => {
  it('uses the defaults: 97 per spiral, noise ±0.1, 80/20 stratified, not standardised', () => {
    const d = loadDataset({ kind: 'spiral' });
    const all = generateSpirals({ pointsPerSpiral: 97, noise: 0.1, seed: 1 });
    const split = stratifiedSplit(all, { seed: 1 });
    sameSet(d.train, selectRows(all, split.train));
    sameSet(d.test, selectRows(all, split.test));
    expect([d.train.rows, d.test.rows]).toEqual([155, 39]);
    expect(d.description.source).toEqual({ kind: 'spiral', pointsPerSpiral: 97, noise: 0.1, seed: 1 });
    expect(d.description.standardisation).toBeNull();
    expect(d.featureNames).toEqual(['x', 'y']);
    expect(d.summary).toMatchObject({ rows: 194, rowsRead: 194, features: 2, classCounts: [97, 97], standardised: false, exactDuplicatesDropped: 0 });
  });

  it('is re-created exactly from its JSON description', () => {
    const d = loadDataset({ kind: 'spiral', pointsPerSpiral: 40, noise: 0.3, seed: 11, standardise: true, testFraction: 0.25 });
    expect(d.description.standardisation).not.toBeNull();
    const again = recreateDataset(viaJson(d.description));
    sameSet(again.train, d.train);
    sameSet(again.test, d.test);
    expect(again.description).toEqual(d.description);
  });

  it('accepts the CLI dataset config as it is (fields of other kinds ignored)', () => {
    const cli = { kind: 'spiral', path: undefined, label: undefined, stringLabels: false, pointsPerSpiral: 97, noise: 0.1, testFraction: 0.2, standardise: undefined, seed: 1 } as const;
    sameSet(loadDataset(cli).train, loadDataset({ kind: 'spiral' }).train);
  });
});

describe('loadDataset: credit', () => {
  let d: PreparedDataset;
  beforeAll(() => {
    d = loadDataset({ kind: 'credit' });
  });

  it('drops duplicates, splits 80/20 by class and standardises on the training split', () => {
    expect(d.summary).toMatchObject({ rowsRead: 4920, rows: 4901, exactDuplicatesDropped: 19, standardised: true, classCounts: [4428, 473] });
    expect(d.summary.split).toEqual({ train: 3921, test: 980, trainClassCounts: [3542, 379], testClassCounts: [886, 94] });
    expect(classCounts(d.test.labels, 2)).toEqual([886, 94]);
    expect(d.description.duplicatesDropped).toBe(19);
    expect(d.description.source).toMatchObject({ kind: 'credit', label: 'Class', sha256: '0312c0268e51b94b9f1cd2367ba43b69a075ba360e4a8c9fecfc40ac669c430a' });
    for (let j = 0; j < 30; j++) {
      const train = columnMoments(d.train, j);
      const scale = Math.max(1, Math.abs(d.description.standardisation!.means[j]) / d.description.standardisation!.stds[j]);
      expect(Math.abs(train.mean)).toBeLessThan(TOL.F64 * scale);
      expect(Math.abs(train.std - 1)).toBeLessThan(TOL.F64 * scale);
    }
    // The test split was scaled with training statistics, so it is not exactly centred.
    expect(Math.abs(columnMoments(d.test, 0).mean)).toBeGreaterThan(TOL.F64);
    expect(d.warnings).toEqual([]);
  });

  it('is re-created bit for bit from its JSON description (split and scaling re-applied, not re-fitted)', () => {
    const again = recreateDataset(viaJson(d.description));
    sameSet(again.train, d.train);
    sameSet(again.test, d.test);
  });
});

describe('loadDataset: csv', () => {
  const text = 'f1,f2,species\n1,10,b\n2,20,a\n3,30,b\n4,40,a\n1,10,b\n5,50,a\n6,60,b\n7,70,a\n8,80,b\n9,90,a\n';

  it('loads any CSV with string labels, drops duplicates and standardises by default', () => {
    const file = tmp.write('species.csv', text);
    const d = loadDataset({ kind: 'csv', path: file, stringLabels: true, testFraction: 0.2 });
    expect(d.classNames).toEqual(['a', 'b']);
    expect(d.description.labelMapping).toEqual({ a: 0, b: 1 });
    expect(d.summary).toMatchObject({ rowsRead: 10, rows: 9, exactDuplicatesDropped: 1, standardised: true });
    expect(d.train.rows + d.test.rows).toBe(9);
    const kept = loadDataset({ kind: 'csv', path: file, stringLabels: true, dropDuplicates: false, standardise: false });
    expect(kept.summary.rows).toBe(10);
    expect(kept.description.standardisation).toBeNull();
  });

  it('re-creates from a moved file, and refuses a changed one', () => {
    const file = tmp.write('orig.csv', text);
    const d = loadDataset({ kind: 'csv', path: file, stringLabels: true });
    const moved = path.join(tmp.dir, 'moved.csv');
    copyFileSync(file, moved);
    sameSet(recreateDataset(viaJson(d.description), { path: moved }).train, d.train);
    writeFileSync(file, text.replace('9,90,a', '9,91,a'));
    expect(() => recreateDataset(viaJson(d.description))).toThrow(/Expected the file with sha256 [0-9a-f]{64} for .*orig\.csv but received content with sha256/);
  });

  it('names what is missing or wrong in the spec', () => {
    expect(() => loadDataset({ kind: 'csv' })).toThrow(/Expected a CSV path for dataset.path \(kind csv\)/);
    expect(() => loadDataset({ kind: 'tsv' as 'csv' })).toThrow(/one of 'spiral', 'credit', 'csv' for dataset.kind/);
    expect(() => loadDataset({ kind: 'csv', path: path.join(tmp.dir, 'none.csv') })).toThrow(expect.objectContaining({ code: 'ERR_FILE_NOT_FOUND' }));
    expect(() => recreateDataset({ kind: 'x' } as unknown as DatasetDescription)).toThrow(TypeError);
  });

  it('refuses a description whose split no longer fits the data', () => {
    const file = tmp.write('fit.csv', text);
    const d = loadDataset({ kind: 'csv', path: file, stringLabels: true, standardise: false });
    const tampered = viaJson(d.description);
    const swapped = { ...tampered, split: { ...tampered.split, train: tampered.split.test, test: tampered.split.train } };
    expect(() => recreateDataset(swapped)).toThrow(/saved train fingerprint/);
  });
});

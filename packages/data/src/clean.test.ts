// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanCsvDataset, loadCreditCard, type CleanedCsv } from './clean.js';
import { readCsvFile, type CsvDataset } from './csv.js';
import { classCounts } from './labelled-set.js';
import { CREDIT_CARD_FILE, DATASETS_ENV, findDatasetsDir, shippedDatasetPath } from './shipped.js';
import { tempDir } from './test-utils/temp-files.js';

const tmp = tempDir('clean');
// datasets/README.md records this checksum for the shipped subsample.
const CREDIT_SHA256 = '0312c0268e51b94b9f1cd2367ba43b69a075ba360e4a8c9fecfc40ac669c430a';

function row(d: CsvDataset, i: number): number[] {
  return [...Array.from(d.features.subarray(i * d.featureCount, (i + 1) * d.featureCount)), d.labels[i]];
}

describe('loadCreditCard (the shipped file)', () => {
  let credit: CleanedCsv;
  let raw: CsvDataset;
  beforeAll(() => {
    credit = loadCreditCard();
    raw = readCsvFile(shippedDatasetPath(CREDIT_CARD_FILE), { label: 'Class' });
  });

  it('is the documented file: 4920 rows, 30 features, label Class, 10 % fraud', () => {
    expect(raw.sha256).toBe(CREDIT_SHA256);
    expect(raw.rows).toBe(4920);
    expect(raw.featureNames).toEqual(['Time', ...Array.from({ length: 28 }, (_, k) => `V${k + 1}`), 'Amount']);
    expect(classCounts(raw.labels, 2)).toEqual([4428, 492]);
  });

  it('drops the 19 exact duplicates, all of them fraud rows, before anything else', () => {
    const d = credit.duplicates;
    expect(d).toMatchObject({ rowsBefore: 4920, dropped: 19, found: 19 });
    expect(credit.data.rows).toBe(4901);
    expect(classCounts(credit.data.labels, 2)).toEqual([4428, 473]);
    // No blank lines in the file: row i is on line i + 2.
    d.duplicateLines.forEach((line, k) => {
      const i = line - 2;
      const j = d.duplicateOfLines[k] - 2;
      expect(j).toBeLessThan(i);
      expect(raw.labels[i]).toBe(1);
      expect(row(raw, i)).toEqual(row(raw, j));
    });
    // What is left has no exact duplicates, and keeps the original order and lines.
    expect(cleanCsvDataset(credit.data).duplicates.found).toBe(0);
    expect(credit.data.lines.every((l, k) => k === 0 || credit.data.lines[k - 1] < l)).toBe(true);
  });

  it('reports (does not drop) 7 groups of 16 rows that differ only in Time', () => {
    expect(credit.nearDuplicates.map(({ name, groups, rows }) => ({ name, groups, rows }))).toEqual([{ name: 'Time', groups: 7, rows: 16 }]);
    for (const group of credit.nearDuplicates[0].examples) {
      const times = new Set(group.map((i) => credit.data.features[i * 30]));
      expect(times.size).toBeGreaterThan(1);
      for (const i of group) expect(row(credit.data, i).slice(1)).toEqual(row(credit.data, group[0]).slice(1));
    }
  });
});

describe('cleanCsvDataset', () => {
  it('keeps the first of each duplicate, maps lines, and can report without dropping', () => {
    const file = tmp.write('dups.csv', 't,v,Class\n1,5,0\n2,5,0\n\n1,5,0\n3,6,1\n1,5,0\n3,6,0\n');
    const raw = readCsvFile(file, { label: 'Class' });
    const c = cleanCsvDataset(raw);
    expect(c.duplicates).toEqual({ rowsBefore: 6, dropped: 2, found: 2, duplicateLines: [5, 7], duplicateOfLines: [2, 2] });
    expect(Array.from(c.data.lines)).toEqual([2, 3, 6, 8]);
    expect(Array.from(c.data.features)).toEqual([1, 5, 2, 5, 3, 6, 3, 6]);
    expect(c.nearDuplicates.map((n) => [n.name, n.examples])).toEqual([
      ['t', [[0, 1]]],
      ['Class', [[2, 3]]],
    ]);
    const kept = cleanCsvDataset(raw, { dropDuplicates: false });
    expect(kept.data.rows).toBe(6);
    expect(kept.duplicates).toMatchObject({ dropped: 0, found: 2 });
  });

  it('loads a credit-format file from an explicit path', () => {
    const file = tmp.write('mini-credit.csv', 'Time,V1,Amount,Class\n0,0.5,1.0,0\n0,0.5,1.0,0\n1,0.7,2.0,1\n');
    const c = loadCreditCard({ path: file });
    expect(c.data.rows).toBe(2);
    expect(c.data.labelName).toBe('Class');
    expect(c.duplicates.dropped).toBe(1);
  });
});

describe('findDatasetsDir', () => {
  const saved = process.env[DATASETS_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[DATASETS_ENV];
    else process.env[DATASETS_ENV] = saved;
  });

  it("finds the repository's datasets/ folder from the package location", () => {
    delete process.env[DATASETS_ENV];
    const dir = findDatasetsDir();
    expect(path.basename(dir)).toBe('datasets');
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/Open Database License/);
    expect(shippedDatasetPath(CREDIT_CARD_FILE)).toBe(path.join(dir, CREDIT_CARD_FILE));
  });

  it('honours an explicit folder and the environment variable, and names a wrong one', () => {
    const real = findDatasetsDir();
    expect(findDatasetsDir({ dir: real })).toBe(real);
    process.env[DATASETS_ENV] = real;
    expect(findDatasetsDir()).toBe(real);
    process.env[DATASETS_ENV] = tmp.dir;
    expect(() => findDatasetsDir()).toThrow(new RegExp(`for \\$${DATASETS_ENV} but received .*which has no such file`));
    try {
      findDatasetsDir({ dir: tmp.dir });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'ERR_FILE_NOT_FOUND', file: tmp.dir });
    }
  });
});

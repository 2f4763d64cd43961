// SPDX-License-Identifier: MIT
// Data loading costs (`npm run bench -- data`), against the built dist.
//
// Rows: csv-parse alone on the credit-card file, our validated readCsvFile on the same file
// (the ratio is the cost of validation), exact and near-duplicate searches hashed vs the direct
// pairwise comparison on the same rows, and the whole loadDataset({ kind: 'credit' }).
// Each row is run REPEATS times after one untimed warm-up; min and median wall time are shown.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
// The built package (dist), as the bench runner promises; relative because it is this package.
import {
  CREDIT_CARD_FILE,
  findExactDuplicates,
  findNearDuplicates,
  generateSpirals,
  loadDataset,
  readCsvFile,
  selectRows,
  shippedDatasetPath,
  type LabelledSet,
} from '../dist/index.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(f: () => unknown): { min: number; median: number } {
  f();
  const t: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return { min: Math.min(...t), median: median(t) };
}

// The direct definitions (as in the unit tests): every pair of rows, column by column.
function cell(set: LabelledSet, i: number, c: number): number {
  return c < set.featureCount ? set.features[i * set.featureCount + c] : set.labels[i];
}
function equalExcept(set: LabelledSet, i: number, j: number, skip: number): boolean {
  for (let c = 0; c <= set.featureCount; c++) if (c !== skip && cell(set, i, c) !== cell(set, j, c)) return false;
  return true;
}
function directExactCount(set: LabelledSet): number {
  let n = 0;
  for (let j = 0; j < set.rows; j++) {
    for (let i = 0; i < j; i++) {
      if (equalExcept(set, i, j, -1)) {
        n++;
        break;
      }
    }
  }
  return n;
}
function directNearPairs(set: LabelledSet): number {
  let n = 0;
  for (let c = 0; c <= set.featureCount; c++) {
    for (let i = 0; i < set.rows; i++) for (let j = i + 1; j < set.rows; j++) if (cell(set, i, c) !== cell(set, j, c) && equalExcept(set, i, j, c)) n++;
  }
  return n;
}

const file = shippedDatasetPath(CREDIT_CARD_FILE);
const text = readFileSync(file, 'utf8');
const credit = readCsvFile(file, { label: 'Class' });
const sub = selectRows(credit, Array.from({ length: 1500 }, (_, i) => i));

const rows: [string, { min: number; median: number }][] = [];
const add = (name: string, f: () => unknown) => {
  const r = time(f);
  rows.push([name, r]);
  return r;
};
const parseOnly = add('csv-parse alone, credit file (4920×31)', () => parse(text, { info: true, relax_column_count: true, skip_empty_lines: true }));
const ours = add('readCsvFile, credit file (validated)', () => readCsvFile(file, { label: 'Class' }));
const exactFast = add('findExactDuplicates, 4920 rows (hashed)', () => findExactDuplicates(credit));
const exactSlow = add('exact duplicates, 4920 rows (direct pairs)', () => directExactCount(credit));
const nearFast = add('findNearDuplicates, 1500 rows (hashed)', () => findNearDuplicates(sub));
const nearSlow = add('near duplicates, 1500 rows (direct pairs)', () => directNearPairs(sub));
add('findNearDuplicates, 4920 rows (hashed)', () => findNearDuplicates(credit));
add("loadDataset({ kind: 'credit' }) end to end", () => loadDataset({ kind: 'credit' }));
add('generateSpirals, 97 per spiral', () => generateSpirals());

const w = Math.max(...rows.map(([n]) => n.length));
console.log(`${'operation'.padEnd(w)}  ${'min ms'.padStart(9)}  ${'median ms'.padStart(9)}   (${REPEATS} repeats)`);
for (const [name, r] of rows) console.log(`${name.padEnd(w)}  ${r.min.toFixed(2).padStart(9)}  ${r.median.toFixed(2).padStart(9)}`);
console.log(`\nvalidation overhead: readCsvFile / csv-parse = ${(ours.min / parseOnly.min).toFixed(2)} (min), ${(ours.median / parseOnly.median).toFixed(2)} (median)`);
console.log(`exact duplicates: direct / hashed = ${(exactSlow.min / exactFast.min).toFixed(1)}× (min), ${(exactSlow.median / exactFast.median).toFixed(1)}× (median)`);
console.log(`near duplicates (1500 rows): direct / hashed = ${(nearSlow.min / nearFast.min).toFixed(1)}× (min), ${(nearSlow.median / nearFast.median).toFixed(1)}× (median)`);

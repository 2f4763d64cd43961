// SPDX-License-Identifier: MIT
/**
 * Duplicate rows. Exact duplicates (every feature and the label equal) must go before a
 * train/test split, or the same row lands on both sides and the test score leaks. Rows that
 * agree everywhere except in one column (the credit-card data has transactions repeated at a
 * different `Time`) are only reported: they may be genuine.
 *
 * Both searches hash each row once, O(N·F) with F the number of columns, bucket rows by sorting
 * hashes, O(N log N) per column, and confirm every hash match by comparing values, so a
 * collision can never merge different rows. The direct O(N²·F) pairwise comparison is the
 * reference they are tested against.
 */
import type { LabelledSet } from './labelled-set.js';

export interface ExactDuplicates {
  /** Row indices to keep: the first occurrence of each distinct row, ascending. */
  readonly keep: Int32Array;
  /** Row indices of later copies, ascending. */
  readonly dropped: Int32Array;
  /** For each entry of `dropped`, the kept row it repeats. */
  readonly duplicateOf: Int32Array;
}

export interface NearDuplicateColumn {
  /** Column index: 0..F−1 a feature, F the label. */
  readonly column: number;
  /** Column name (feature name, label name), when given. */
  readonly name: string;
  /** Groups of ≥ 2 rows equal in every other column, with ≥ 2 different values in this one. */
  readonly groups: number;
  /** Rows in those groups. */
  readonly rows: number;
  /** The first few groups, as row indices (ascending within and across groups). */
  readonly examples: readonly (readonly number[])[];
}

export interface NearDuplicateOptions {
  /** Names for columns 0..F (features, then the label); default 'column k' and 'label'. */
  readonly columnNames?: readonly string[];
  /** Groups listed in `examples` per column (default 3). */
  readonly maxExamples?: number;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit hash per cell, label as the last column (exported for tests only, not from index). Cells combine by XOR, so a row's hash
 * without column c is one more XOR. Matches are always confirmed by comparing values, so the
 * hash only has to spread rows, not to be collision-free.
 */
export class RowHashes {
  readonly cols: number;
  readonly cell: Uint32Array;
  readonly row: Uint32Array;
  constructor(private readonly set: LabelledSet) {
    const n = set.rows;
    const f = set.featureCount;
    this.cols = f + 1;
    this.cell = new Uint32Array(n * this.cols);
    this.row = new Uint32Array(n);
    const scratch = new Float64Array(1);
    const words = new Uint32Array(scratch.buffer);
    for (let i = 0; i < n; i++) {
      let h = 0;
      for (let c = 0; c < this.cols; c++) {
        let lo: number;
        let hi: number;
        if (c < f) {
          // −0 and 0 compare equal, so they must hash equal.
          scratch[0] = set.features[i * f + c] === 0 ? 0 : set.features[i * f + c];
          lo = words[0];
          hi = words[1];
        } else {
          lo = set.labels[i];
          hi = 0x6c61626c;
        }
        const hc = fmix32(fmix32(lo ^ Math.imul(c + 1, 0x9e3779b9)) ^ hi);
        this.cell[i * this.cols + c] = hc;
        h ^= hc;
      }
      this.row[i] = h >>> 0;
    }
  }
  /** Hash of row i without column `skip` (−1: whole row), as an unsigned 32-bit integer. */
  hash(i: number, skip: number): number {
    return (skip >= 0 ? this.row[i] ^ this.cell[i * this.cols + skip] : this.row[i]) >>> 0;
  }
  /** Rows i and j agree in every column except `skip` (−1: in every column). */
  equalExcept(i: number, j: number, skip: number): boolean {
    const f = this.set.featureCount;
    const x = this.set.features;
    for (let c = 0; c < f; c++) if (c !== skip && x[i * f + c] !== x[j * f + c]) return false;
    return skip === f || this.set.labels[i] === this.set.labels[j];
  }
  value(i: number, c: number): number {
    const f = this.set.featureCount;
    return c < f ? this.set.features[i * f + c] : this.set.labels[i];
  }
}

/**
 * Groups rows by hash, then splits each run of equal hashes into classes of truly equal rows.
 * Rows are bucketed by sorting one float64 per row, (hash prefix)·2^b + row index, which is
 * several times faster than a Map of arrays here; the hash is cut to 53 − b bits so the number
 * stays exact. Groups come out ascending within and across.
 */
function equalGroups(hashes: RowHashes, n: number, skip: number, scratch: Float64Array): number[][] {
  const indexBits = Math.max(1, Math.ceil(Math.log2(n)));
  const radix = 2 ** indexBits;
  const drop = Math.max(0, indexBits - 21); // 32 − (53 − indexBits) hash bits dropped
  const packed = scratch.subarray(0, n);
  for (let i = 0; i < n; i++) packed[i] = (hashes.hash(i, skip) >>> drop) * radix + i;
  packed.sort();
  const groups: number[][] = [];
  let start = 0;
  while (start < n) {
    const key = Math.floor(packed[start] / radix);
    let end = start + 1;
    while (end < n && Math.floor(packed[end] / radix) === key) end++;
    if (end - start > 1) {
      const classes: number[][] = [];
      for (let k = start; k < end; k++) {
        const i = packed[k] - key * radix;
        const home = classes.find((g) => hashes.equalExcept(g[0], i, skip));
        if (home) home.push(i);
        else classes.push([i]);
      }
      for (const g of classes) if (g.length > 1) groups.push(g);
    }
    start = end;
  }
  return groups.sort((g, h) => g[0] - h[0]);
}

/**
 * Finds rows that repeat an earlier row exactly (features and label). Cost O(N·F + N log N).
 *
 * ```ts
 * const d = findExactDuplicates(set);
 * const unique = selectRows(set, d.keep);      // d.dropped.length rows fewer
 * ```
 */
export function findExactDuplicates(set: LabelledSet): ExactDuplicates {
  const hashes = new RowHashes(set);
  const dropped: number[] = [];
  const of = new Map<number, number>();
  for (const g of equalGroups(hashes, set.rows, -1, new Float64Array(set.rows))) {
    for (let k = 1; k < g.length; k++) {
      dropped.push(g[k]);
      of.set(g[k], g[0]);
    }
  }
  dropped.sort((a, b) => a - b);
  const isDropped = new Uint8Array(set.rows);
  for (const i of dropped) isDropped[i] = 1;
  const keep: number[] = [];
  for (let i = 0; i < set.rows; i++) if (!isDropped[i]) keep.push(i);
  return { keep: Int32Array.from(keep), dropped: Int32Array.from(dropped), duplicateOf: Int32Array.from(dropped, (i) => of.get(i)!) };
}

/**
 * For every column (features, then the label), the groups of rows that are equal in all other
 * columns but not in this one: e.g. the same transaction at two `Time`s, or the same features
 * with two labels (a label conflict). Exact duplicates inside a group count once per distinct
 * value; run on de-duplicated data for clean counts. Cost O(N·F·log N): one hash per cell,
 * O(1) to drop a column from a row's hash, a sort per column, O(F) to confirm each match. Only columns with at
 * least one group are returned.
 */
export function findNearDuplicates(set: LabelledSet, options: NearDuplicateOptions = {}): NearDuplicateColumn[] {
  const hashes = new RowHashes(set);
  const maxExamples = options.maxExamples ?? 3;
  const out: NearDuplicateColumn[] = [];
  const scratch = new Float64Array(set.rows);
  for (let c = 0; c < hashes.cols; c++) {
    const groups = equalGroups(hashes, set.rows, c, scratch).filter((g) => g.some((i) => hashes.value(i, c) !== hashes.value(g[0], c)));
    if (groups.length === 0) continue;
    const name = options.columnNames?.[c] ?? (c < set.featureCount ? `column ${c}` : 'label');
    out.push({ column: c, name, groups: groups.length, rows: groups.reduce((s, g) => s + g.length, 0), examples: groups.slice(0, maxExamples) });
  }
  return out;
}

// SPDX-License-Identifier: MIT
import { createRng, type Rng } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { findExactDuplicates, findNearDuplicates, RowHashes } from './duplicates.js';
import type { LabelledSet } from './labelled-set.js';

// The direct O(N²·F) definitions the hashed versions must match.
function cell(set: LabelledSet, i: number, c: number): number {
  return c < set.featureCount ? set.features[i * set.featureCount + c] : set.labels[i];
}
function equalExcept(set: LabelledSet, i: number, j: number, skip: number): boolean {
  for (let c = 0; c <= set.featureCount; c++) if (c !== skip && cell(set, i, c) !== cell(set, j, c)) return false;
  return true;
}
function directExact(set: LabelledSet): { dropped: number[]; of: number[] } {
  const dropped: number[] = [];
  const of: number[] = [];
  for (let j = 0; j < set.rows; j++) {
    for (let i = 0; i < j; i++) {
      if (equalExcept(set, i, j, -1)) {
        dropped.push(j);
        of.push(i);
        break;
      }
    }
  }
  return { dropped, of };
}
/** Per column: the sets of rows equal elsewhere with ≥ 2 values in the column (union-find free: small N). */
function directNear(set: LabelledSet): Map<number, number[][]> {
  const out = new Map<number, number[][]>();
  for (let c = 0; c <= set.featureCount; c++) {
    const seen = new Uint8Array(set.rows);
    const groups: number[][] = [];
    for (let i = 0; i < set.rows; i++) {
      if (seen[i]) continue;
      const g = [i];
      for (let j = i + 1; j < set.rows; j++) if (!seen[j] && equalExcept(set, i, j, c)) g.push(j);
      g.forEach((k) => (seen[k] = 1));
      if (g.length > 1 && g.some((k) => cell(set, k, c) !== cell(set, i, c))) groups.push(g);
    }
    if (groups.length) out.set(c, groups);
  }
  return out;
}

/** Random rows over a small value alphabet, with planted copies and one-column variants. */
function plantedSet(rng: Rng, rows: number, f: number): LabelledSet {
  const features = new Float64Array(rows * f);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = rng.uniform();
    if (i > 0 && r < 0.3) {
      const src = rng.int(i);
      features.copyWithin(i * f, src * f, src * f + f);
      labels[i] = labels[src];
      if (r < 0.2) {
        const c = rng.int(f + 1);
        if (c < f) features[i * f + c] = rng.int(3) - 1;
        else labels[i] = 1 - labels[i];
      }
    } else {
      for (let c = 0; c < f; c++) features[i * f + c] = rng.int(4) * 0.5;
      labels[i] = rng.int(2);
    }
  }
  return { features, labels, rows, featureCount: f, classes: 2 };
}

describe('findExactDuplicates', () => {
  it('matches the direct pairwise search on random sets with planted copies', () => {
    const rng = createRng(0xd0b);
    let total = 0;
    for (let trial = 0; trial < 20; trial++) {
      const set = plantedSet(rng, 60, 1 + (trial % 4));
      const fast = findExactDuplicates(set);
      const direct = directExact(set);
      expect(Array.from(fast.dropped)).toEqual(direct.dropped);
      expect(Array.from(fast.duplicateOf)).toEqual(direct.of);
      expect(fast.keep.length + fast.dropped.length).toBe(set.rows);
      total += direct.dropped.length;
    }
    expect(total).toBeGreaterThan(50); // the planted copies were really there
  });

  it('never merges different rows whose hashes collide (every match is confirmed by value)', () => {
    // 200 000 distinct rows: about n²/2³³ ≈ 5 pairs share a 32-bit row hash (birthday bound).
    const n = 200_000;
    const set: LabelledSet = { features: Float64Array.from({ length: n }, (_, i) => i * 0.5), labels: Int32Array.from({ length: n }, (_, i) => i % 2), rows: n, featureCount: 1, classes: 2 };
    const hashes = new RowHashes(set);
    const seen = new Map<number, number>();
    let collisions = 0;
    for (let i = 0; i < n; i++) {
      const h = hashes.hash(i, -1);
      if (seen.has(h)) collisions++;
      else seen.set(h, i);
    }
    expect(collisions).toBeGreaterThan(0); // the test exercises the collision path
    expect(findExactDuplicates(set).dropped.length).toBe(0);
  });

  it('treats −0 and 0 as equal (as === does) and rows differing only in the label as different', () => {
    const set: LabelledSet = { features: new Float64Array([0, 1, -0, 1, 0, 1]), labels: new Int32Array([0, 0, 1]), rows: 3, featureCount: 2, classes: 2 };
    const d = findExactDuplicates(set);
    expect(Array.from(d.dropped)).toEqual([1]);
    expect(Array.from(d.duplicateOf)).toEqual([0]);
    expect(Array.from(d.keep)).toEqual([0, 2]);
  });
});

describe('findNearDuplicates', () => {
  it('matches the direct definition per column on random sets', () => {
    const rng = createRng(0x4ea5);
    let groups = 0;
    for (let trial = 0; trial < 20; trial++) {
      const set = plantedSet(rng, 50, 1 + (trial % 3));
      const fast = findNearDuplicates(set, { maxExamples: 1000 });
      const direct = directNear(set);
      expect(fast.map((n) => n.column)).toEqual([...direct.keys()]);
      for (const n of fast) {
        const expected = direct.get(n.column)!;
        expect(n.examples).toEqual(expected);
        expect(n.groups).toBe(expected.length);
        expect(n.rows).toBe(expected.reduce((s, g) => s + g.length, 0));
        groups += n.groups;
      }
    }
    expect(groups).toBeGreaterThan(20);
  });

  it('names the columns, reports label conflicts under the label column, and keeps at most maxExamples groups', () => {
    // Rows 0/1 differ only in feature 't'; rows 2/3 only in the label.
    const set: LabelledSet = { features: new Float64Array([1, 5, 2, 5, 7, 8, 7, 8, 9, 9]), labels: new Int32Array([0, 0, 0, 1, 1]), rows: 5, featureCount: 2, classes: 2 };
    const near = findNearDuplicates(set, { columnNames: ['t', 'v', 'Class'], maxExamples: 1 });
    expect(near).toEqual([
      { column: 0, name: 't', groups: 1, rows: 2, examples: [[0, 1]] },
      { column: 2, name: 'Class', groups: 1, rows: 2, examples: [[2, 3]] },
    ]);
    expect(findNearDuplicates(set).map((n) => n.name)).toEqual(['column 0', 'label']);
  });
});

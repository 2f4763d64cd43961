// SPDX-License-Identifier: MIT
import { createRng, TOL } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import type { LabelledSet } from './labelled-set.js';
import { applySplit, stratifiedSplit } from './split.js';
import { applyStandardisation, fitStandardisation, type StandardisationRecord } from './standardise.js';

function randomSet(seed: number, rows: number, f: number, scale: (j: number) => number, offset: (j: number) => number): LabelledSet {
  const rng = createRng(seed);
  const features = new Float64Array(rows * f);
  for (let i = 0; i < rows; i++) for (let j = 0; j < f; j++) features[i * f + j] = offset(j) + scale(j) * rng.normal();
  return { features, labels: Int32Array.from({ length: rows }, (_, i) => i % 2), rows, featureCount: f, classes: 2 };
}

function columnStats(set: LabelledSet, j: number): { mean: number; std: number } {
  const f = set.featureCount;
  let m = 0;
  for (let i = 0; i < set.rows; i++) m += set.features[i * f + j];
  m /= set.rows;
  let v = 0;
  for (let i = 0; i < set.rows; i++) v += (set.features[i * f + j] - m) ** 2;
  return { mean: m, std: Math.sqrt(v / set.rows) };
}

describe('standardisation', () => {
  it('gives the training rows mean 0 and (population) standard deviation 1 per feature', () => {
    const train = randomSet(1, 300, 4, (j) => 10 ** j, (j) => 1e5 * j);
    const { scaling, warnings } = fitStandardisation(train);
    expect(warnings).toEqual([]);
    const z = applyStandardisation(train, scaling);
    for (let j = 0; j < 4; j++) {
      const s = columnStats(z, j);
      // Rounding of x − mean is relative to |x|, i.e. to |offset| / std in z units.
      const scale = Math.max(1, Math.abs(scaling.means[j]) / scaling.stds[j]);
      expect(Math.abs(s.mean)).toBeLessThan(TOL.F64 * scale);
      expect(Math.abs(s.std - 1)).toBeLessThan(TOL.F64 * scale);
    }
  });

  it('uses training statistics only: the test rows never change the scaling, and are mapped with the training mean and std', () => {
    const set = randomSet(2, 400, 3, () => 2, () => 5);
    // Make the test side different on purpose: after the split, shift and stretch the test rows.
    const split = stratifiedSplit(set, { seed: 4 });
    const shifted = set.features.slice();
    for (const i of split.test) for (let j = 0; j < 3; j++) shifted[i * 3 + j] = 1000 + 50 * shifted[i * 3 + j];
    const other: LabelledSet = { ...set, features: shifted };

    const a = applySplit(set, split);
    const b = applySplit(other, split);
    const fitA = fitStandardisation(a.train).scaling;
    const fitB = fitStandardisation(b.train).scaling;
    expect(fitB).toEqual(fitA); // the test rows changed, the scaling did not
    for (let j = 0; j < 3; j++) {
      const t = columnStats(a.train, j);
      expect(Math.abs(fitA.means[j] - t.mean)).toBeLessThan(TOL.F64 * Math.abs(t.mean));
      expect(Math.abs(fitA.stds[j] - t.std)).toBeLessThan(TOL.F64 * t.std);
      // …and differ from statistics over all rows, which a leaky fit would have used.
      expect(fitA.means[j]).not.toBe(columnStats(other, j).mean);
    }
    const zTest = applyStandardisation(b.test, fitB);
    for (let k = 0; k < b.test.rows; k++) {
      for (let j = 0; j < 3; j++) expect(zTest.features[k * 3 + j]).toBe((b.test.features[k * 3 + j] - fitB.means[j]) / fitB.stds[j]);
    }
    // The shifted test rows are far from mean 0 in training units: nothing re-centred them.
    expect(columnStats(zTest, 0).mean).toBeGreaterThan(100);
  });

  it('keeps precision with a large offset (corrected two-pass)', () => {
    const rows = [1e8, 1e8 + 1, 1e8 + 2, 1e8 + 3];
    const set: LabelledSet = { features: Float64Array.from(rows), labels: Int32Array.from([0, 1, 0, 1]), rows: 4, featureCount: 1, classes: 2 };
    const { scaling } = fitStandardisation(set);
    expect(scaling.means[0]).toBe(1e8 + 1.5);
    expect(Math.abs(scaling.stds[0] - Math.sqrt(1.25))).toBeLessThan(TOL.F64);
  });

  it('centres a constant feature without scaling it, with a warning (returned, not printed)', () => {
    const features = Float64Array.from([0.1, 1, 0.1, 2, 0.1, 3, 0.1, 5]);
    const train: LabelledSet = { features, labels: Int32Array.from([0, 1, 0, 1]), rows: 4, featureCount: 2, classes: 2 };
    const { scaling, warnings } = fitStandardisation(train, { featureNames: ['const', 'x'] });
    expect(scaling.constant).toEqual([0]);
    expect(scaling.stds[0]).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'constant-feature', feature: 0 });
    expect(warnings[0].message).toMatch(/^const is constant \(0\.1\d*\) on the 4 training rows: centred, not scaled$/);
    const z = applyStandardisation(train, scaling);
    for (let i = 0; i < 4; i++) expect(Math.abs(z.features[2 * i])).toBeLessThan(TOL.F64);
    expect(Number.isFinite(z.features[1])).toBe(true);
  });

  it('round-trips through JSON and rejects a record that does not fit', () => {
    const train = randomSet(3, 50, 2, () => 1, () => 0);
    const { scaling } = fitStandardisation(train);
    const saved = JSON.parse(JSON.stringify(scaling)) as StandardisationRecord;
    expect(Array.from(applyStandardisation(train, saved).features)).toEqual(Array.from(applyStandardisation(train, scaling).features));
    const three = randomSet(3, 50, 3, () => 1, () => 0);
    expect(() => applyStandardisation(three, scaling)).toThrow(/3 values \(one per feature\) for scaling.means/);
    expect(() => applyStandardisation(train, { ...scaling, stds: [1, 0] })).toThrow(/positive finite number for scaling.stds\[1\]/);
    expect(() => applyStandardisation(train, { ...scaling, kind: 'minmax' } as unknown as StandardisationRecord)).toThrow(TypeError);
  });
});

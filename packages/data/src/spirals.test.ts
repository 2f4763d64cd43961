// SPDX-License-Identifier: MIT
import { createRng, maxAbsDiff, TOL } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { readCsvFile } from './csv.js';
import { shippedDatasetPath, SPIRAL_FILE } from './shipped.js';
import { generateSpirals } from './spirals.js';

// Sample statistics of n uniform draws: the relative standard deviation of the sample variance
// of U(−a, a) is sqrt(0.8 / n) ≈ 0.045 for n = 388; 0.25 is more than 5 of those.
const SAMPLE_VARIANCE_REL = 0.25;

describe('generateSpirals', () => {
  it('reproduces datasets/two_spirals_194.csv at 97 points per spiral without noise', () => {
    const file = readCsvFile(shippedDatasetPath(SPIRAL_FILE));
    const gen = generateSpirals({ pointsPerSpiral: 97, noise: 0 });
    expect(file.featureNames).toEqual(['x', 'y']);
    expect(gen.rows).toBe(194);
    expect(file.rows).toBe(194);
    expect(maxAbsDiff(gen.features, file.features)).toBeLessThan(TOL.F64);
    expect(Array.from(gen.labels)).toEqual(Array.from(file.labels));
  });

  it('alternates class 1 and class 0, the second spiral the first reflected through the origin', () => {
    const s = generateSpirals({ pointsPerSpiral: 50, noise: 0 });
    expect(s.rows).toBe(100);
    for (let i = 0; i < 50; i++) {
      expect(s.labels[2 * i]).toBe(1);
      expect(s.labels[2 * i + 1]).toBe(0);
      expect(s.features[4 * i + 2]).toBe(-s.features[4 * i]);
      expect(s.features[4 * i + 3]).toBe(-s.features[4 * i + 1]);
    }
  });

  it('keeps the curve for any P: radius 6.5 − 6t and angle 6πt, three turns from 6.5 to 0.5', () => {
    for (const p of [2, 13, 200]) {
      const s = generateSpirals({ pointsPerSpiral: p, noise: 0 });
      for (let i = 0; i < p; i++) {
        const t = i / (p - 1);
        const [x, y] = [s.features[4 * i], s.features[4 * i + 1]];
        expect(Math.abs(Math.hypot(x, y) - (6.5 - 6 * t))).toBeLessThan(TOL.F64);
        // (x, y) = r (sin φ, cos φ): compare the direction through sin/cos of 6πt.
        expect(Math.abs(x - (6.5 - 6 * t) * Math.sin(6 * Math.PI * t))).toBeLessThan(TOL.F64);
      }
      expect(Math.hypot(s.features[0], s.features[1])).toBe(6.5);
      expect(Math.abs(Math.hypot(s.features[4 * (p - 1)], s.features[4 * (p - 1) + 1]) - 0.5)).toBeLessThan(TOL.F64);
    }
  });

  it('adds seeded uniform noise: reproducible, bounded by ±a, with variance a²/3', () => {
    const a = 0.1;
    const clean = generateSpirals({ noise: 0 });
    const noisy = generateSpirals({ noise: a, seed: 7 });
    const again = generateSpirals({ noise: a, seed: 7 });
    const other = generateSpirals({ noise: a, seed: 8 });
    expect(Array.from(again.features)).toEqual(Array.from(noisy.features));
    expect(maxAbsDiff(other.features, noisy.features)).toBeGreaterThan(0);
    expect(Array.from(noisy.labels)).toEqual(Array.from(clean.labels));

    const delta = noisy.features.map((v, k) => v - clean.features[k]);
    expect(Math.max(...delta.map(Math.abs))).toBeLessThanOrEqual(a);
    const variance = delta.reduce((s, d) => s + d * d, 0) / delta.length;
    expect(Math.abs(variance / (a * a / 3) - 1)).toBeLessThan(SAMPLE_VARIANCE_REL);
    // Both signs, in x and in y.
    for (const offset of [0, 1]) {
      const d = delta.filter((_, k) => k % 2 === offset);
      expect(Math.min(...d)).toBeLessThan(0);
      expect(Math.max(...d)).toBeGreaterThan(0);
    }
  });

  it('draws the noise from an injected Rng, coordinate by coordinate in row order', () => {
    const noisy = generateSpirals({ pointsPerSpiral: 5, noise: 0.3, rng: createRng(3) });
    const clean = generateSpirals({ pointsPerSpiral: 5, noise: 0 });
    const rng = createRng(3);
    for (let k = 0; k < noisy.features.length; k++) expect(noisy.features[k]).toBe(clean.features[k] + rng.uniformIn(-0.3, 0.3));
    expect(Array.from(generateSpirals({ pointsPerSpiral: 5, noise: 0.3, seed: 3 }).features)).toEqual(Array.from(noisy.features));
  });

  it('rejects bad parameters with the project grammar', () => {
    expect(() => generateSpirals({ pointsPerSpiral: 1 })).toThrow(RangeError);
    expect(() => generateSpirals({ pointsPerSpiral: 2.5 })).toThrow(/Expected integer between 2 and \d+ for pointsPerSpiral but received 2.5/);
    expect(() => generateSpirals({ noise: -0.1 })).toThrow(RangeError);
    expect(() => generateSpirals({ noise: Number.NaN })).toThrow(TypeError);
    expect(() => generateSpirals({ seed: 0.5 })).toThrow(/seed/);
  });
});

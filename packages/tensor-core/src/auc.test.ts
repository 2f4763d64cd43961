// SPDX-License-Identifier: MIT
import { TOL, createRng, isLandscapeError } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { auc } from './auc.js';

/** Brute-force pair count: 1 per correctly ordered pair, ½ per tie. */
function bruteForceAuc(scores: Float64Array, labels: Int32Array, positiveClass: number): number {
  let u = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== positiveClass) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] === positiveClass) continue;
      pairs++;
      u += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return u / pairs;
}

const f = (...v: number[]) => new Float64Array(v);
const l = (...v: number[]) => new Int32Array(v);

describe('auc', () => {
  it.each([
    ['perfect ranking', f(0.9, 0.8, 0.2, 0.1), l(1, 1, 0, 0), 1, 1],
    ['reversed ranking', f(0.1, 0.2, 0.8, 0.9), l(1, 1, 0, 0), 1, 0],
    ['one tie across classes counts ½', f(0.9, 0.4, 0.4, 0.1), l(1, 1, 0, 0), 1, 0.875],
    ['all scores tied', f(0.5, 0.5, 0.5, 0.5, 0.5), l(1, 0, 1, 0, 0), 1, 0.5],
    ['ties within a class do not matter', f(0.7, 0.7, 0.3, 0.3), l(1, 1, 0, 0), 1, 1],
    ['positive class 0 is the complement for two classes', f(0.9, 0.4, 0.4, 0.1), l(1, 1, 0, 0), 0, 0.125],
    ['three classes, class 2 against the rest', f(0.1, 0.6, 0.6, 0.9, 0.3), l(0, 1, 2, 2, 1), 2, (1 + 0.5 + 1 + 3) / 6],
    ['signed zeros tie', f(0, -0), l(1, 0), 1, 0.5],
  ])('%s', (_name, scores, labels, positiveClass, expected) => {
    expect(auc(scores, labels, positiveClass)).toBe(expected);
    expect(bruteForceAuc(scores, labels, positiveClass)).toBe(expected);
  });

  it('equals a brute-force pair count on random data with many ties', () => {
    const rng = createRng(0xa0c);
    for (const n of [2, 3, 17, 200, 601]) {
      const scores = new Float64Array(n);
      const labels = new Int32Array(n);
      for (let d = 0; d < n; d++) {
        scores[d] = Math.round(rng.uniform() * 10) / 10; // 11 levels: ties everywhere
        labels[d] = rng.int(3);
      }
      labels[0] = 1;
      labels[1] = 0;
      // Both are exact rationals with denominator 2·N⁺N⁻ computed differently: rounding only.
      expect(Math.abs(auc(scores, labels) - bruteForceAuc(scores, labels, 1))).toBeLessThanOrEqual(TOL.F64);
    }
  });

  it('rejects NaN, mismatched lengths, single-class labels and wrong types', () => {
    const expectCode = (fn: () => unknown, code: string, message: RegExp) => {
      try {
        fn();
      } catch (err) {
        expect(isLandscapeError(err) && err.code).toBe(code);
        expect((err as Error).message).toMatch(message);
        return;
      }
      throw new Error('expected a throw');
    };
    expectCode(() => auc(f(0.1, NaN), l(1, 0)), 'ERR_NOT_FINITE', /^Expected non-NaN values for scores but received NaN at index 1/);
    expectCode(() => auc(f(0.1, 0.2), l(1)), 'ERR_DIMENSION_MISMATCH', /^Expected Int32Array of length 2 \(one label per score\) for labels but received Int32Array\(1\)/);
    expectCode(() => auc(f(0.1, 0.2), l(0, 0)), 'ERR_SINGLE_CLASS', /^Expected at least one positive \(label 1\) and one negative for auc but received 0 positives and 2 negatives/);
    expect(() => auc([0.1] as never, l(1))).toThrow(TypeError);
    expect(() => auc(f(0.1, 0.2), l(1, 0), -1)).toThrow(RangeError);
  });
});

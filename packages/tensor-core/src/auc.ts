// SPDX-License-Identifier: MIT
/**
 * Exact AUC (Mann–Whitney U / (N⁺N⁻)), ties counted ½ (mid-ranks). O(N log N): sort the
 * positive and negative scores separately (native typed-array sort), then one merge.
 *
 * ```ts
 * auc(new Float64Array([0.9, 0.4, 0.4, 0.1]), new Int32Array([1, 1, 0, 0]));  // (1 + 1 + ½ + 1)/4 = 0.875
 * ```
 * (The study's Θ(0) = 1 would count ties as 1; ½ is the standard convention, chosen on purpose.)
 */
import { LandscapeError, expectedMessage, requireInteger } from '@lossscape/numeric';

/** AUC from scores already split by class (unchecked: finite, both non-empty). */
export function aucOfSplitScores(positiveScores: Float64Array, negativeScores: Float64Array): number {
  const pos = Float64Array.from(positiveScores).sort();
  const neg = Float64Array.from(negativeScores).sort();
  const nN = neg.length;
  let below = 0; // negatives strictly below the current positive
  let notAbove = 0; // negatives ≤ the current positive
  let u2 = 0; // 2U, an integer: exact in float64 up to 2^53
  for (let i = 0; i < pos.length; i++) {
    const x = pos[i];
    while (below < nN && neg[below] < x) below++;
    if (notAbove < below) notAbove = below;
    while (notAbove < nN && neg[notAbove] <= x) notAbove++;
    u2 += below + notAbove;
  }
  return u2 / (2 * pos.length * nN);
}

/**
 * Exact AUC of `scores` for `positiveClass` against every other label. Throws
 * ERR_SINGLE_CLASS when either side is empty, ERR_NOT_FINITE for NaN scores.
 */
export function auc(scores: Float64Array, labels: Int32Array, positiveClass = 1): number {
  if (!(scores instanceof Float64Array)) throw new TypeError(expectedMessage('Float64Array', 'scores', scores));
  if (!(labels instanceof Int32Array)) throw new TypeError(expectedMessage('Int32Array', 'labels', labels));
  if (labels.length !== scores.length) {
    throw new LandscapeError(expectedMessage(`Int32Array of length ${scores.length} (one label per score)`, 'labels', labels), 'ERR_DIMENSION_MISMATCH');
  }
  requireInteger('positiveClass', positiveClass, 0);
  let nP = 0;
  for (let d = 0; d < scores.length; d++) {
    if (Number.isNaN(scores[d])) throw new LandscapeError(`Expected non-NaN values for scores but received NaN at index ${d}`, 'ERR_NOT_FINITE');
    if (labels[d] === positiveClass) nP++;
  }
  const nN = scores.length - nP;
  if (nP === 0 || nN === 0) {
    throw new LandscapeError(
      `Expected at least one positive (label ${positiveClass}) and one negative for auc but received ${nP} positives and ${nN} negatives`,
      'ERR_SINGLE_CLASS',
    );
  }
  const pos = new Float64Array(nP);
  const neg = new Float64Array(nN);
  for (let d = 0, ip = 0, ineg = 0; d < scores.length; d++) {
    if (labels[d] === positiveClass) pos[ip++] = scores[d];
    else neg[ineg++] = scores[d];
  }
  return aucOfSplitScores(pos, neg);
}

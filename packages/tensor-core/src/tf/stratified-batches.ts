// SPDX-License-Identifier: MIT
/**
 * Stratified mini-batches for pairwise losses: positives and negatives are shuffled separately
 * and dealt round-robin over the batches, so every batch holds ⌊P/B⌋ or ⌈P/B⌉ positives and
 * batch sizes differ by at most one. Whenever there are at least as many positives (and
 * negatives) as batches, no batch is without pairs.
 *
 * ```ts
 * const rng = createRng(7);
 * for (const idx of stratifiedBatches(labels, 256, rng)) {           // one epoch
 *   const i = tf.tensor1d(idx, 'int32');
 *   model.trainOnBatch(tf.gather(x, i), tf.gather(y, i));
 * }
 * ```
 * Cost O(N) per epoch. The batch order is shuffled too.
 */
import { LandscapeError, expectedMessage, requireInteger, type Rng } from '@lossscape/numeric';

export interface StratifiedBatchOptions {
  /** Label of the positive class (default 1); every other label is negative. */
  readonly positiveClass?: number;
}

function shuffle(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** Row indices of one epoch's batches (B = ⌈N / batchSize⌉ batches). */
export function stratifiedBatches(labels: ArrayLike<number>, batchSize: number, rng: Rng, options: StratifiedBatchOptions = {}): Int32Array[] {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw new TypeError(expectedMessage('an array of labels', 'labels', labels));
  const n = labels.length;
  if (n === 0) throw new LandscapeError(expectedMessage('at least one label', 'labels', labels), 'ERR_DIMENSION_MISMATCH');
  requireInteger('batchSize', batchSize, 1);
  if (typeof rng !== 'object' || rng === null || typeof rng.int !== 'function') throw new TypeError(expectedMessage('an Rng (createRng from @lossscape/numeric)', 'rng', rng));
  const positiveClass = requireInteger('options.positiveClass', options.positiveClass ?? 1);
  let p = 0;
  for (let d = 0; d < n; d++) if (labels[d] === positiveClass) p++;
  const positives = new Int32Array(p);
  const negatives = new Int32Array(n - p);
  for (let d = 0, ip = 0, ineg = 0; d < n; d++) {
    if (labels[d] === positiveClass) positives[ip++] = d;
    else negatives[ineg++] = d;
  }
  shuffle(positives, rng);
  shuffle(negatives, rng);
  const b = Math.ceil(n / batchSize);
  const sizes = new Int32Array(b);
  const batches = Array.from({ length: b }, (_, k) => new Int32Array(Math.floor(n / b) + (k < n % b ? 1 : 0)));
  // Deal positives then negatives round-robin: slot r goes to batch r mod B, so counts per batch
  // differ by at most one for each class and in total.
  let r = 0;
  for (const list of [positives, negatives]) {
    for (let i = 0; i < list.length; i++, r++) {
      const k = r % b;
      batches[k][sizes[k]++] = list[i];
    }
  }
  const order = Int32Array.from({ length: b }, (_, k) => k);
  shuffle(order, rng);
  return Array.from(order, (k) => batches[k]);
}

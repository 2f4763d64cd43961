// SPDX-License-Identifier: MIT
/**
 * Stable LSD radix argsort of float64 values: 6 passes of 11-bit digits over the IEEE-754
 * bits (mapped to unsigned order: negatives have all bits flipped, non-negatives the sign
 * bit set), skipping passes whose digit is the same for every value (common for scores in
 * [0, 1], which share their top bits). O(N) time and memory; several times faster here than
 * Float64Array.prototype.sort, and it also returns the permutation.
 *
 * ```ts
 * const { sorted, order } = argsortFloat64(new Float64Array([0.3, -1, 0.2]));
 * // sorted = [-1, 0.2, 0.3], order = [1, 2, 0]  (sorted[k] = values[order[k]])
 * ```
 * Order: −Infinity < negatives < −0 < +0 < positives < +Infinity; NaN is not expected (callers
 * validate).
 */
const BITS = 11;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;
/** Word order of a float64 in memory: on little-endian platforms word 0 is the low half. */
const LOW_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

export interface ArgsortResult {
  readonly sorted: Float64Array;
  readonly order: Int32Array;
}

export function argsortFloat64(values: Float64Array): ArgsortResult {
  const n = values.length;
  // Keys as (hi, lo) unsigned 32-bit words, moved together with the original index.
  const view = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let idx = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const h = view[2 * k + 1 - LOW_WORD];
    const l = view[2 * k + LOW_WORD];
    if (h & 0x80000000) {
      hi[k] = ~h >>> 0;
      lo[k] = ~l >>> 0;
    } else {
      hi[k] = (h | 0x80000000) >>> 0;
      lo[k] = l;
    }
    idx[k] = k;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let idx2 = new Int32Array(n);
  const count = new Int32Array(RADIX);
  for (let shift = 0; shift < 64; shift += BITS) {
    count.fill(0);
    for (let k = 0; k < n; k++) count[digit(hi[k], lo[k], shift)]++;
    if (count[digit(hi[0], lo[0], shift)] === n) continue; // every key shares this digit
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const pos = count[digit(hi[k], lo[k], shift)]++;
      hi2[pos] = hi[k];
      lo2[pos] = lo[k];
      idx2[pos] = idx[k];
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [idx, idx2] = [idx2, idx];
  }
  const sorted = new Float64Array(n);
  for (let k = 0; k < n; k++) sorted[k] = values[idx[k]];
  return { sorted, order: idx };
}

/** The 11-bit digit at bit `shift` of the 64-bit key (hi, lo). */
function digit(hi: number, lo: number, shift: number): number {
  if (shift + BITS <= 32) return (lo >>> shift) & MASK;
  if (shift >= 32) return (hi >>> (shift - 32)) & MASK;
  return ((lo >>> shift) | (hi << (32 - shift))) & MASK;
}

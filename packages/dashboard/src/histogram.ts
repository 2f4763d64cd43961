// SPDX-License-Identifier: MIT
/**
 * Energy histogram of a set of minima (the graph view's fallback before any transition state is
 * known). O(n + bins).
 */

export interface Histogram {
  /** Bin edges, ascending, `counts.length + 1` of them. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

/**
 * Counts finite `energies` in `bins` equal bins from the lowest to the highest value (the last
 * bin includes its upper edge). All-equal energies give a single bin. Empty input gives no bins.
 */
export function energyHistogram(energies: readonly number[], bins: number): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const e of energies) {
    if (!Number.isFinite(e)) continue;
    n++;
    if (e < lo) lo = e;
    if (e > hi) hi = e;
  }
  if (n === 0) return { edges: [], counts: [] };
  const k = hi > lo ? Math.max(1, Math.floor(bins)) : 1;
  const width = (hi - lo) / k;
  const edges = Array.from({ length: k + 1 }, (_, i) => (i === k ? hi : lo + i * width));
  const counts = new Array<number>(k).fill(0);
  for (const e of energies) {
    if (!Number.isFinite(e)) continue;
    const i = width > 0 ? Math.min(k - 1, Math.floor((e - lo) / width)) : 0;
    counts[i]++;
  }
  return { edges, counts };
}

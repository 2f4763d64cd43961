// SPDX-License-Identifier: MIT
/**
 * Immutable bounded collections for the dashboard state. Every update returns a new array (the
 * reducer is pure) but the arrays never grow past their capacity, so a ten-hour run keeps the
 * same memory as a ten-second one. Costs are O(capacity) per change with small fixed
 * capacities, and O(1) or O(log capacity) when nothing changes, which is the common case late in
 * a run (most new minima are not among the lowest).
 */

/** Prepends `item` (newest first) and drops the oldest beyond `capacity`. O(capacity). */
export function prependBounded<T>(items: readonly T[], item: T, capacity: number): readonly T[] {
  const n = Math.min(items.length + 1, capacity);
  const out = new Array<T>(n);
  out[0] = item;
  for (let i = 1; i < n; i++) out[i] = items[i - 1];
  return out;
}

/** Index of the first element whose key is greater than `key` (upper bound) in an ascending list. */
function upperBound<T>(items: readonly T[], key: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Inserts `item` into a list kept ascending by `keyOf`, keeping only the lowest `capacity`
 * items. Returns the same array when the item would fall off the end or when an item with the
 * same key and the same identity (`sameAs`) is already present (a re-sent event).
 * O(log capacity) when unchanged, O(capacity) when inserted.
 */
export function insertLowestBounded<T>(
  items: readonly T[],
  item: T,
  capacity: number,
  keyOf: (item: T) => number,
  sameAs: (a: T, b: T) => boolean,
): readonly T[] {
  const key = keyOf(item);
  if (!Number.isFinite(key)) return items;
  const at = upperBound(items, key, keyOf);
  if (at >= capacity) return items;
  for (let i = at - 1; i >= 0 && keyOf(items[i]) === key; i--) if (sameAs(items[i], item)) return items;
  const n = Math.min(items.length + 1, capacity);
  const out = new Array<T>(n);
  for (let i = 0; i < at; i++) out[i] = items[i];
  out[at] = item;
  for (let i = at + 1; i < n; i++) out[i] = items[i - 1];
  return out;
}

/**
 * Replaces the first item matching `match` by `update(item)`; the same array when none matches.
 * O(length).
 */
export function updateWhere<T>(items: readonly T[], match: (item: T) => boolean, update: (item: T) => T): readonly T[] {
  for (let i = 0; i < items.length; i++) {
    if (match(items[i])) {
      const out = items.slice();
      out[i] = update(items[i]);
      return out;
    }
  }
  return items;
}

/**
 * Like `updateWhere` on a list ascending by `energy`, looking only at the items whose energy
 * equals `energy` (binary search). O(log length + ties) when unchanged, O(length) when updated.
 */
export function updateByKey<T extends { readonly energy: number }>(
  items: readonly T[],
  energy: number,
  match: (item: T) => boolean,
  update: (item: T) => T,
): readonly T[] {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].energy < energy) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < items.length && items[i].energy === energy; i++) {
    if (match(items[i])) {
      const out = items.slice();
      out[i] = update(items[i]);
      return out;
    }
  }
  return items;
}

/**
 * A whole-run time series in bounded memory: `values[i]` is the value at the end of the time
 * bucket [i·bucketMs, (i+1)·bucketMs). When the buckets would exceed `capacity`, neighbouring
 * buckets merge (bucketMs doubles, every second value is kept), so after t milliseconds the
 * resolution is about t / capacity. The value of the bucket in progress is not stored; the
 * caller appends the current value when drawing.
 */
export interface DecimatedSeries {
  readonly bucketMs: number;
  readonly capacity: number;
  readonly values: readonly number[];
}

export function emptySeries(bucketMs: number, capacity: number): DecimatedSeries {
  return { bucketMs, capacity, values: [] };
}

/**
 * Closes every bucket that ended before time `t`, giving each the value `previous` (the value
 * just before whatever happens at `t`). Returns the same series when no bucket closed.
 * Amortised O(1) per call: each bucket is written once per doubling, and doublings are
 * logarithmic in the run's length.
 */
export function advanceSeries(series: DecimatedSeries, t: number, previous: number): DecimatedSeries {
  let bucketMs = series.bucketMs;
  let index = Math.floor(t / bucketMs);
  if (!(index > series.values.length)) return series;
  let values: number[] = series.values.slice();
  while (index > series.capacity) {
    // Bucket j of the coarser series ends where old bucket 2j+1 ended.
    const merged: number[] = [];
    for (let j = 1; j < values.length; j += 2) merged.push(values[j]);
    values = merged;
    bucketMs *= 2;
    index = Math.floor(t / bucketMs);
  }
  while (values.length < index) values.push(previous);
  return { bucketMs, capacity: series.capacity, values };
}

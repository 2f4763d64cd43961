// SPDX-License-Identifier: MIT
/**
 * The graph side of the connection strategy (as PATHSAMPLE's Dijkstra missing-connection
 * search): minima are nodes, every pair an edge whose weight is 0 when a transition state
 * already joins them, infinite when a double-ended search between them failed, and otherwise a
 * function of their distance. The cheapest path between two minima names the missing links
 * worth a double-ended search. Pure functions over ids.
 *
 * Cost: dense Dijkstra, O(N²) weight evaluations for N minima (distances are cached by the
 * caller), O(N) memory.
 */

/** Union-find over minimum ids. */
export class Components {
  private readonly parent = new Map<number, number>();
  find(id: number): number {
    let r = id;
    for (let p = this.parent.get(r); p !== undefined && p !== r; p = this.parent.get(r)) r = p;
    // Path compression.
    for (let c = id, p = this.parent.get(c); p !== undefined && p !== r; p = this.parent.get(c)) {
      this.parent.set(c, r);
      c = p;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  same(a: number, b: number): boolean {
    return this.find(a) === this.find(b);
  }
}

export function componentsOf(edges: ReadonlyArray<{ readonly minimum1: number; readonly minimum2: number }>): Components {
  const c = new Components();
  for (const e of edges) c.union(e.minimum1, e.minimum2);
  return c;
}

export interface MissingPath {
  /** Minimum ids from source to target. */
  readonly path: readonly number[];
  /** Consecutive pairs on the path with non-zero weight: the double-ended searches to try. */
  readonly missing: ReadonlyArray<readonly [number, number]>;
  readonly cost: number;
}

/**
 * Cheapest path from `source` to `target` over the complete graph on `ids` with the given
 * weight (0 = connected, Infinity = never try). Undefined when every path is infinite.
 */
export function missingConnectionPath(
  ids: readonly number[],
  weight: (a: number, b: number) => number,
  source: number,
  target: number,
): MissingPath | undefined {
  const n = ids.length;
  const index = new Map<number, number>();
  ids.forEach((id, i) => index.set(id, i));
  const s = index.get(source);
  const t = index.get(target);
  if (s === undefined || t === undefined) return undefined;
  const dist = new Float64Array(n).fill(Infinity);
  const prev = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  dist[s] = 0;
  for (let round = 0; round < n; round++) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i] < Infinity && (u < 0 || dist[i] < dist[u])) u = i;
    if (u < 0 || u === t) break;
    done[u] = 1;
    for (let v = 0; v < n; v++) {
      if (done[v] || v === u) continue;
      const w = weight(ids[u], ids[v]);
      if (!(w < Infinity)) continue;
      if (dist[u] + w < dist[v]) {
        dist[v] = dist[u] + w;
        prev[v] = u;
      }
    }
  }
  if (!(dist[t] < Infinity)) return undefined;
  const path: number[] = [];
  for (let v = t; v >= 0; v = prev[v]) path.unshift(ids[v]);
  const missing: Array<readonly [number, number]> = [];
  for (let k = 0; k + 1 < path.length; k++) if (weight(path[k], path[k + 1]) > 0) missing.push([path[k], path[k + 1]]);
  return { path, missing, cost: dist[t] };
}

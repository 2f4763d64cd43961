// SPDX-License-Identifier: MIT
/**
 * The disconnectivity tree (Becker & Karplus 1997; Wales, Miller & Walsh 1998), built as
 * disconnectionDPS builds it: energy is cut at regular levels E_0 > E_1 > … ; at each level the
 * minima with energy ≤ E_k fall into superbasins, the components of the graph whose edges are the
 * transition states with energy ≤ E_k (union-find over transition states sorted by energy). Each
 * superbasin is a node; a superbasin holding a single minimum ends in a leaf whose line runs down
 * to that minimum's energy.
 *
 * ```ts
 * const tree = computeDisconnectivity(
 *   { minima: [{ id: 1, energy: 0 }, { id: 2, energy: 1 }], transitionStates: [{ energy: 3, minimum1: 1, minimum2: 2 }] },
 *   { levels: 4 },
 * );
 * tree.roots; // one basin holding both minima
 * ```
 * Cost: O(T log T + L·(N + T)) for N minima, T transition states and L levels. Pure data.
 */
import { LandscapeError, expectedMessage, requireInteger, requirePositive } from '@lossscape/numeric';
import type { LandscapeStore } from '../store.js';

/** What the tree needs of a minimum. */
export interface TreeMinimum {
  readonly id: number;
  readonly energy: number;
}

/** What the tree needs of a transition state. */
export interface TreeTransitionState {
  readonly energy: number;
  readonly minimum1: number;
  readonly minimum2: number;
}

export interface DisconnectivityInput {
  readonly minima: readonly TreeMinimum[];
  readonly transitionStates: readonly TreeTransitionState[];
}

export interface DisconnectivityOptions {
  /** Number of energy levels (disconnectionDPS LEVELS). Default 20. */
  readonly levels?: number;
  /**
   * The first (highest) level, E_0 (disconnectionDPS FIRST). Default: the highest transition-state
   * energy, so every stored connection is drawn; the highest minimum energy when there is none.
   */
  readonly topEnergy?: number;
  /** Spacing between levels (disconnectionDPS DELTA). Default (E_0 − E_min) / levels. */
  readonly delta?: number;
  /**
   * Keep only the minima joined to this one at the top level (disconnectionDPS CONNECTMIN):
   * a minimum id, or 'global-minimum'. Default: every minimum.
   */
  readonly connectedTo?: number | 'global-minimum';
  /** Draw minima that no transition state (below E_0) touches as isolated leaves. Default true. */
  readonly includeIsolated?: boolean;
  /** Keep only the lowest `maxMinima` minima (disconnectionDPS NMINMAX-like). Default all. */
  readonly maxMinima?: number;
}

/** A superbasin at one level: the minima joined below `energy`. */
export interface DisconnectivityBasin {
  readonly kind: 'basin';
  /** Index into `tree.nodes`. */
  readonly id: number;
  /** 0 for the top level E_0. */
  readonly level: number;
  /** The level energy E_level: where this basin's node sits. */
  readonly energy: number;
  readonly parent: number | null;
  /** Child node indices, lowest child minimum first. */
  readonly children: readonly number[];
  /** Ids of the minima in this basin, lowest energy first. */
  readonly minima: readonly number[];
  readonly lowestEnergy: number;
}

/** One minimum, alone in its basin from `energy` down to `minimumEnergy`. */
export interface DisconnectivityLeaf {
  readonly kind: 'leaf';
  readonly id: number;
  /** The level at which it is alone (levels.length when split below the lowest level). */
  readonly level: number;
  /**
   * Top of the leaf's vertical line: its level energy when it is a superbasin of its own at that
   * level; its own energy when it lies between two levels.
   */
  readonly energy: number;
  readonly parent: number | null;
  readonly minimum: number;
  readonly minimumEnergy: number;
}

export type DisconnectivityNode = DisconnectivityBasin | DisconnectivityLeaf;

export interface DisconnectivityTree {
  /** Level energies, highest first. */
  readonly levels: readonly number[];
  readonly nodes: readonly DisconnectivityNode[];
  /** Top-level nodes, lowest minimum first. */
  readonly roots: readonly number[];
  /** Leaf node index of each drawn minimum id. */
  readonly leafOf: ReadonlyMap<number, number>;
  /** Minima left out: above E_0, outside the chosen component, isolated (when excluded) or beyond maxMinima. */
  readonly excludedMinima: readonly number[];
  /** Transition states ignored because they name a minimum that is not in the input. */
  readonly danglingTransitionStates: number;
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r];
    while (this.parent[i] !== r) {
      const next = this.parent[i];
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

function validate(input: DisconnectivityInput): void {
  if (input === null || typeof input !== 'object' || !Array.isArray(input.minima) || !Array.isArray(input.transitionStates)) {
    throw new TypeError(expectedMessage('{ minima: array, transitionStates: array }', 'disconnectivity input', input));
  }
  const seen = new Set<number>();
  input.minima.forEach((m, i) => {
    if (!Number.isFinite(m.energy)) throw new LandscapeError(expectedMessage('finite energy', `minima[${i}].energy`, m.energy), 'ERR_NOT_FINITE');
    if (seen.has(m.id)) throw new LandscapeError(expectedMessage('unique minimum ids', `minima[${i}].id`, m.id), 'ERR_INVALID_ARGUMENT');
    seen.add(m.id);
  });
  input.transitionStates.forEach((t, i) => {
    if (!Number.isFinite(t.energy)) {
      throw new LandscapeError(expectedMessage('finite energy', `transitionStates[${i}].energy`, t.energy), 'ERR_NOT_FINITE');
    }
  });
}

/** Builds the tree from plain records (validated once here). */
export function computeDisconnectivity(input: DisconnectivityInput, options: DisconnectivityOptions = {}): DisconnectivityTree {
  validate(input);
  const levelCount = requireInteger('levels', options.levels ?? 20, 1, 100_000);
  const includeIsolated = options.includeIsolated ?? true;
  const excluded: number[] = [];

  let minima = [...input.minima].sort((a, b) => a.energy - b.energy || a.id - b.id);
  if (options.maxMinima !== undefined) {
    requireInteger('maxMinima', options.maxMinima, 0);
    for (const m of minima.slice(options.maxMinima)) excluded.push(m.id);
    minima = minima.slice(0, options.maxMinima);
  }
  const index = new Map<number, number>();
  minima.forEach((m, i) => index.set(m.id, i));
  let dangling = 0;
  const edges: Array<{ energy: number; a: number; b: number }> = [];
  for (const t of input.transitionStates) {
    const a = index.get(t.minimum1);
    const b = index.get(t.minimum2);
    if (a === undefined || b === undefined) {
      // A TS to a minimum cut by maxMinima is expected; one naming an unknown id is counted.
      if (!input.minima.some((m) => m.id === t.minimum1) || !input.minima.some((m) => m.id === t.minimum2)) dangling++;
      continue;
    }
    edges.push({ energy: t.energy, a, b });
  }
  edges.sort((x, y) => x.energy - y.energy);

  const empty = (levels: number[]): DisconnectivityTree => ({
    levels,
    nodes: [],
    roots: [],
    leafOf: new Map(),
    excludedMinima: [...excluded, ...minima.map((m) => m.id)],
    danglingTransitionStates: dangling,
  });
  if (minima.length === 0) return empty([]);

  const lowest = minima[0].energy;
  const top = options.topEnergy ?? (edges.length > 0 ? edges[edges.length - 1].energy : minima[minima.length - 1].energy);
  if (!Number.isFinite(top)) throw new RangeError(expectedMessage('finite number', 'topEnergy', top));
  const span = top - lowest;
  const delta = options.delta !== undefined ? requirePositive('delta', options.delta) : span > 0 ? span / levelCount : 1;
  const levels = Array.from({ length: levelCount }, (_, k) => top - k * delta);

  // Which minima take part: at or below E_0, in the chosen component, touched by a TS if asked.
  const n = minima.length;
  const topUf = new UnionFind(n);
  const touched = new Uint8Array(n);
  for (const e of edges) {
    if (e.energy > top) break;
    topUf.union(e.a, e.b);
    touched[e.a] = 1;
    touched[e.b] = 1;
  }
  let anchor = -1;
  if (options.connectedTo !== undefined) {
    if (options.connectedTo === 'global-minimum') anchor = 0;
    else {
      const i = index.get(options.connectedTo);
      if (i === undefined) throw new LandscapeError(expectedMessage('id of a drawn minimum', 'connectedTo', options.connectedTo), 'ERR_INVALID_ARGUMENT');
      anchor = i;
    }
  }
  const active = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ok =
      minima[i].energy <= top &&
      (anchor < 0 || topUf.find(i) === topUf.find(anchor)) &&
      (includeIsolated || touched[i] === 1);
    if (ok) active[i] = 1;
    else excluded.push(minima[i].id);
  }
  if (!active.some((a) => a === 1)) return { ...empty(levels), excludedMinima: excluded };

  // Component label of every active minimum at every level, lowest level first so that the
  // transition states are added in one sweep.
  const labels: Int32Array[] = new Array(levelCount);
  const uf = new UnionFind(n);
  let next = 0;
  for (let k = levelCount - 1; k >= 0; k--) {
    while (next < edges.length && edges[next].energy <= levels[k]) {
      uf.union(edges[next].a, edges[next].b);
      next++;
    }
    const lab = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) if (active[i] && minima[i].energy <= levels[k]) lab[i] = uf.find(i);
    labels[k] = lab;
  }

  const nodes: DisconnectivityNode[] = [];
  const leafOf = new Map<number, number>();
  const addLeaf = (i: number, level: number, energy: number, parent: number | null): number => {
    const id = nodes.length;
    nodes.push({ kind: 'leaf', id, level, energy, parent, minimum: minima[i].id, minimumEnergy: minima[i].energy });
    leafOf.set(minima[i].id, id);
    return id;
  };
  // Groups the given minimum indices (ascending energy) by their label at level k.
  const groupsAt = (members: readonly number[], k: number): number[][] => {
    const byLabel = new Map<number, number[]>();
    for (const i of members) {
      const l = labels[k][i];
      if (l < 0) continue;
      let g = byLabel.get(l);
      if (!g) byLabel.set(l, (g = []));
      g.push(i);
    }
    return [...byLabel.values()];
  };
  const build = (members: number[], k: number, parent: number | null): number => {
    if (members.length === 1) return addLeaf(members[0], k, levels[k], parent);
    const id = nodes.length;
    const children: number[] = [];
    nodes.push({
      kind: 'basin',
      id,
      level: k,
      energy: levels[k],
      parent,
      children,
      minima: members.map((i) => minima[i].id),
      lowestEnergy: minima[members[0]].energy,
    });
    // Members above the next level (or all of them below the last level) end here as leaves.
    const last = k + 1 >= levelCount;
    const childGroups = last ? [] : groupsAt(members, k + 1);
    const parts: Array<{ lowest: number; make: () => number }> = [];
    for (const g of childGroups) parts.push({ lowest: g[0], make: () => build(g, k + 1, id) });
    // A member without a label at the next level lies above it.
    for (const i of members) if (last || labels[k + 1][i] < 0) parts.push({ lowest: i, make: () => addLeaf(i, k + 1, minima[i].energy, id) });
    parts.sort((a, b) => a.lowest - b.lowest);
    for (const p of parts) children.push(p.make());
    return id;
  };

  const activeMembers: number[] = [];
  for (let i = 0; i < n; i++) if (active[i]) activeMembers.push(i);
  const roots = groupsAt(activeMembers, 0).map((g) => build(g, 0, null));
  return { levels, nodes, roots, leafOf, excludedMinima: excluded, danglingTransitionStates: dangling };
}

/** Reads minima and transition states from a store and builds the tree. */
export async function disconnectivityFromStore(store: LandscapeStore, options: DisconnectivityOptions = {}): Promise<DisconnectivityTree> {
  const [minima, transitionStates] = await Promise.all([store.minima(), store.transitionStates()]);
  return computeDisconnectivity({ minima, transitionStates }, options);
}

// SPDX-License-Identifier: MIT
/**
 * Places a disconnectivity tree in the plane without crossings: every subtree owns a contiguous
 * run of leaf slots (depth-first order), and a basin sits above the middle of its children. The
 * vertical coordinate is the energy itself. Pure data (STYLE R12): renderers map it to pixels or
 * characters.
 *
 * ```ts
 * const layout = layoutDisconnectivity(computeDisconnectivity(input));
 * for (const s of layout.segments) draw(s.x1, s.y1, s.x2, s.y2);
 * ```
 * Cost: O(nodes).
 */
import { requireOneOf } from '@lossscape/numeric';
import type { DisconnectivityTree } from './tree.js';

export interface LayoutOptions {
  /**
   * Order of siblings: 'energy' puts the lowest child first (left); 'centre' puts it in the middle
   * and alternates the others around it (disconnectionDPS CENTREGMIN look). Default 'energy'.
   */
  readonly order?: 'energy' | 'centre';
}

export interface LayoutNode {
  /** Node index in the tree. */
  readonly node: number;
  /** Horizontal position in leaf slots (0 … leafCount − 1). */
  readonly x: number;
  /** Energy of the node point. */
  readonly y: number;
}

export interface LayoutSegment {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** 'branch': parent point to child point; 'leaf': a minimum's vertical line down to its energy. */
  readonly kind: 'branch' | 'leaf';
  /** The minimum id for leaf segments and for branches that end in a leaf. */
  readonly minimum?: number;
}

export interface LayoutLeaf {
  readonly minimum: number;
  readonly x: number;
  /** Energy of the minimum (bottom of its line). */
  readonly energy: number;
  readonly node: number;
}

export interface DisconnectivityLayout {
  /** One entry per tree node, indexed like `tree.nodes`. */
  readonly nodes: readonly LayoutNode[];
  readonly segments: readonly LayoutSegment[];
  /** Leaves from left to right. */
  readonly leaves: readonly LayoutLeaf[];
  readonly leafCount: number;
  readonly energyMin: number;
  readonly energyMax: number;
  readonly levels: readonly number[];
}

function centreOrder<T>(items: readonly T[]): T[] {
  // items lowest first → lowest in the middle, the next ones alternately right and left.
  const out: T[] = [];
  items.forEach((item, i) => (i % 2 === 1 ? out.push(item) : out.unshift(item)));
  return out;
}

export function layoutDisconnectivity(tree: DisconnectivityTree, options: LayoutOptions = {}): DisconnectivityLayout {
  const order = requireOneOf('order', options.order ?? 'energy', ['energy', 'centre'] as const);
  const positions: LayoutNode[] = new Array(tree.nodes.length);
  const leaves: LayoutLeaf[] = [];
  const arrange = (ids: readonly number[]): readonly number[] => (order === 'centre' ? centreOrder(ids) : ids);

  const place = (id: number): number => {
    const node = tree.nodes[id];
    if (node.kind === 'leaf') {
      const x = leaves.length;
      leaves.push({ minimum: node.minimum, x, energy: node.minimumEnergy, node: id });
      positions[id] = { node: id, x, y: node.energy };
      return x;
    }
    const xs = arrange(node.children).map(place);
    // Children are placed left to right, so the first and last are the extremes.
    const x = (xs[0] + xs[xs.length - 1]) / 2;
    positions[id] = { node: id, x, y: node.energy };
    return x;
  };
  for (const r of arrange(tree.roots)) place(r);

  const segments: LayoutSegment[] = [];
  for (const node of tree.nodes) {
    const p = positions[node.id];
    if (node.parent !== null) {
      const q = positions[node.parent];
      segments.push({ x1: q.x, y1: q.y, x2: p.x, y2: p.y, kind: 'branch', ...(node.kind === 'leaf' ? { minimum: node.minimum } : {}) });
    }
    if (node.kind === 'leaf' && node.minimumEnergy < node.energy) {
      segments.push({ x1: p.x, y1: node.energy, x2: p.x, y2: node.minimumEnergy, kind: 'leaf', minimum: node.minimum });
    }
  }
  let energyMin = Infinity;
  let energyMax = tree.levels.length > 0 ? tree.levels[0] : -Infinity;
  for (const l of leaves) {
    energyMin = Math.min(energyMin, l.energy);
    energyMax = Math.max(energyMax, l.energy);
  }
  return {
    nodes: positions,
    segments,
    leaves,
    leafCount: leaves.length,
    energyMin: leaves.length > 0 ? energyMin : NaN,
    energyMax: leaves.length > 0 ? energyMax : NaN,
    levels: tree.levels,
  };
}

// SPDX-License-Identifier: MIT
/**
 * Compact text rendering of a disconnectivity layout for terminals (a pure string; the dashboard
 * prints it). Drawn as a rectangular dendrogram with box-drawing characters: each superbasin is
 * a horizontal bar at its level, each minimum a vertical line ending in a dot at its energy.
 *
 * ```ts
 * console.log(renderDisconnectivityText(layout, { width: 60, height: 16 }));
 * ```
 * Cost: O(width × height + segments).
 */
import { requireInteger } from '@lossscape/numeric';
import type { DisconnectivityTree } from './tree.js';
import type { DisconnectivityLayout } from './layout.js';
import { formatTick } from './svg.js';

export interface TextOptions {
  /** Characters per line, axis included. Default 72. */
  readonly width?: number;
  /** Lines for the graph (a summary line is added below). Default 18. */
  readonly height?: number;
  /** Plain ASCII (|, -, +, o) instead of box-drawing characters. Default false. */
  readonly ascii?: boolean;
}

const UP = 1;
const DOWN = 2;
const LEFT = 4;
const RIGHT = 8;
const MARK = 16;

const BOX: Record<number, string> = {
  0: ' ',
  [UP]: '│',
  [DOWN]: '│',
  [UP | DOWN]: '│',
  [LEFT]: '─',
  [RIGHT]: '─',
  [LEFT | RIGHT]: '─',
  [DOWN | RIGHT]: '┌',
  [DOWN | LEFT]: '┐',
  [UP | RIGHT]: '└',
  [UP | LEFT]: '┘',
  [LEFT | RIGHT | DOWN]: '┬',
  [LEFT | RIGHT | UP]: '┴',
  [UP | DOWN | RIGHT]: '├',
  [UP | DOWN | LEFT]: '┤',
  [UP | DOWN | LEFT | RIGHT]: '┼',
};

function glyph(cell: number, ascii: boolean): string {
  if (cell & MARK) return ascii ? 'o' : '●';
  if (!ascii) return BOX[cell] ?? '┼';
  if (cell === 0) return ' ';
  const vertical = (cell & (UP | DOWN)) !== 0;
  const horizontal = (cell & (LEFT | RIGHT)) !== 0;
  return vertical && horizontal ? '+' : vertical ? '|' : '-';
}

/**
 * Renders the tree with the positions of its layout. When there are more minima than columns,
 * neighbouring minima share a column (the summary line says so): cut the tree with `maxMinima`
 * for a readable picture.
 */
export function renderDisconnectivityText(tree: DisconnectivityTree, layout: DisconnectivityLayout, options: TextOptions = {}): string {
  const width = requireInteger('width', options.width ?? 72, 16, 10_000);
  const height = requireInteger('height', options.height ?? 18, 3, 10_000);
  const ascii = options.ascii ?? false;
  if (layout.leafCount === 0) return `(no minima to draw)\n`;

  const eMax = layout.energyMax;
  const eMin = layout.energyMin;
  const eSpan = eMax - eMin > 0 ? eMax - eMin : 1;
  const row = (e: number): number => Math.round(((eMax - e) / eSpan) * (height - 1));

  // Axis labels at the level rows (one label per row, top-most level wins).
  const step = tree.levels.length > 1 ? Math.abs(tree.levels[0] - tree.levels[1]) : eSpan;
  const labels = new Map<number, string>();
  for (const e of tree.levels) {
    if (e < eMin || e > eMax) continue;
    const r = row(e);
    if (!labels.has(r)) labels.set(r, formatTick(e, step));
  }
  const bottomLabel = formatTick(eMin, step);
  if (!labels.has(height - 1)) labels.set(height - 1, bottomLabel);
  let axisWidth = 0;
  for (const l of labels.values()) axisWidth = Math.max(axisWidth, l.length);
  axisWidth += 2;
  const plotWidth = Math.max(1, width - axisWidth);

  const colStep = layout.leafCount > 1 ? Math.min(2, (plotWidth - 1) / (layout.leafCount - 1)) : 0;
  const col = (x: number): number => Math.round(x * colStep) + (layout.leafCount === 1 ? Math.floor(plotWidth / 2) : 0);
  const shared = colStep < 1;

  const grid = Array.from({ length: height }, () => new Uint8Array(plotWidth));
  const set = (r: number, c: number, bits: number): void => {
    if (r >= 0 && r < height && c >= 0 && c < plotWidth) grid[r][c] |= bits;
  };
  const vertical = (c: number, r1: number, r2: number): void => {
    for (let r = r1; r <= r2; r++) set(r, c, (r > r1 ? UP : 0) | (r < r2 ? DOWN : 0));
  };
  const horizontal = (r: number, c1: number, c2: number): void => {
    for (let c = c1; c <= c2; c++) set(r, c, (c > c1 ? LEFT : 0) | (c < c2 ? RIGHT : 0));
  };

  for (const node of tree.nodes) {
    const p = layout.nodes[node.id];
    const r = row(p.y);
    if (node.kind === 'basin') {
      const cs = node.children.map((c) => col(layout.nodes[c].x));
      horizontal(r, Math.min(...cs), Math.max(...cs));
      for (const c of node.children) {
        const cr = row(layout.nodes[c].y);
        const cc = col(layout.nodes[c].x);
        vertical(cc, r, cr);
      }
      if (node.parent === null) set(r, col(p.x), UP);
    } else {
      const c = col(p.x);
      const bottom = row(node.minimumEnergy);
      vertical(c, r, bottom);
      if (node.parent === null) set(r, c, UP);
      set(bottom, c, MARK);
    }
  }

  const lines: string[] = [];
  for (let r = 0; r < height; r++) {
    const label = (labels.get(r) ?? '').padStart(axisWidth - 2);
    let line = `${label} ${ascii ? '|' : '┤'}`;
    if (!labels.has(r)) line = `${' '.repeat(axisWidth - 1)}${ascii ? '|' : '│'}`;
    for (let c = 0; c < plotWidth; c++) line += glyph(grid[r][c], ascii);
    lines.push(line.trimEnd());
  }
  const note = shared ? ', neighbouring minima share columns' : '';
  lines.push(`${' '.repeat(axisWidth)}${layout.leafCount} minima, ${tree.levels.length} levels${note}`);
  return lines.join('\n') + '\n';
}

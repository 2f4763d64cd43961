// SPDX-License-Identifier: MIT
import { formatAuc, formatEnergy } from '../format.js';
import { Lines, type StyledLine } from '../lines.js';
import type { MinimumView } from '../state.js';
import { NARROW_COLUMNS, packItems, tableLines, type Column } from '../table.js';

export interface MinimaListProps {
  /** Ascending energy. */
  readonly minima: readonly MinimumView[];
  readonly title: string;
  readonly width: number;
  /** Lines available, title and header included. */
  readonly rows: number;
}

type Ranked = MinimumView & { readonly rank: number; readonly gap: number };

function columns(narrow: boolean): Column<Ranked>[] {
  return [
    { header: 'rank', shortHeader: '#', width: 4, align: 'right', priority: 3, cell: (m) => String(m.rank) },
    { header: 'id', width: 7, align: 'right', priority: 0, cell: (m) => `#${m.id}` },
    { header: 'energy', width: 12, align: 'right', priority: 1, cell: (m) => formatEnergy(m.energy, 7) },
    { header: 'ΔE', width: 9, align: 'right', priority: 4, cell: (m) => (m.rank === 1 ? '0' : formatEnergy(m.gap, 3)) },
    { header: 'test AUC', shortHeader: 'AUC', width: narrow ? 6 : 8, align: 'right', priority: 2, cell: (m) => formatAuc(m.testAuc) },
    { header: 'train AUC', width: 9, align: 'right', priority: 7, cell: (m) => formatAuc(m.trainAuc) },
    { header: 'LPPHE', width: 9, align: 'right', priority: 5, cell: (m) => (m.lpphe === undefined ? '–' : formatEnergy(m.lpphe, 5)) },
    { header: 'chain', width: 5, align: 'right', priority: 8, cell: (m) => (m.chain >= 0 ? String(m.chain) : 'conn') },
    { header: 'step', width: 8, align: 'right', priority: 6, cell: (m) => String(m.step) },
    { header: 'flag', width: 16, priority: 9, cell: (m) => m.flag ?? '' },
  ];
}

/** Title, header and one row per minimum (lowest first), with gap to the lowest and properties. */
export function minimaListLines({ minima, title, width, rows }: MinimaListProps): StyledLine[] {
  const capacity = Math.max(0, rows - 2);
  const best = minima.length > 0 ? minima[0].energy : NaN;
  const ranked: Ranked[] = minima.slice(0, capacity).map((m, i) => ({ ...m, rank: i + 1, gap: m.energy - best }));
  const head: StyledLine = [{ text: title, bold: true }];
  if (minima.length === 0) return [head, [{ text: 'no minima yet', dim: true }]];
  const { header, lines } = tableLines(columns(width < NARROW_COLUMNS), ranked, width);
  return [head, [{ text: header, dim: true }], ...lines];
}

export function MinimaList(props: MinimaListProps) {
  return <Lines lines={minimaListLines(props)} width={props.width} />;
}

export interface LatestMinimaProps {
  /** Newest first. */
  readonly minima: readonly MinimumView[];
  readonly width: number;
  readonly rows: number;
}

/** "new: #57 -0.912 · #56 -0.899 · …" over at most `rows` lines. */
export function latestMinimaLines({ minima, width, rows }: LatestMinimaProps): StyledLine[] {
  if (minima.length === 0 || rows <= 0) return [];
  const narrow = width < NARROW_COLUMNS;
  const items = minima.map((m, i) => {
    const auc = m.testAuc !== undefined && !narrow ? ` AUC ${formatAuc(m.testAuc)}` : '';
    return `${i === 0 ? 'new: ' : ''}#${m.id} ${formatEnergy(m.energy)}${auc}`;
  });
  return packItems(items, width)
    .slice(0, rows)
    .map((text, i): StyledLine => (i === 0 ? [{ text, color: 'magenta' }] : text));
}

export function LatestMinima(props: LatestMinimaProps) {
  return <Lines lines={latestMinimaLines(props)} width={props.width} />;
}

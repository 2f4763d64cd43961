// SPDX-License-Identifier: MIT
import { formatCount, formatEnergy, formatRatio } from '../format.js';
import { Lines, type StyledLine } from '../lines.js';
import type { ChainView } from '../state.js';
import { NARROW_COLUMNS, tableLines, type Column } from '../table.js';

export interface ChainTableProps {
  readonly chains: readonly ChainView[];
  readonly width: number;
  /** Lines available, header included. */
  readonly rows: number;
}

function steps(c: ChainView, compact: boolean): string {
  const done = formatCount(c.stepsDone, compact);
  return Number.isFinite(c.stepBudget) ? `${done}/${formatCount(c.stepBudget, compact)}` : done;
}

function columns(narrow: boolean): Column<ChainView>[] {
  return [
    { header: 'chain', shortHeader: 'c', width: narrow ? 2 : 5, priority: 0, cell: (c) => String(c.chain) },
    { header: 'steps', width: narrow ? 11 : 15, align: 'right', priority: 1, cell: (c) => steps(c, narrow) },
    { header: 'acc', width: 4, align: 'right', priority: 2, cell: (c) => formatRatio(c.acceptance) },
    { header: 'window', shortHeader: 'win', width: 6, align: 'right', priority: 6, cell: (c) => formatRatio(c.windowAcceptance) },
    { header: 'step size', shortHeader: 'step', width: 9, align: 'right', priority: 3, cell: (c) => formatEnergy(c.stepSize, 3) },
    { header: 'T', width: 7, align: 'right', priority: 7, cell: (c) => formatEnergy(c.temperature, 3) },
    { header: 'E now', width: narrow ? 9 : 11, align: 'right', priority: 5, cell: (c) => formatEnergy(c.currentEnergy) },
    { header: 'best E', shortHeader: 'best', width: narrow ? 9 : 11, align: 'right', priority: 4, cell: (c) => formatEnergy(c.bestEnergy) },
    { header: 'since new', width: 9, align: 'right', priority: 8, cell: (c) => formatCount(c.sinceLastNew, true) },
    { header: 'state', width: 12, priority: 9, cell: (c) => (c.finished !== undefined ? `✓ ${c.finished}` : c.reseeds > 0 ? `${c.reseeds} reseeds` : 'running') },
  ];
}

/** Header and one row per chain; low-priority columns drop first; "… N more chains" when cut. */
export function chainTableLines({ chains, width, rows }: ChainTableProps): StyledLine[] {
  if (chains.length === 0 || rows < 2) return [];
  const capacity = rows - 1;
  const hidden = chains.length > capacity ? chains.length - (capacity - 1) : 0;
  const shown = hidden > 0 ? chains.slice(0, capacity - 1) : chains;
  const { header, lines } = tableLines(columns(width < NARROW_COLUMNS), shown, width);
  const out: StyledLine[] = [[{ text: header, dim: true }], ...lines];
  if (hidden > 0) out.push([{ text: `… ${hidden} more chains`, dim: true }]);
  return out;
}

/** One row per chain: steps, acceptance, step size, energies. */
export function ChainTable(props: ChainTableProps) {
  return <Lines lines={chainTableLines(props)} width={props.width} />;
}

// SPDX-License-Identifier: MIT
import { useMemo } from 'react';
import { formatEnergy } from '../format.js';
import { energyHistogram } from '../histogram.js';
import { Lines, type StyledLine } from '../lines.js';
import { NARROW_COLUMNS } from '../table.js';

export interface EnergyHistogramProps {
  readonly energies: readonly number[];
  readonly width: number;
  /** Lines available (one bin per line, at most 12 bins). */
  readonly rows: number;
}

/** Horizontal bars, one per energy bin, lowest energy at the top, counts on the right. */
export function energyHistogramLines({ energies, width, rows }: EnergyHistogramProps): StyledLine[] {
  const h = energyHistogram(energies, Math.max(1, Math.min(12, rows)));
  if (h.counts.length === 0) return [[{ text: 'no minima yet', dim: true }]];
  const narrow = width < NARROW_COLUMNS;
  const digits = narrow ? 4 : 6;
  const labels = h.counts.map((_, i) => (narrow ? formatEnergy(h.edges[i], digits) : `${formatEnergy(h.edges[i], digits)} … ${formatEnergy(h.edges[i + 1], digits)}`));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const max = Math.max(...h.counts);
  const countWidth = String(max).length;
  const barRoom = Math.max(1, width - labelWidth - countWidth - 2);
  return h.counts.map((count, i): StyledLine => {
    const bar = '█'.repeat(max > 0 ? Math.round((count / max) * barRoom) : 0);
    return [{ text: `${labels[i].padStart(labelWidth)} ` }, { text: bar.padEnd(barRoom), color: 'cyan' }, { text: ` ${String(count).padStart(countWidth)}` }];
  });
}

export function EnergyHistogram(props: EnergyHistogramProps) {
  const { energies, width, rows } = props;
  const lines = useMemo(() => energyHistogramLines({ energies, width, rows }), [energies, width, rows]);
  return <Lines lines={lines} width={width} />;
}

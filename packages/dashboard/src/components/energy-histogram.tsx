// SPDX-License-Identifier: MIT
import { useMemo } from 'react';
import { Box, Text } from 'ink';
import { formatEnergy, truncate } from '../format.js';
import { energyHistogram } from '../histogram.js';
import { NARROW_COLUMNS } from '../table.js';

export interface EnergyHistogramProps {
  readonly energies: readonly number[];
  readonly width: number;
  /** Lines available (one bin per line, at most 12 bins). */
  readonly rows: number;
}

/** Horizontal bars, one per energy bin, lowest energy at the top, counts on the right. */
export function EnergyHistogram({ energies, width, rows }: EnergyHistogramProps) {
  const bins = Math.max(1, Math.min(12, rows));
  const h = useMemo(() => energyHistogram(energies, bins), [energies, bins]);
  if (h.counts.length === 0) return <Text dimColor>no minima yet</Text>;
  const narrow = width < NARROW_COLUMNS;
  const digits = narrow ? 4 : 6;
  const labels = h.counts.map((_, i) => (narrow ? formatEnergy(h.edges[i], digits) : `${formatEnergy(h.edges[i], digits)} … ${formatEnergy(h.edges[i + 1], digits)}`));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const max = Math.max(...h.counts);
  const countWidth = String(max).length;
  const barRoom = Math.max(1, width - labelWidth - countWidth - 2);
  return (
    <Box flexDirection="column">
      {h.counts.map((count, i) => {
        const bar = '█'.repeat(max > 0 ? Math.round((count / max) * barRoom) : 0);
        return (
          <Text key={i}>
            {truncate(labels[i].padStart(labelWidth), width)} <Text color="cyan">{bar.padEnd(barRoom)}</Text> {String(count).padStart(countWidth)}
          </Text>
        );
      })}
    </Box>
  );
}

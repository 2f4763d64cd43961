// SPDX-License-Identifier: MIT
import { Box, Text } from 'ink';
import { formatDuration, truncate } from '../format.js';
import type { WarningView } from '../state.js';
import { NARROW_COLUMNS } from '../table.js';

export interface WarningsProps {
  /** Newest first. */
  readonly warnings: readonly WarningView[];
  /** Warnings over the whole run (the list keeps only the newest). */
  readonly total: number;
  readonly width: number;
  readonly rows: number;
}

/** The newest warnings, one line each; nothing at all while there are none. */
export function Warnings({ warnings, total, width, rows }: WarningsProps) {
  if (total === 0 || rows <= 0) return null;
  const narrow = width < NARROW_COLUMNS;
  const shown = warnings.slice(0, Math.max(0, rows - 1));
  return (
    <Box flexDirection="column">
      <Text color="yellow">{truncate(`warnings (${total})`, width)}</Text>
      {shown.map((w, i) => {
        const where = w.chain >= 0 ? ` c${w.chain}` : '';
        const line = narrow ? `${w.code} ${w.message}` : `${formatDuration(w.elapsedMs)}${where} ${w.code} ${w.message}`;
        return (
          <Text key={i} wrap="truncate-end">
            {truncate(line.replace(/\s+/g, ' '), width)}
          </Text>
        );
      })}
    </Box>
  );
}

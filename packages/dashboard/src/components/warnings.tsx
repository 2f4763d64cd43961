// SPDX-License-Identifier: MIT
import { formatDuration } from '../format.js';
import { Lines, type StyledLine } from '../lines.js';
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

/** A title line with the total, then the newest warnings on one line each; nothing without warnings. */
export function warningLines({ warnings, total, width, rows }: WarningsProps): StyledLine[] {
  if (total === 0 || rows <= 0) return [];
  const narrow = width < NARROW_COLUMNS;
  const lines: StyledLine[] = [[{ text: `warnings (${total})`, color: 'yellow' }]];
  for (const w of warnings.slice(0, Math.max(0, rows - 1))) {
    const where = w.chain >= 0 ? ` c${w.chain}` : '';
    const line = narrow ? `${w.code} ${w.message}` : `${formatDuration(w.elapsedMs)}${where} ${w.code} ${w.message}`;
    lines.push(line.replace(/\s+/g, ' '));
  }
  return lines;
}

export function Warnings(props: WarningsProps) {
  return <Lines lines={warningLines(props)} width={props.width} />;
}

// SPDX-License-Identifier: MIT
/**
 * Fixed-width text tables that degrade with the terminal: columns carry a priority, and the
 * lowest-priority columns are dropped until the rest fit. Pure (the components only print the
 * lines).
 */
import { truncate } from './format.js';

export interface Column<Row> {
  readonly header: string;
  /** Header for narrow terminals (< 60 columns). Default `header`. */
  readonly shortHeader?: string;
  /** Cell width in characters (cells are cut with "…" beyond it). */
  readonly width: number;
  readonly align?: 'left' | 'right';
  /** Lower is more important; ties keep declaration order. */
  readonly priority: number;
  readonly cell: (row: Row) => string;
}

/** Terminals narrower than this get short labels and fewer columns. */
export const NARROW_COLUMNS = 60;

/** The columns that fit in `width` (one space between columns), in declaration order. */
export function fitColumns<Row>(columns: readonly Column<Row>[], width: number): readonly Column<Row>[] {
  const order = columns.map((c, i) => ({ c, i })).sort((a, b) => a.c.priority - b.c.priority || a.i - b.i);
  const kept = new Set<number>();
  let used = 0;
  for (const { c, i } of order) {
    const need = c.width + (kept.size > 0 ? 1 : 0);
    if (used + need > width) continue;
    kept.add(i);
    used += need;
  }
  return columns.filter((_, i) => kept.has(i));
}

function cellText(text: string, width: number, align: 'left' | 'right'): string {
  const t = truncate(text, width);
  return align === 'right' ? t.padStart(width) : t.padEnd(width);
}

/** Header line and one line per row, trailing spaces trimmed. */
export function tableLines<Row>(columns: readonly Column<Row>[], rows: readonly Row[], width: number): { header: string; lines: string[] } {
  const fitted = fitColumns(columns, width);
  const narrow = width < NARROW_COLUMNS;
  const header = fitted
    .map((c) => cellText(narrow ? (c.shortHeader ?? c.header) : c.header, c.width, c.align ?? 'left'))
    .join(' ')
    .trimEnd();
  const lines = rows.map((r) =>
    fitted
      .map((c) => cellText(c.cell(r), c.width, c.align ?? 'left'))
      .join(' ')
      .trimEnd(),
  );
  return { header, lines };
}

/**
 * Joins `items` with `separator` into as few lines of at most `width` characters as possible
 * without cutting an item (an item longer than a line is cut with "…").
 */
export function packItems(items: readonly string[], width: number, separator = ' · '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const raw of items) {
    const item = truncate(raw, width);
    if (line === '') line = item;
    else if (line.length + separator.length + item.length <= width) line += separator + item;
    else {
      lines.push(line);
      line = item;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

// SPDX-License-Identifier: MIT
/**
 * Styled text lines and the one Ink primitive that draws them.
 *
 * Why not one `<Text>` per line: Ink measures every text node's content for layout and keeps
 * each distinct string in a module-level cache that is never cleared (ink 6.8
 * `measure-text.js`). A dashboard whose numbers change ten times per second for ten hours would
 * grow that cache by hundreds of megabytes (measured: ~1.6 MB per 1 000 frames). It also
 * re-measures every non-ASCII line (block and box-drawing characters) with Intl.Segmenter on
 * every frame. `Lines` instead gives Ink a constant rectangular placeholder of spaces (one cache
 * entry per block size) and substitutes the real lines in a `<Transform>`, which Ink applies at
 * output time, after layout. Lines must therefore never be wider than the block: they are cut
 * here to `width` characters.
 *
 * Widths count UTF-16 code units, which equals terminal cells for every character the dashboard
 * draws itself; a run name with wide characters (CJK, emoji) may be cut slightly early or late.
 */
import { createContext, useContext } from 'react';
import { Box, Transform } from 'ink';

export type SpanColor = 'green' | 'yellow' | 'cyan' | 'red' | 'magenta' | 'gray';

export interface Span {
  readonly text: string;
  readonly color?: SpanColor;
  readonly bold?: boolean;
  readonly dim?: boolean;
}

/** A line of text: plain, or spans with styles. */
export type StyledLine = string | readonly Span[];

/** The line without styles. */
export function plainText(line: StyledLine): string {
  if (typeof line === 'string') return line;
  let s = '';
  for (const span of line) s += span.text;
  return s;
}

/** Cuts a line to `width` characters, marking a cut with "…" (styles kept). */
export function fitLine(line: StyledLine, width: number): StyledLine {
  const w = Math.max(0, Math.floor(width));
  if (typeof line === 'string') return line.length <= w ? line : w === 0 ? '' : `${line.slice(0, w - 1)}…`;
  let total = 0;
  for (const span of line) total += span.text.length;
  if (total <= w) return line;
  const out: Span[] = [];
  let room = w - 1;
  for (const span of line) {
    if (room <= 0) break;
    out.push(span.text.length <= room ? span : { ...span, text: span.text.slice(0, room) });
    room -= span.text.length;
  }
  if (w > 0) out.push({ text: '…' });
  return out;
}

const COLOR_CODE: Record<SpanColor, number> = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, gray: 90 };

/** SGR escape codes for a styled line (none when `color` is false, e.g. NO_COLOR). */
export function toAnsi(line: StyledLine, color: boolean): string {
  if (typeof line === 'string') return line;
  let s = '';
  for (const span of line) {
    if (!color || (span.color === undefined && !span.bold && !span.dim)) {
      s += span.text;
      continue;
    }
    let open = '';
    let close = '';
    if (span.bold || span.dim) {
      open += span.bold ? '\u001B[1m' : '\u001B[2m';
      close = '\u001B[22m' + close;
    }
    if (span.color !== undefined) {
      open += `\u001B[${COLOR_CODE[span.color]}m`;
      close = '\u001B[39m' + close;
    }
    s += open + span.text + close;
  }
  return s;
}

/** Whether `Lines` emits colours (false under NO_COLOR). Default true. */
export const ColorContext = createContext(true);

const placeholders = new Map<string, string>();

/** A width × height block of spaces; a bounded set of them is ever created. */
function placeholder(width: number, height: number): string {
  const key = `${width}x${height}`;
  let block = placeholders.get(key);
  if (block === undefined) {
    if (placeholders.size > 256) placeholders.clear();
    block = Array.from({ length: height }, () => ' '.repeat(width)).join('\n');
    placeholders.set(key, block);
  }
  return block;
}

export interface LinesProps {
  readonly lines: readonly StyledLine[];
  readonly width: number;
}

/** Draws `lines` as one block `width` cells wide (each line cut to fit). Nothing for no lines. */
export function Lines({ lines, width }: LinesProps) {
  const color = useContext(ColorContext);
  const w = Math.max(1, Math.floor(width));
  if (lines.length === 0) return null;
  const rendered = lines.map((line) => toAnsi(fitLine(line, w), color));
  // The fixed-width box keeps Ink from wrapping the placeholder (which would shift the line
  // indices the transform sees) when the block is momentarily wider than the terminal, e.g. in the
  // frame Ink draws on a shrinking resize before React hears of the new size.
  return (
    <Box width={w} flexShrink={0}>
      <Transform transform={(_placeholder: string, index: number) => rendered[index] ?? ''}>{placeholder(w, lines.length)}</Transform>
    </Box>
  );
}

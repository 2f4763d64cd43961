// SPDX-License-Identifier: MIT
/**
 * Pure text helpers shared by the Ink views and the plain line log, so both print the same
 * figures the same way. Unknown values (NaN, ±Infinity where a number is expected) print as "–".
 */

const UNKNOWN = '–';

/** "0:04:05", "12:00:00", "2d 03:04:05"; "–" for NaN or negative infinity. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return ms === Infinity ? '∞' : UNKNOWN;
  const total = Math.max(0, Math.round(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const two = (v: number): string => String(v).padStart(2, '0');
  if (h >= 24) return `${Math.floor(h / 24)}d ${two(h % 24)}:${two(m)}:${two(s)}`;
  return `${h}:${two(m)}:${two(s)}`;
}

/** An energy with `digits` significant digits and no trailing zeros: "-0.932112", "1.5e-7". */
export function formatEnergy(energy: number, digits = 6): string {
  if (!Number.isFinite(energy)) return UNKNOWN;
  return String(Number(energy.toPrecision(digits)));
}

/** AUC (or any fraction) to four decimals. */
export function formatAuc(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? UNKNOWN : value.toFixed(4);
}

/** A ratio in [0, 1] to two decimals. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : UNKNOWN;
}

/** A rate with three significant digits at most: "0.25", "38.2", "1204". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return UNKNOWN;
  if (perSecond >= 100) return perSecond.toFixed(0);
  if (perSecond >= 10) return perSecond.toFixed(1);
  return perSecond.toFixed(2);
}

/** A count; "∞" for an unlimited budget; `compact` gives "12.3k", "4.5M" for narrow terminals. */
export function formatCount(n: number, compact = false): string {
  if (n === Infinity) return '∞';
  if (!Number.isFinite(n)) return UNKNOWN;
  if (!compact || Math.abs(n) < 10_000) return String(Math.round(n));
  if (Math.abs(n) < 1e6) return `${(n / 1e3).toFixed(1)}k`;
  if (Math.abs(n) < 1e9) return `${(n / 1e6).toFixed(1)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

/** Cuts `text` to `width` characters, marking the cut with "…". */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

const SPARK = '▁▂▃▄▅▆▇█';

/**
 * A one-line chart of `values`, at most `width` characters. Longer series are resampled: each
 * column shows the value at the end of its span (right for cumulative counts). The lowest value
 * maps to ▁ and the highest to █; a flat series is all ▁.
 */
export function sparkline(values: readonly number[], width: number): string {
  const n = values.length;
  const columns = Math.min(n, Math.max(0, Math.floor(width)));
  if (columns === 0) return '';
  const picked = new Array<number>(columns);
  for (let c = 0; c < columns; c++) picked[c] = values[Math.floor(((c + 1) * n) / columns) - 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of picked) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let out = '';
  for (const v of picked) {
    if (!Number.isFinite(v)) out += ' ';
    else if (!(hi > lo)) out += SPARK[0];
    else out += SPARK[Math.min(SPARK.length - 1, Math.floor(((v - lo) / (hi - lo)) * SPARK.length))];
  }
  return out;
}

const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of exactly `width` cells, `fraction` of it filled, in eighths of a cell. */
export function progressBarText(fraction: number, width: number): string {
  const w = Math.max(0, Math.floor(width));
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * w * 8);
  const full = Math.floor(eighths / 8);
  const part = PARTIAL[eighths % 8];
  const used = full + (part === '' ? 0 : 1);
  return '█'.repeat(full) + part + '░'.repeat(Math.max(0, w - used));
}

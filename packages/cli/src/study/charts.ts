// SPDX-License-Identifier: MIT
/**
 * Small SVG charts for the study report — scatter, line and bar charts and a grid of panels —
 * as pure string functions (no DOM, no browser). `renderDisconnectivityPng` from
 * @lossscape/landscape rasterises any of them (resvg).
 *
 * ```ts
 * const svg = lineChart([{ label: 'sigmoid', points: [{ x: 1, y: 0.6 }, { x: 40, y: 0.7 }] }],
 *   { title: 'Best test AUC', x: { label: 'β', scale: 'log' }, y: { label: 'test AUC' } });
 * writeFileSync('beta.svg', svg);
 * ```
 * Why our own: the charts are few and simple, and every plotting library that renders SVG in
 * Node either needs a DOM (d3 + jsdom), a headless browser (vega's PNG path, plotly) or a
 * canvas build (chart.js + node-canvas). Cost: O(points) per chart.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Series {
  readonly label: string;
  readonly points: readonly Point[];
  /** CSS colour; default from the palette by position. */
  readonly colour?: string;
  /** Join the points (in the given order) with a line. Default false (scatter) / true (lineChart). */
  readonly line?: boolean;
  /** Draw a marker at each point. Default true. */
  readonly markers?: boolean;
  readonly dashed?: boolean;
}

export type Scale = 'linear' | 'log';

export interface AxisOptions {
  readonly label: string;
  /** Default linear. A log axis leaves out values ≤ 0. */
  readonly scale?: Scale;
  /** Fixed range; default: the data's range, padded, on nice tick values. */
  readonly range?: readonly [number, number];
}

export interface ChartOptions {
  readonly title?: string;
  /** Pixels; default 640 × 420. */
  readonly width?: number;
  readonly height?: number;
  readonly x: AxisOptions;
  readonly y: AxisOptions;
  /** Short lines printed in the top-left corner of the plot (e.g. "r = −0.72, n = 140"). */
  readonly notes?: readonly string[];
  /** Horizontal reference line (e.g. AUC 0.5), dashed grey. */
  readonly referenceY?: number;
}

export interface Bar {
  readonly value: number;
  /** Error bar (e.g. the spread over seeds). */
  readonly low?: number;
  readonly high?: number;
}

export interface BarGroup {
  readonly label: string;
  /** One bar per series, in the order of `BarChartOptions.series`. */
  readonly bars: readonly (Bar | undefined)[];
}

export interface BarChartOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
  readonly series: readonly { readonly label: string; readonly colour?: string }[];
  readonly y: AxisOptions;
  readonly xLabel?: string;
  readonly notes?: readonly string[];
}

/** The tab10 colours (matplotlib's default cycle). */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'] as const;

const INK = '#222222';
const GRID = '#e6e6e6';
const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';
const MARGIN = { left: 70, right: 20, top: 36, bottom: 52 };
/** Baseline of the first legend row (below the title). */
const LEGEND_Y = 42;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function r2(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** A step of 1, 2 or 5 × 10^k giving about `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** Tick values on a linear axis from `min` to `max` (inclusive, both multiples of the step). */
export function linearTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const step = niceStep(max - min, count);
  const out: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  for (let k = first; k * step <= max + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Powers of ten from `min` to `max` (log axis), thinned to at most about 8. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const every = Math.max(1, Math.ceil((hi - lo + 1) / 8));
  const out: number[] = [];
  // Parsed from decimal text: 10 ** -7 is not the double nearest 1e-7.
  for (let e = lo; e <= hi; e += every) out.push(Number(`1e${e}`));
  return out;
}

/**
 * The plotted range for `values`: for a linear axis, the data range padded by 5 % and widened to
 * the enclosing tick values, never across 0; for a log axis, the enclosing powers of ten (values ≤ 0 left out).
 * A single value (or none) gets a unit-wide range around it.
 */
export function axisRange(values: readonly number[], scale: Scale = 'linear'): [number, number] {
  const v = values.filter((x) => Number.isFinite(x) && (scale === 'linear' || x > 0));
  if (v.length === 0) return scale === 'log' ? [1, 10] : [0, 1];
  let min = Math.min(...v);
  let max = Math.max(...v);
  if (scale === 'log') {
    const lo = 10 ** Math.floor(Math.log10(min) + 1e-9);
    let hi = 10 ** Math.ceil(Math.log10(max) - 1e-9);
    if (hi <= lo) hi = lo * 10;
    return [lo, hi];
  }
  if (max === min) {
    const half = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 0.5;
    min -= half;
    max += half;
  }
  const pad = 0.05 * (max - min);
  const step = niceStep(max - min + 2 * pad, 5);
  // Padding never crosses 0: counts and quenches start at 0, not below it.
  const lo = Math.floor((min - pad) / step) * step;
  const hi = Math.ceil((max + pad) / step) * step;
  return [min >= 0 ? Math.max(0, lo) : lo, max <= 0 ? Math.min(0, hi) : hi];
}

function formatTickValue(v: number, scale: Scale): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (scale === 'log') return a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(0).replace('e+', 'e');
  return a >= 1e5 || a < 1e-3 ? v.toExponential(1).replace('e+', 'e') : String(Number(v.toPrecision(6)));
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly plot: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number };
}

function frameOf(width: number, height: number, legendRows: number): Frame {
  const top = legendRows > 0 ? LEGEND_Y + 16 * (legendRows - 1) + 14 : MARGIN.top;
  return { width, height, plot: { left: MARGIN.left, top, right: width - MARGIN.right, bottom: height - MARGIN.bottom } };
}

/** Maps a data value to a pixel along [p0, p1]; NaN for values the scale cannot show. */
function mapper(range: readonly [number, number], scale: Scale, p0: number, p1: number): (v: number) => number {
  if (scale === 'log') {
    const a = Math.log10(range[0]);
    const b = Math.log10(range[1]);
    return (v) => (v > 0 ? p0 + ((Math.log10(v) - a) / (b - a || 1)) * (p1 - p0) : NaN);
  }
  return (v) => p0 + ((v - range[0]) / (range[1] - range[0] || 1)) * (p1 - p0);
}

function openSvg(width: number, height: number, title: string | undefined): string[] {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (title) out.push(`<text x="${r2(width / 2)}" y="22" text-anchor="middle" font-size="15" fill="${INK}">${escapeXml(title)}</text>`);
  return out;
}

function legend(out: string[], entries: readonly { label: string; colour: string }[], frame: Frame): void {
  let x = frame.plot.left;
  let y = LEGEND_Y;
  for (const e of entries) {
    const w = 26 + e.label.length * 7;
    if (x + w > frame.width - MARGIN.right && x > frame.plot.left) {
      x = frame.plot.left;
      y += 16;
    }
    out.push(`<rect x="${r2(x)}" y="${r2(y - 9)}" width="10" height="10" fill="${e.colour}"/>`);
    out.push(`<text x="${r2(x + 14)}" y="${r2(y)}" fill="${INK}">${escapeXml(e.label)}</text>`);
    x += w;
  }
}

function legendRowsFor(labels: readonly string[], width: number): number {
  if (labels.length === 0) return 0;
  let rows = 1;
  let x = MARGIN.left;
  for (const label of labels) {
    const w = 26 + label.length * 7;
    if (x + w > width - MARGIN.right && x > MARGIN.left) {
      rows++;
      x = MARGIN.left;
    }
    x += w;
  }
  return rows;
}

function notesBlock(out: string[], notes: readonly string[] | undefined, frame: Frame): void {
  (notes ?? []).forEach((line, i) => out.push(`<text x="${r2(frame.plot.left + 8)}" y="${r2(frame.plot.top + 16 + 15 * i)}" fill="${INK}">${escapeXml(line)}</text>`));
}

function yAxis(out: string[], frame: Frame, axis: AxisOptions, range: readonly [number, number], map: (v: number) => number): void {
  const scale = axis.scale ?? 'linear';
  const ticks = scale === 'log' ? logTicks(range[0], range[1]) : linearTicks(range[0], range[1]);
  const { left, right, top, bottom } = frame.plot;
  for (const t of ticks) {
    const y = map(t);
    if (!(y >= top - 0.5 && y <= bottom + 0.5)) continue;
    out.push(`<line x1="${left}" y1="${r2(y)}" x2="${right}" y2="${r2(y)}" stroke="${GRID}" stroke-width="1"/>`);
    out.push(`<text x="${left - 6}" y="${r2(y + 4)}" text-anchor="end" fill="${INK}">${escapeXml(formatTickValue(t, scale))}</text>`);
  }
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="${INK}" stroke-width="1"/>`);
  const cy = (top + bottom) / 2;
  out.push(`<text x="16" y="${r2(cy)}" text-anchor="middle" fill="${INK}" transform="rotate(-90 16 ${r2(cy)})">${escapeXml(axis.label)}</text>`);
}

function xAxis(out: string[], frame: Frame, axis: AxisOptions, range: readonly [number, number], map: (v: number) => number): void {
  const scale = axis.scale ?? 'linear';
  const ticks = scale === 'log' ? logTicks(range[0], range[1]) : linearTicks(range[0], range[1], 6);
  const { left, right, bottom } = frame.plot;
  for (const t of ticks) {
    const x = map(t);
    if (!(x >= left - 0.5 && x <= right + 0.5)) continue;
    out.push(`<line x1="${r2(x)}" y1="${bottom}" x2="${r2(x)}" y2="${bottom + 5}" stroke="${INK}" stroke-width="1"/>`);
    out.push(`<text x="${r2(x)}" y="${bottom + 18}" text-anchor="middle" fill="${INK}">${escapeXml(formatTickValue(t, scale))}</text>`);
  }
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="${INK}" stroke-width="1"/>`);
  out.push(`<text x="${r2((left + right) / 2)}" y="${frame.height - 12}" text-anchor="middle" fill="${INK}">${escapeXml(axis.label)}</text>`);
}

function visible(p: Point, xs: Scale, ys: Scale): boolean {
  return Number.isFinite(p.x) && Number.isFinite(p.y) && (xs === 'linear' || p.x > 0) && (ys === 'linear' || p.y > 0);
}

function xyChart(series: readonly Series[], options: ChartOptions, lineDefault: boolean): string {
  const width = options.width ?? 640;
  const height = options.height ?? 420;
  const xs = options.x.scale ?? 'linear';
  const ys = options.y.scale ?? 'linear';
  const colours = series.map((s, i) => s.colour ?? PALETTE[i % PALETTE.length]);
  const labelled = series.map((s, i) => ({ label: s.label, colour: colours[i] })).filter((e) => e.label !== '');
  const frame = frameOf(width, height, legendRowsFor(labelled.map((e) => e.label), width));
  const all = series.flatMap((s) => s.points.filter((p) => visible(p, xs, ys)));
  const xRange = options.x.range ?? axisRange(all.map((p) => p.x), xs);
  const yRange = options.y.range ?? axisRange([...all.map((p) => p.y), ...(options.referenceY !== undefined ? [options.referenceY] : [])], ys);
  const mx = mapper(xRange, xs, frame.plot.left, frame.plot.right);
  const my = mapper(yRange, ys, frame.plot.bottom, frame.plot.top);
  const out = openSvg(width, height, options.title);
  yAxis(out, frame, options.y, yRange, my);
  xAxis(out, frame, options.x, xRange, mx);
  if (options.referenceY !== undefined) {
    const y = my(options.referenceY);
    if (y >= frame.plot.top && y <= frame.plot.bottom) {
      out.push(`<line x1="${frame.plot.left}" y1="${r2(y)}" x2="${frame.plot.right}" y2="${r2(y)}" stroke="#999999" stroke-width="1" stroke-dasharray="4 3"/>`);
    }
  }
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => visible(p, xs, ys)).map((p) => [mx(p.x), my(p.y)] as const);
    const colour = colours[i];
    if ((s.line ?? lineDefault) && pts.length > 1) {
      const d = pts.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${r2(x)} ${r2(y)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    }
    if (s.markers ?? true) {
      const radius = pts.length > 400 ? 1.8 : 3;
      for (const [x, y] of pts) out.push(`<circle cx="${r2(x)}" cy="${r2(y)}" r="${radius}" fill="${colour}" fill-opacity="0.75"/>`);
    }
  });
  legend(out, labelled, frame);
  notesBlock(out, options.notes, frame);
  out.push('</svg>');
  return out.join('\n');
}

/** Points as markers, one colour per series. */
export function scatterChart(series: readonly Series[], options: ChartOptions): string {
  return xyChart(series, options, false);
}

/** Points joined by lines in their given order (markers unless `markers: false`). */
export function lineChart(series: readonly Series[], options: ChartOptions): string {
  return xyChart(series, options, true);
}

/** Grouped bars with optional error bars; the y range includes 0 on a linear axis. */
export function barChart(groups: readonly BarGroup[], options: BarChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 420;
  const ys = options.y.scale ?? 'linear';
  const colours = options.series.map((s, i) => s.colour ?? PALETTE[i % PALETTE.length]);
  const entries = options.series.length > 1 ? options.series.map((s, i) => ({ label: s.label, colour: colours[i] })) : [];
  const frame = frameOf(width, height, legendRowsFor(entries.map((e) => e.label), width));
  const values = groups.flatMap((g) => g.bars.flatMap((b) => (b ? [b.value, b.low ?? b.value, b.high ?? b.value] : [])));
  let yRange = options.y.range ?? axisRange(ys === 'linear' ? [0, ...values] : values, ys);
  // Bars grow from 0: no padding below it when every value is non-negative (or above it when non-positive).
  if (!options.y.range && ys === 'linear') {
    if (values.every((v) => !(v < 0))) yRange = [0, yRange[1]];
    else if (values.every((v) => !(v > 0))) yRange = [yRange[0], 0];
  }
  const my = mapper(yRange, ys, frame.plot.bottom, frame.plot.top);
  const out = openSvg(width, height, options.title);
  yAxis(out, frame, options.y, yRange, my);
  const { left, right, bottom, top } = frame.plot;
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="${INK}" stroke-width="1"/>`);
  const slot = (right - left) / Math.max(1, groups.length);
  const nBars = Math.max(1, options.series.length);
  const barWidth = (slot * 0.8) / nBars;
  const base = ys === 'log' ? bottom : Math.min(bottom, Math.max(top, my(0)));
  groups.forEach((g, gi) => {
    const x0 = left + gi * slot + slot * 0.1;
    g.bars.forEach((b, bi) => {
      if (!b || !Number.isFinite(b.value)) return;
      const y = my(b.value);
      if (!Number.isFinite(y)) return;
      const yc = Math.min(bottom, Math.max(top, y));
      const x = x0 + bi * barWidth;
      out.push(`<rect x="${r2(x)}" y="${r2(Math.min(yc, base))}" width="${r2(barWidth * 0.92)}" height="${r2(Math.abs(base - yc))}" fill="${colours[bi] ?? PALETTE[0]}"/>`);
      if (b.low !== undefined && b.high !== undefined && Number.isFinite(b.low) && Number.isFinite(b.high)) {
        const cx = x + barWidth * 0.46;
        const y1 = Math.min(bottom, Math.max(top, my(b.low)));
        const y2 = Math.min(bottom, Math.max(top, my(b.high)));
        if (Number.isFinite(y1) && Number.isFinite(y2)) {
          out.push(`<line x1="${r2(cx)}" y1="${r2(y1)}" x2="${r2(cx)}" y2="${r2(y2)}" stroke="${INK}" stroke-width="1.2"/>`);
          for (const yy of [y1, y2]) out.push(`<line x1="${r2(cx - 4)}" y1="${r2(yy)}" x2="${r2(cx + 4)}" y2="${r2(yy)}" stroke="${INK}" stroke-width="1.2"/>`);
        }
      }
    });
    out.push(`<text x="${r2(left + gi * slot + slot / 2)}" y="${bottom + 18}" text-anchor="middle" fill="${INK}">${escapeXml(g.label)}</text>`);
  });
  if (options.xLabel) out.push(`<text x="${r2((left + right) / 2)}" y="${height - 12}" text-anchor="middle" fill="${INK}">${escapeXml(options.xLabel)}</text>`);
  legend(out, entries, frame);
  notesBlock(out, options.notes, frame);
  out.push('</svg>');
  return out.join('\n');
}

/** Width and height of an SVG document made by these helpers (from its root element). */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : { width: 640, height: 420 };
}

/**
 * Several charts in one SVG, `columns` per row, each nested as its own <svg> at its offset
 * (cells are as large as the largest panel).
 */
export function panelGrid(panels: readonly string[], options: { readonly columns?: number; readonly title?: string } = {}): string {
  const columns = Math.max(1, Math.min(options.columns ?? 2, panels.length || 1));
  const sizes = panels.map(svgSize);
  const cellW = Math.max(1, ...sizes.map((s) => s.width));
  const cellH = Math.max(1, ...sizes.map((s) => s.height));
  const titleH = options.title ? 34 : 0;
  const rows = Math.ceil(panels.length / columns);
  const width = cellW * columns;
  const height = titleH + cellH * rows;
  const out = openSvg(width, height, undefined);
  if (options.title) out.push(`<text x="${r2(width / 2)}" y="24" text-anchor="middle" font-size="17" fill="${INK}">${escapeXml(options.title)}</text>`);
  panels.forEach((p, i) => {
    const x = (i % columns) * cellW;
    const y = titleH + Math.floor(i / columns) * cellH;
    // Nested <svg> elements take x/y: strip the XML namespace (inherited) and place the panel.
    out.push(p.replace(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `<svg x="${x}" y="${y}"`));
  });
  out.push('</svg>');
  return out.join('\n');
}

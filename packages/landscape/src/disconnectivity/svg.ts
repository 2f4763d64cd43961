// SPDX-License-Identifier: MIT
/**
 * Disconnectivity graph as an SVG document (a pure string): the tree drawn as disconnectionDPS
 * draws it (sloped branches between level nodes, vertical lines down to each minimum), an
 * energy axis ticked at the levels, minima coloured by a per-minimum property with a colour
 * bar. `renderDisconnectivityPng` rasterises the same string.
 *
 * ```ts
 * const svg = renderDisconnectivitySvg(layout, { colour: { label: 'test AUC', values: minimumValues(minima) } });
 * writeFileSync('tree.svg', svg);
 * ```
 * Cost: O(segments); the document holds one element per segment.
 */
import { expectedMessage, requireInteger } from '@lossscape/numeric';
import { colourRamp } from './colour.js';
import type { DisconnectivityLayout } from './layout.js';

export interface ColourOptions {
  /** Name shown on the colour bar, e.g. 'test AUC'. */
  readonly label: string;
  /** Value per minimum id; minima without one are drawn grey. */
  readonly values: ReadonlyMap<number, number>;
  /** Value range of the colour bar. Default: the range of `values`. */
  readonly range?: readonly [number, number];
}

export interface SvgOptions {
  /** Pixels. Default 800 × 600. */
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  /** Axis label. Default 'Energy'. */
  readonly energyLabel?: string;
  /** Colour minima by a property; without it every line is drawn in one colour. */
  readonly colour?: ColourOptions;
  /** Line width in pixels. Default 1.2. */
  readonly lineWidth?: number;
  /** Largest number of level labels on the axis. Default 12. */
  readonly maxTicks?: number;
  readonly fontFamily?: string;
}

const INK = '#222222';
const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Few enough digits to tell neighbouring ticks apart. */
export function formatTick(value: number, step: number): string {
  const digits = step > 0 && Number.isFinite(step) ? Math.min(12, Math.max(0, 1 - Math.floor(Math.log10(step)))) : 3;
  return value.toFixed(digits);
}

function r(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

export function renderDisconnectivitySvg(layout: DisconnectivityLayout, options: SvgOptions = {}): string {
  const width = requireInteger('width', options.width ?? 800, 50, 100_000);
  const height = requireInteger('height', options.height ?? 600, 50, 100_000);
  const maxTicks = requireInteger('maxTicks', options.maxTicks ?? 12, 2, 1000);
  const lineWidth = options.lineWidth ?? 1.2;
  if (!(lineWidth > 0)) throw new RangeError(expectedMessage('positive number', 'lineWidth', lineWidth));
  const font = escapeXml(options.fontFamily ?? FONT);
  const colour = options.colour;

  const titleSpace = options.title ? 30 : 10;
  const margin = { left: 80, right: colour ? 110 : 20, top: titleSpace + 10, bottom: 30 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  if (options.title) {
    out.push(`<text x="${r(width / 2)}" y="22" font-size="16" text-anchor="middle" fill="${INK}">${escapeXml(options.title)}</text>`);
  }
  if (layout.leafCount === 0 || plotW <= 0 || plotH <= 0) {
    out.push(`<text x="${r(width / 2)}" y="${r(height / 2)}" font-size="14" text-anchor="middle" fill="${INK}">no minima to draw</text>`, '</svg>');
    return out.join('\n');
  }

  const eMax = layout.energyMax;
  const eMin = layout.energyMin;
  const eSpan = eMax - eMin > 0 ? eMax - eMin : 1;
  const px = (x: number): number => margin.left + ((x + 0.5) / layout.leafCount) * plotW;
  const py = (e: number): number => margin.top + ((eMax - e) / eSpan) * plotH;

  // Colour scale.
  let lo = Infinity;
  let hi = -Infinity;
  if (colour) {
    if (colour.range) [lo, hi] = colour.range;
    else {
      for (const v of colour.values.values()) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  const colourOf = (minimum: number | undefined): string => {
    if (!colour || minimum === undefined) return INK;
    const v = colour.values.get(minimum);
    if (v === undefined) return colourRamp(NaN);
    return colourRamp(hi > lo ? (v - lo) / (hi - lo) : 0.5);
  };

  // Axis with level ticks.
  const x0 = margin.left - 10;
  out.push(`<g stroke="${INK}" stroke-width="1" fill="none">`, `<line x1="${x0}" y1="${r(margin.top)}" x2="${x0}" y2="${r(margin.top + plotH)}"/>`);
  const levels = layout.levels.filter((e) => e >= eMin && e <= eMax);
  const every = Math.max(1, Math.ceil(levels.length / maxTicks));
  const ticks = levels.filter((_, i) => i % every === 0);
  for (const e of ticks) out.push(`<line x1="${x0 - 5}" y1="${r(py(e))}" x2="${x0}" y2="${r(py(e))}"/>`);
  out.push('</g>', `<g font-size="11" fill="${INK}" text-anchor="end">`);
  const step = layout.levels.length > 1 ? Math.abs(layout.levels[0] - layout.levels[1]) * every : eSpan;
  for (const e of ticks) out.push(`<text x="${x0 - 8}" y="${r(py(e) + 4)}">${escapeXml(formatTick(e, step))}</text>`);
  out.push('</g>');
  const labelX = 16;
  const labelY = margin.top + plotH / 2;
  out.push(
    `<text x="${labelX}" y="${r(labelY)}" font-size="13" fill="${INK}" text-anchor="middle" transform="rotate(-90 ${labelX} ${r(labelY)})">${escapeXml(options.energyLabel ?? 'Energy')}</text>`,
  );

  // Tree: basin branches in ink, branches into leaves and leaf lines in the leaf's colour.
  out.push(`<g stroke-width="${lineWidth}" stroke-linecap="round" fill="none">`);
  for (const s of layout.segments) {
    out.push(`<line x1="${r(px(s.x1))}" y1="${r(py(s.y1))}" x2="${r(px(s.x2))}" y2="${r(py(s.y2))}" stroke="${colourOf(s.minimum)}"/>`);
  }
  out.push('</g>');
  const dot = Math.max(1.5, Math.min(4, plotW / layout.leafCount / 3));
  out.push('<g stroke="none">');
  for (const l of layout.leaves) {
    out.push(`<circle cx="${r(px(l.x))}" cy="${r(py(l.energy))}" r="${r(dot)}" fill="${colourOf(l.minimum)}"><title>minimum ${l.minimum}: ${l.energy}</title></circle>`);
  }
  out.push('</g>');

  if (colour) {
    const barX = width - margin.right + 30;
    const barW = 16;
    const stops = 11;
    out.push('<defs><linearGradient id="colour-bar" x1="0" y1="1" x2="0" y2="0">');
    for (let i = 0; i < stops; i++) out.push(`<stop offset="${r(i / (stops - 1))}" stop-color="${colourRamp(i / (stops - 1))}"/>`);
    out.push('</linearGradient></defs>');
    out.push(`<rect x="${barX}" y="${r(margin.top)}" width="${barW}" height="${r(plotH)}" fill="url(#colour-bar)" stroke="${INK}" stroke-width="0.5"/>`);
    const finite = Number.isFinite(lo) && Number.isFinite(hi);
    const barStep = finite && hi > lo ? (hi - lo) / 4 : 1;
    out.push(`<g font-size="11" fill="${INK}">`);
    for (let i = 0; i <= 4 && finite; i++) {
      const v = hi > lo ? lo + (i / 4) * (hi - lo) : lo;
      const y = margin.top + plotH * (1 - i / 4);
      out.push(`<text x="${barX + barW + 4}" y="${r(y + 4)}">${escapeXml(formatTick(v, barStep))}</text>`);
      if (!(hi > lo)) break;
    }
    out.push('</g>');
    const cx = barX + barW / 2;
    out.push(`<text x="${r(cx)}" y="${r(margin.top - 6)}" font-size="12" fill="${INK}" text-anchor="middle">${escapeXml(colour.label)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { renderDisconnectivityPng } from '@lossscape/landscape';
import { axisRange, barChart, escapeXml, lineChart, linearTicks, logTicks, panelGrid, scatterChart, svgSize } from './charts.js';

/** Checks that every element is closed in order (a small XML well-formedness check). */
function wellFormed(svg: string): void {
  const stack: string[] = [];
  const tags = svg.match(/<[^>]+>/g) ?? [];
  for (const tag of tags) {
    if (tag.startsWith('<?') || tag.startsWith('<!')) continue;
    const name = /^<\/?([a-zA-Z][\w:-]*)/.exec(tag)?.[1];
    expect(name, `malformed tag ${tag}`).toBeDefined();
    if (tag.startsWith('</')) expect(stack.pop(), `closing ${tag}`).toBe(name);
    else if (!tag.endsWith('/>')) stack.push(name!);
  }
  expect(stack).toEqual([]);
  // Text content never carries a raw '<' or '&' that is not an entity.
  const text = svg.replace(/<[^>]+>/g, '');
  expect(text).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/);
}

function numbers(svg: string, attribute: string): number[] {
  return [...svg.matchAll(new RegExp(`\\s${attribute}="(-?[\\d.]+)"`, 'g'))].map((m) => Number(m[1]));
}

describe('axis helpers', () => {
  it('a linear range covers the data and ends on tick values', () => {
    for (const values of [
      [0.31, 0.72, 0.55],
      [-340.2, -250.9],
      [1e-7, 3e-7],
      [5, 5],
    ]) {
      const [lo, hi] = axisRange(values);
      expect(lo).toBeLessThan(Math.min(...values));
      expect(hi).toBeGreaterThan(Math.max(...values));
      const ticks = linearTicks(lo, hi);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks[0]).toBeGreaterThanOrEqual(lo);
      expect(ticks[ticks.length - 1]).toBeLessThanOrEqual(hi * (1 + Math.sign(hi) * 1e-12) + 1e-300);
      for (let i = 1; i < ticks.length; i++) expect(ticks[i]).toBeGreaterThan(ticks[i - 1]);
    }
  });

  it('a log range is the enclosing powers of ten and ignores values ≤ 0', () => {
    expect(axisRange([2e-9, 0.1, 0, -3], 'log')).toEqual([1e-9, 0.1]);
    expect(axisRange([2e-9, 0.2], 'log')).toEqual([1e-9, 1]);
    expect(axisRange([40], 'log')).toEqual([10, 100]);
    expect(logTicks(1e-9, 0.1)).toEqual([1e-9, 1e-7, 1e-5, 1e-3, 1e-1]);
    expect(logTicks(1, 1000)).toEqual([1, 10, 100, 1000]);
    for (const t of logTicks(1e-12, 1e6)) expect(t >= 1e-12 && t <= 1e6).toBe(true);
    expect(logTicks(1e-12, 1e6).length).toBeLessThanOrEqual(10);
  });

  it('padding never crosses 0', () => {
    expect(axisRange([0, 150])[0]).toBe(0);
    expect(axisRange([3, 150])[0]).toBe(0);
    expect(axisRange([-0.9, 0])[1]).toBe(0);
    expect(axisRange([-0.9, 0.1])[0]).toBeLessThan(-0.9);
  });

  it('no data gives a unit range', () => {
    expect(axisRange([])).toEqual([0, 1]);
    expect(axisRange([NaN, Infinity])).toEqual([0, 1]);
  });
});

describe('charts', () => {
  const series = [
    { label: 'CE <minima>', points: [{ x: 0.2, y: 0.41 }, { x: 0.5, y: 0.38 }, { x: 0.9, y: 0.3 }] },
    { label: 'sigmoid & co', points: [{ x: -0.8, y: 0.52 }, { x: -0.7, y: 0.47 }, { x: NaN, y: 1 }] },
  ];

  it('scatter: well-formed, escaped, every finite point inside the plot area', () => {
    const svg = scatterChart(series, { title: 'Loss vs AUC', width: 500, height: 300, x: { label: 'loss' }, y: { label: 'test AUC' }, notes: ['r = −0.7'] });
    wellFormed(svg);
    expect(svg).toContain(escapeXml('CE <minima>'));
    expect(svg).toContain('sigmoid &amp; co');
    const cx = numbers(svg, 'cx');
    const cy = numbers(svg, 'cy');
    expect(cx).toHaveLength(5); // the NaN point is left out
    for (const x of cx) expect(x >= 70 && x <= 480).toBe(true);
    for (const y of cy) expect(y >= 30 && y <= 248).toBe(true);
    expect(svgSize(svg)).toEqual({ width: 500, height: 300 });
  });

  it('points keep their order on each axis (higher y is higher on the page)', () => {
    const svg = scatterChart([{ label: 'a', points: [{ x: 1, y: 1 }, { x: 2, y: 3 }, { x: 3, y: 2 }] }], { x: { label: 'x' }, y: { label: 'y' } });
    const cx = numbers(svg, 'cx');
    const cy = numbers(svg, 'cy');
    expect(cx[0]).toBeLessThan(cx[1]);
    expect(cx[1]).toBeLessThan(cx[2]);
    // SVG y grows downwards: y=3 is the smallest pixel value.
    expect(cy[1]).toBeLessThan(cy[2]);
    expect(cy[2]).toBeLessThan(cy[0]);
  });

  it('line chart on a log axis places decades evenly and drops x ≤ 0', () => {
    const svg = lineChart([{ label: 'best', points: [1e-9, 1e-7, 1e-5, 1e-3, 0].map((x, i) => ({ x, y: i })) }], { x: { label: 'λ', scale: 'log' }, y: { label: 'AUC' } });
    wellFormed(svg);
    const cx = numbers(svg, 'cx');
    expect(cx).toHaveLength(4);
    const gaps = cx.slice(1).map((x, i) => x - cx[i]);
    for (const g of gaps) expect(Math.abs(g - gaps[0])).toBeLessThan(0.02);
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+ L/);
  });

  it('bars start at 0 and error bars span low..high', () => {
    const svg = barChart(
      [
        { label: 'CE', bars: [{ value: 10, low: 8, high: 12 }, { value: 3 }] },
        { label: 'sigmoid', bars: [{ value: 30 }, undefined] },
      ],
      { series: [{ label: 'minima' }, { label: 'TS' }], y: { label: 'count' }, height: 400 },
    );
    wellFormed(svg);
    // Bars: rects other than the background and the 10×10 legend squares.
    const rects = [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => ({ y: Number(m[1]), width: Number(m[2]), height: Number(m[3]) }));
    const bars = rects.filter((r) => r.width !== 10 && r.y > 0);
    const heights = bars.map((r) => r.height);
    expect(heights.length).toBe(3);
    // Every bar stands on the same baseline (y + height), the zero line.
    for (const b of bars) expect(b.y + b.height).toBeCloseTo(bars[0].y + bars[0].height, 1);
    expect(heights[2] / heights[0]).toBeCloseTo(3, 1); // 30 vs 10 from a zero baseline
    expect(heights[1] / heights[0]).toBeCloseTo(0.3, 1);
    // The error bar of the first bar spans 8..12: its length is 0.4 of the bar's height.
    const vertical = [...svg.matchAll(/<line x1="([\d.]+)" y1="([\d.]+)" x2="\1" y2="([\d.]+)" stroke="#222222" stroke-width="1.2"/g)].map((m) => Math.abs(Number(m[3]) - Number(m[2])));
    expect(vertical).toHaveLength(1);
    expect(vertical[0] / heights[0]).toBeCloseTo(0.4, 2);
  });

  it('panels compose into one well-formed document that resvg renders', async () => {
    const a = scatterChart(series, { width: 300, height: 200, x: { label: 'x' }, y: { label: 'y' } });
    const b = barChart([{ label: 'g', bars: [{ value: 1 }] }], { width: 300, height: 200, series: [{ label: 's' }], y: { label: 'y' } });
    const grid = panelGrid([a, b, a], { columns: 2, title: 'Grid' });
    wellFormed(grid);
    expect(svgSize(grid)).toEqual({ width: 600, height: 34 + 400 });
    expect(grid.match(/<svg x="(\d+)" y="(\d+)"/g)).toEqual(['<svg x="0" y="34"', '<svg x="300" y="34"', '<svg x="0" y="234"']);
    const png = await renderDisconnectivityPng(grid);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});

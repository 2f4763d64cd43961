// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { formatAuc, formatCount, formatDuration, formatEnergy, formatRate, progressBarText, sparkline, truncate } from './format.js';
import { energyHistogram } from './histogram.js';
import { fitColumns, packItems, tableLines, type Column } from './table.js';

describe('format helpers', () => {
  it('formats durations as h:mm:ss, days beyond 24 h, unknown as –', () => {
    expect(formatDuration(0)).toBe('0:00:00');
    expect(formatDuration(65_400)).toBe('0:01:05');
    expect(formatDuration(36_000_000)).toBe('10:00:00');
    expect(formatDuration(90_061_000)).toBe('1d 01:01:01');
    expect(formatDuration(NaN)).toBe('–');
    expect(formatDuration(Infinity)).toBe('∞');
  });

  it('formats energies with significant digits and no trailing zeros', () => {
    expect(formatEnergy(-0.93211234567)).toBe('-0.932112');
    expect(formatEnergy(1.5e-7)).toBe('1.5e-7');
    expect(formatEnergy(2)).toBe('2');
    expect(formatEnergy(Infinity)).toBe('–');
    expect(formatAuc(0.97314)).toBe('0.9731');
    expect(formatAuc(undefined)).toBe('–');
    expect([formatRate(0.251), formatRate(38.24), formatRate(1204.4)]).toEqual(['0.25', '38.2', '1204']);
    expect([formatCount(12_345), formatCount(12_345, true), formatCount(4.5e6, true), formatCount(Infinity)]).toEqual(['12345', '12.3k', '4.5M', '∞']);
  });

  it('truncates to the width exactly, marking the cut', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
  });

  it('sparkline: one character per column, lowest ▁ and highest █, monotone input gives monotone output', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.sqrt(i));
    const s = sparkline(values, 40);
    expect(s).toHaveLength(40);
    expect(s[0]).toBe('▁');
    expect(s[39]).toBe('█');
    const levels = [...s].map((c) => '▁▂▃▄▅▆▇█'.indexOf(c));
    for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeGreaterThanOrEqual(levels[i - 1]);
    expect(sparkline([3, 3, 3], 10)).toBe('▁▁▁');
    expect(sparkline([], 10)).toBe('');
  });

  it('progress bar: always exactly `width` cells, filled in proportion', () => {
    for (const f of [0, 0.01, 0.333, 0.5, 0.999, 1, NaN, 2]) {
      for (const w of [1, 7, 30]) expect([...progressBarText(f, w)]).toHaveLength(w);
    }
    expect(progressBarText(0.5, 10)).toBe('█████░░░░░');
    expect(progressBarText(1, 4)).toBe('████');
  });
});

describe('energyHistogram', () => {
  it('counts every finite energy once, in ascending equal-width bins', () => {
    const energies = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const h = energyHistogram([...energies, NaN, Infinity], 8);
    expect(h.counts).toHaveLength(8);
    expect(h.edges).toHaveLength(9);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.edges[0]).toBe(Math.min(...energies));
    expect(h.edges[8]).toBe(Math.max(...energies));
    for (let i = 0; i < 8; i++) {
      const inBin = energies.filter((e) => e >= h.edges[i] && (i === 7 ? e <= h.edges[8] : e < h.edges[i + 1])).length;
      expect(h.counts[i]).toBe(inBin);
    }
  });

  it('gives one bin for equal energies and none for no energies', () => {
    expect(energyHistogram([1, 1, 1], 5)).toEqual({ edges: [1, 1], counts: [3] });
    expect(energyHistogram([], 5)).toEqual({ edges: [], counts: [] });
  });
});

describe('tables', () => {
  const columns: Column<number>[] = [
    { header: 'a', width: 5, priority: 0, cell: (r) => `a${r}` },
    { header: 'b', width: 10, priority: 2, cell: (r) => `b${r}` },
    { header: 'c', width: 5, priority: 1, align: 'right', cell: (r) => `c${r}` },
  ];

  it('drops the lowest-priority columns until the rest fit, keeping declaration order', () => {
    expect(fitColumns(columns, 40).map((c) => c.header)).toEqual(['a', 'b', 'c']);
    expect(fitColumns(columns, 11).map((c) => c.header)).toEqual(['a', 'c']);
    expect(fitColumns(columns, 5).map((c) => c.header)).toEqual(['a']);
    const { header, lines } = tableLines(columns, [1, 22], 11);
    expect(header).toBe('a         c');
    expect(lines).toEqual(['a1       c1', 'a22     c22']);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(11);
  });

  it('packs items into lines of at most `width` without cutting them', () => {
    const lines = packItems(['alpha 1', 'beta 22', 'gamma 333', 'delta'], 20);
    expect(lines).toEqual(['alpha 1 · beta 22', 'gamma 333 · delta']);
    expect(packItems(['x'.repeat(30)], 10)).toEqual(['xxxxxxxxx…']);
  });
});

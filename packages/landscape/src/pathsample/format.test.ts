// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng } from '@lossscape/numeric';
import { decodePoints, encodePoints, formatMinData, formatTsData, paddedLength, parseMinData, parseTsData, type MinDataRow, type TsDataRow } from './format.js';

const moments = [1, 1, 1] as const;

describe('min.data and ts.data', () => {
  it('round-trip every float64 exactly, including awkward values', () => {
    const rng = createRng(0x9a75);
    const special = [0, -0, 1e-300, -1e21, 123456789.12345679, -146.69951721, 5e-324, 2 ** 53, NaN];
    const rows: MinDataRow[] = special.map((e) => ({ energy: Number.isNaN(e) ? -1 : e, fvib: e, pointGroupOrder: 1, moments }));
    for (let i = 0; i < 50; i++) rows.push({ energy: rng.normal() * 10 ** rng.int(20), fvib: rng.normal(), pointGroupOrder: 1, moments });
    const back = parseMinData(formatMinData(rows));
    expect(back).toHaveLength(rows.length);
    back.forEach((r, i) => {
      expect(Object.is(r.energy, rows[i].energy)).toBe(true);
      expect(Object.is(r.fvib, rows[i].fvib)).toBe(true);
      expect(r.moments).toEqual([1, 1, 1]);
    });
    const ts: TsDataRow[] = rows.slice(0, 20).map((r, i) => ({ ...r, minimum1: 1 + i, minimum2: rows.length - i }));
    const tsBack = parseTsData(formatTsData(ts), rows.length);
    tsBack.forEach((r, i) => {
      expect(Object.is(r.energy, ts[i].energy)).toBe(true);
      expect([r.minimum1, r.minimum2]).toEqual([ts[i].minimum1, ts[i].minimum2]);
    });
  });

  it('writes exactly the column definitions: six columns per minimum, eight per transition state', () => {
    const min = formatMinData([{ energy: -146.69951721, fvib: 14.25, pointGroupOrder: 1, moments }]);
    const cols = min.trim().split(/\s+/);
    expect(cols).toEqual(['-146.69951721', '14.25', '1', '1.0', '1.0', '1.0']);
    const ts = formatTsData([{ energy: -40.5, fvib: 3, pointGroupOrder: 1, minimum1: 1, minimum2: 2, moments }]);
    expect(ts.trim().split(/\s+/)).toEqual(['-40.5', '3.0', '1', '1', '2', '1.0', '1.0', '1.0']);
    expect(min.endsWith('\n')).toBe(true);
  });

  it('reads files written by PATHSAMPLE itself (F20.10 columns, D exponents)', () => {
    const text = '     -284.7719791087      120.5817102196     1      125.6028472146      137.5745972429      139.0546844620\n' +
      '     -2.267010909985D+02      1.36E2     2      1.0      1.0      1.0\n';
    const rows = parseMinData(text);
    expect(rows.map((r) => r.energy)).toEqual([-284.7719791087, -226.7010909985]);
    expect(rows[1].fvib).toBe(136);
    expect(rows[1].pointGroupOrder).toBe(2);
    const ts = parseTsData('     -223.6901319777      134.5395715643         1         1         2      122.6      135.8      138.6\n', 2);
    expect(ts[0]).toMatchObject({ energy: -223.6901319777, minimum1: 1, minimum2: 2, pointGroupOrder: 1 });
  });

  it('rejects malformed lines naming file, line and column', () => {
    expect(() => parseMinData('1.0 2.0 1 1 1\n')).toThrow(/^Expected 6 columns \(energy fvib order Ix Iy Iz\) in min\.data line 1 but received 5/);
    expect(() => parseMinData('1.0 2.0 1 1 1 1\nx 2.0 1 1 1 1\n')).toThrow(/^Expected a real number for energy in min\.data line 2 but received 'x'/);
    expect(() => parseMinData('1.0 2.0 0 1 1 1\n')).toThrow(/point-group order in min\.data line 1/);
    expect(() => parseTsData('1.0 2.0 1 1 3 1 1 1\n', 2)).toThrow(/^Expected an integer between 1 and 2 for min2 in ts\.data line 1 but received '3'/);
    expect(() => parseMinData('1.0 2.0 1 1 1 1\n')).not.toThrow();
    try {
      parseMinData('1 2\n');
    } catch (err) {
      expect((err as { code?: string }).code).toBe('ERR_FILE_FORMAT');
    }
  });
});

describe('points.min and points.ts', () => {
  it('pad every record with zeros to a multiple of three float64 values, little-endian', () => {
    expect([1, 2, 3, 4, 52].map(paddedLength)).toEqual([3, 3, 3, 6, 54]);
    const points = [Float64Array.of(1.5, -2, 3, 4), Float64Array.of(-0, 5e-324, 1e300, 7)];
    const bytes = encodePoints(points, 4);
    expect(bytes.byteLength).toBe(2 * 6 * 8);
    const view = new DataView(bytes.buffer);
    expect(view.getFloat64(0, true)).toBe(1.5);
    expect(view.getFloat64(4 * 8, true)).toBe(0);
    expect(view.getFloat64(5 * 8, true)).toBe(0);
    expect(view.getFloat64(6 * 8, true)).toBe(-0);
    const back = decodePoints(bytes, 4, 2);
    expect(back).toEqual(points);
    expect(Object.is(back[1][0], -0)).toBe(true);
  });

  it('rejects a file of the wrong length or with non-zero padding', () => {
    const bytes = encodePoints([Float64Array.of(1, 2)], 2);
    expect(() => decodePoints(bytes, 2, 2, 'points.ts')).toThrow(/^Expected 48 bytes \(2 records of 3 float64\) for points\.ts but received 24/);
    new DataView(bytes.buffer).setFloat64(16, 9, true);
    expect(() => decodePoints(bytes, 2, 1)).toThrow(/zero padding at value 3 of record 1/);
    expect(() => encodePoints([Float64Array.of(1)], 2)).toThrow(/length 2 for point 1/);
  });
});

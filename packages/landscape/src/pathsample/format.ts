// SPDX-License-Identifier: MIT
/**
 * PATHSAMPLE's database files, read and written as plain data.
 *
 * Column definitions relied on (PATHSAMPLE reads each line list-directed, so any whitespace-
 * separated Fortran reals are accepted; confirmed against pele's `optim_compatibility` reader
 * and the sample `min.data` / `ts.data` files shipped with its tests):
 * - `min.data`, one line per minimum, line number = minimum id:
 *   `energy  fvib  pointGroupOrder  Ix  Iy  Iz`
 * - `ts.data`, one line per transition state:
 *   `energy  fvib  pointGroupOrder  min1  min2  Ix  Iy  Iz`   (min1, min2: 1-based min.data lines)
 * - `points.min`, `points.ts`: Fortran unformatted direct-access records with no header or
 *   record markers: record j holds the j-th point as NOPT = 3·NATOMS float64 values. We write a
 *   weight vector of length n as ⌈n/3⌉·3 values, padded with zeros; byte order little-endian
 *   (what gfortran writes on x86-64 and arm64).
 * Here fvib is the LPPHE (Σ ln λ over positive Hessian eigenvalues), the point-group order is 1
 * (no point group for network weights) and the three moments of inertia are written as 1.0.
 */
import { LandscapeError } from '@lossscape/numeric';

export interface MinDataRow {
  readonly energy: number;
  /** Σ ln λ over positive Hessian eigenvalues; NaN when unknown. */
  readonly fvib: number;
  readonly pointGroupOrder: number;
  readonly moments: readonly [number, number, number];
}

export interface TsDataRow extends MinDataRow {
  /** 1-based line numbers in min.data. */
  readonly minimum1: number;
  readonly minimum2: number;
}

/** Length of one points.min / points.ts record for a weight vector of length `dimension`. */
export function paddedLength(dimension: number): number {
  return Math.ceil(dimension / 3) * 3;
}

/**
 * A real that reads back to the same float64: JS's shortest round-trip form, with a decimal
 * point for integral values (Fortran list-directed input reads '1e-7', '-146.69951721', 'NaN').
 */
function real(x: number): string {
  if (Object.is(x, -0)) return '-0.0';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toFixed(1);
  return String(x);
}

function field(s: string, width: number): string {
  return s.length >= width ? ` ${s}` : s.padStart(width);
}

/** min.data text: fixed-width columns like PATHSAMPLE's own (F20.10-wide), full precision. */
export function formatMinData(rows: readonly MinDataRow[]): string {
  return rows
    .map(
      (r) =>
        field(real(r.energy), 24) +
        field(real(r.fvib), 24) +
        field(String(r.pointGroupOrder), 6) +
        r.moments.map((m) => field(real(m), 20)).join('') +
        '\n',
    )
    .join('');
}

export function formatTsData(rows: readonly TsDataRow[]): string {
  return rows
    .map(
      (r) =>
        field(real(r.energy), 24) +
        field(real(r.fvib), 24) +
        field(String(r.pointGroupOrder), 6) +
        field(String(r.minimum1), 10) +
        field(String(r.minimum2), 10) +
        r.moments.map((m) => field(real(m), 20)).join('') +
        '\n',
    )
    .join('');
}

// Fortran reals: optional sign, digits with optional point, optional exponent with E or D.
const FORTRAN_REAL = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;

function parseReal(token: string, file: string, line: number, column: string, allowNaN: boolean): number {
  if (allowNaN && /^[+-]?nan$/i.test(token)) return NaN;
  if (!FORTRAN_REAL.test(token)) {
    throw new LandscapeError(`Expected a real number for ${column} in ${file} line ${line} but received '${token}'`, 'ERR_FILE_FORMAT');
  }
  return Number(token.replace(/[dD]/, 'e'));
}

function parseInt1(token: string, file: string, line: number, column: string, min: number, max: number): number {
  const v = /^[+-]?\d+$/.test(token) ? Number(token) : NaN;
  if (!(v >= min && v <= max)) {
    throw new LandscapeError(`Expected an integer between ${min} and ${max} for ${column} in ${file} line ${line} but received '${token}'`, 'ERR_FILE_FORMAT');
  }
  return v;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

/** Parses min.data; every line must have exactly the six columns. */
export function parseMinData(text: string, file = 'min.data'): MinDataRow[] {
  return splitLines(text).map((raw, i) => {
    const line = i + 1;
    const t = raw.trim().split(/\s+/);
    if (t.length !== 6) {
      throw new LandscapeError(`Expected 6 columns (energy fvib order Ix Iy Iz) in ${file} line ${line} but received ${t[0] === '' ? 0 : t.length}`, 'ERR_FILE_FORMAT');
    }
    return {
      energy: parseReal(t[0], file, line, 'energy', false),
      fvib: parseReal(t[1], file, line, 'fvib', true),
      pointGroupOrder: parseInt1(t[2], file, line, 'point-group order', 1, 1_000_000),
      moments: [parseReal(t[3], file, line, 'Ix', false), parseReal(t[4], file, line, 'Iy', false), parseReal(t[5], file, line, 'Iz', false)],
    };
  });
}

/** Parses ts.data; min1 and min2 must name lines of a min.data with `minimumCount` lines. */
export function parseTsData(text: string, minimumCount: number, file = 'ts.data'): TsDataRow[] {
  return splitLines(text).map((raw, i) => {
    const line = i + 1;
    const t = raw.trim().split(/\s+/);
    if (t.length !== 8) {
      throw new LandscapeError(
        `Expected 8 columns (energy fvib order min1 min2 Ix Iy Iz) in ${file} line ${line} but received ${t[0] === '' ? 0 : t.length}`,
        'ERR_FILE_FORMAT',
      );
    }
    return {
      energy: parseReal(t[0], file, line, 'energy', false),
      fvib: parseReal(t[1], file, line, 'fvib', true),
      pointGroupOrder: parseInt1(t[2], file, line, 'point-group order', 1, 1_000_000),
      minimum1: parseInt1(t[3], file, line, 'min1', 1, minimumCount),
      minimum2: parseInt1(t[4], file, line, 'min2', 1, minimumCount),
      moments: [parseReal(t[5], file, line, 'Ix', false), parseReal(t[6], file, line, 'Iy', false), parseReal(t[7], file, line, 'Iz', false)],
    };
  });
}

/** points.min / points.ts bytes: each point padded with zeros to ⌈n/3⌉·3 float64, little-endian. */
export function encodePoints(points: readonly Float64Array[], dimension: number): Uint8Array {
  const record = paddedLength(dimension);
  const bytes = new Uint8Array(points.length * record * 8);
  const view = new DataView(bytes.buffer);
  points.forEach((p, j) => {
    if (p.length !== dimension) {
      throw new LandscapeError(`Expected coordinates of length ${dimension} for point ${j + 1} but received ${p.length}`, 'ERR_DIMENSION_MISMATCH');
    }
    for (let i = 0; i < dimension; i++) view.setFloat64((j * record + i) * 8, p[i], true);
  });
  return bytes;
}

/** Reads `count` records of a points file; the padding is checked to be zero and dropped. */
export function decodePoints(bytes: Uint8Array, dimension: number, count: number, file = 'points.min'): Float64Array[] {
  const record = paddedLength(dimension);
  if (bytes.byteLength !== count * record * 8) {
    throw new LandscapeError(
      `Expected ${count * record * 8} bytes (${count} records of ${record} float64) for ${file} but received ${bytes.byteLength}`,
      'ERR_FILE_FORMAT',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Float64Array[] = [];
  for (let j = 0; j < count; j++) {
    const p = new Float64Array(dimension);
    for (let i = 0; i < dimension; i++) p[i] = view.getFloat64((j * record + i) * 8, true);
    for (let i = dimension; i < record; i++) {
      const pad = view.getFloat64((j * record + i) * 8, true);
      if (pad !== 0) {
        throw new LandscapeError(`Expected zero padding at value ${i + 1} of record ${j + 1} in ${file} but received ${pad}`, 'ERR_FILE_FORMAT');
      }
    }
    out.push(p);
  }
  return out;
}

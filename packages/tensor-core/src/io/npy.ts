// SPDX-License-Identifier: MIT
/**
 * NumPy `.npy` files (format versions 1–3) holding float arrays: one weight vector (shape (W,)
 * or (1, W)) or K of them (shape (K, W)).
 *
 * ```ts
 * // NumPy: np.save('w.npy', weights)            (float64 keeps the minimum exactly)
 * const { shape, values } = parseNpy(await readFile('w.npy'), 'w.npy');
 * await writeFile('w.npy', encodeNpy(weights));   // '<f8', shape (W,)
 * ```
 */
import { malformed } from './architecture.js';

export interface NpyArray {
  readonly shape: readonly number[];
  /** Row-major (C order) values, converted to float64. */
  readonly values: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function isNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

/** Parses a float16/32/64 `.npy` array (either byte order; Fortran order is transposed to C order). */
export function parseNpy(bytes: Uint8Array, where: string): NpyArray {
  if (!isNpy(bytes) || bytes.byteLength < 10) throw malformed(`Expected an NPY file (starting with \\x93NUMPY) for ${where} but received other content`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) throw malformed(`Expected NPY format version 1, 2 or 3 for ${where} but received ${major}.${bytes[7]}`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.byteLength) throw malformed(`Expected a header of ${headerLength} bytes for ${where} but received a file of ${bytes.byteLength} bytes`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw malformed(`Expected an NPY header with descr, fortran_order and shape for ${where} but received ${JSON.stringify(header.trim()).slice(0, 80)}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw malformed(`Expected non-negative integer dimensions for ${where} but received shape (${shapeText})`);
  const m = /^([<>|=])f([248])$/.exec(descr);
  if (!m) throw malformed(`Expected a float dtype ('<f8', '<f4', '<f2' or big-endian) for ${where} but received '${descr}'`);
  const little = m[1] !== '>';
  const size = Number(m[2]);
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength - dataStart !== count * size) {
    throw malformed(`Expected ${count * size} data bytes (${descr}, shape (${shape.join(', ')})) for ${where} but received ${bytes.byteLength - dataStart}`);
  }
  const raw = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const at = dataStart + k * size;
    if (size === 8) raw[k] = view.getFloat64(at, little);
    else if (size === 4) raw[k] = view.getFloat32(at, little);
    else {
      const h = view.getUint16(at, little);
      const e = (h >> 10) & 0x1f;
      const f = h & 0x3ff;
      const sign = h & 0x8000 ? -1 : 1;
      raw[k] = e === 0 ? sign * f * 2 ** -24 : e === 0x1f ? (f ? NaN : sign * Infinity) : sign * (1 + f / 1024) * 2 ** (e - 15);
    }
  }
  if (fortran === 'False' || shape.length < 2) return { shape, values: raw };
  if (shape.length > 2) throw malformed(`Expected at most 2 dimensions for a Fortran-order array in ${where} but received shape (${shape.join(', ')})`);
  const [rows, cols] = shape;
  const values = new Float64Array(count);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = raw[c * rows + r];
  return { shape, values };
}

/** Encodes float64 values as a version-1 `.npy` ('<f8', C order); shape defaults to (length,). */
export function encodeNpy(values: Float64Array, shape: readonly number[] = [values.length]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new RangeError(`Expected shape with ${values.length} elements for encodeNpy but received (${shape.join(', ')})`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${dims}), }`;
  // The data starts at a multiple of 64 bytes; the header ends with a newline.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + 8 * values.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) out[10 + k] = header.charCodeAt(k);
  for (let k = 0; k < values.length; k++) view.setFloat64(total + 8 * k, values[k], true);
  return out;
}

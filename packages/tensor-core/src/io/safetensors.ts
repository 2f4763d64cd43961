// SPDX-License-Identifier: MIT
/**
 * safetensors files (a little-endian u64 header length, a JSON header of
 * `{ name: { dtype, shape, data_offsets: [begin, end] } }`, then the raw tensor bytes), and
 * PyTorch state dicts of two `nn.Linear` layers stored in them.
 *
 * ```ts
 * // PyTorch: torch.nn.Sequential(Linear(30, 10), Tanh(), Linear(10, 2)); save_file(model.state_dict(), 'net.safetensors')
 * const imported = await importSafetensors('net.safetensors');   // W1 = '0.weight' ([out, in]: no transpose)
 * ```
 * A state dict carries no activations: the hidden activation is taken to be tanh (the project's
 * network), and the outputs logits of a softmax (two or more units, as for `CrossEntropyLoss`)
 * or the logit of class 1 (one unit, as for `BCEWithLogitsLoss`).
 */
import { readFile } from 'node:fs/promises';
import { LandscapeError } from '@lossscape/numeric';
import { assembleWeights, malformed, unsupported } from './architecture.js';
import type { ImportedModel } from './types.js';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16';

export interface SafetensorsTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

export interface SafetensorsFile {
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const f = bits & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 0x1f) return f ? NaN : sign * Infinity;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

/** Parses a safetensors buffer (float tensors only). */
export function parseSafetensors(bytes: Uint8Array, where: string): SafetensorsFile {
  if (bytes.byteLength < 8) throw malformed(`Expected at least 8 bytes (the header length) for safetensors ${where} but received ${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.byteLength - 8) {
    throw malformed(`Expected a header of at most ${bytes.byteLength - 8} bytes for safetensors ${where} but received a header length of ${headerLength}`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (cause) {
    throw new LandscapeError(`Expected a JSON header for safetensors ${where} but received text that does not parse (${(cause as Error).message})`, 'ERR_MODEL_FORMAT', { cause });
  }
  if (!isRecord(header)) throw malformed(`Expected a JSON object header for safetensors ${where} but received ${typeof header}`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (isRecord(entry)) metadata = Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, String(v)]));
      continue;
    }
    if (!isRecord(entry) || typeof entry.dtype !== 'string' || !Array.isArray(entry.shape) || !Array.isArray(entry.data_offsets)) {
      throw malformed(`Expected { dtype, shape, data_offsets } for tensor '${name}' in ${where} but received ${JSON.stringify(entry)?.slice(0, 80)}`);
    }
    const dtype = entry.dtype as SafetensorsDtype;
    if (!(dtype in BYTES)) throw malformed(`Expected a float dtype (F64, F32, F16, BF16) for tensor '${name}' in ${where} but received '${entry.dtype}'`);
    const shape = entry.shape as number[];
    const [begin, end] = entry.data_offsets as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end > dataLength || end - begin !== size * BYTES[dtype]) {
      throw malformed(
        `Expected data_offsets spanning ${size * BYTES[dtype]} bytes within ${dataLength} for tensor '${name}' (${dtype} [${shape.join(', ')}]) in ${where} but received [${String(begin)}, ${String(end)}]`,
      );
    }
    const values = new Float64Array(size);
    const at = dataStart + begin;
    for (let k = 0; k < size; k++) {
      const o = at + k * BYTES[dtype];
      if (dtype === 'F64') values[k] = view.getFloat64(o, true);
      else if (dtype === 'F32') values[k] = view.getFloat32(o, true);
      else if (dtype === 'F16') values[k] = half(view.getUint16(o, true));
      else {
        // bfloat16 is the upper half of a float32.
        const scratch = new DataView(new ArrayBuffer(4));
        scratch.setUint32(0, view.getUint16(o, true) << 16, true);
        values[k] = scratch.getFloat32(0, true);
      }
    }
    tensors.set(name, { dtype, shape, values });
  }
  return { tensors, metadata };
}

/** Encodes float64 or float32 tensors as safetensors (keys sorted, 8-byte aligned header). */
export function encodeSafetensors(
  tensors: Readonly<Record<string, { readonly dtype: 'F64' | 'F32'; readonly shape: readonly number[]; readonly values: ArrayLike<number> }>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const size = t.dtype === 'F64' ? 8 : 4;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.values.length * size] };
    offset += t.values.length * size;
  }
  let headerText = JSON.stringify(header);
  while ((8 + Buffer.byteLength(headerText)) % 8 !== 0) headerText += ' ';
  const headerBytes = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const name of names) {
    const t = tensors[name];
    for (let k = 0; k < t.values.length; k++) {
      if (t.dtype === 'F64') view.setFloat64(at + 8 * k, t.values[k], true);
      else view.setFloat32(at + 4 * k, t.values[k], true);
    }
    at += t.values.length * (t.dtype === 'F64' ? 8 : 4);
  }
  return out;
}

const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The project's network from a state dict of two Linear layers: tensors `<p>.weight` ([out, in])
 * and optional `<p>.bias`. The layers' order follows the shapes (out of the first = in of the
 * second), else the prefixes' natural order ('0' before '2', 'fc1' before 'fc2').
 */
export function importStateDict(file: SafetensorsFile, where: string, filePath?: string): ImportedModel {
  const groups = new Map<string, { weight?: string; bias?: string }>();
  const others: string[] = [];
  for (const name of file.tensors.keys()) {
    const m = /^(.*?)\.?(weight|bias)$/.exec(name);
    if (!m) {
      others.push(name);
      continue;
    }
    const g = groups.get(m[1]) ?? {};
    g[m[2] as 'weight' | 'bias'] = name;
    groups.set(m[1], g);
  }
  const linear = [...groups.entries()].filter(([, g]) => g.weight !== undefined).sort(([a], [b]) => naturalOrder(a, b));
  if (others.length > 0 || linear.length !== 2 || linear.length !== groups.size) {
    const found = [...file.tensors.keys()].join(', ') || 'no tensors';
    throw unsupported(`Expected the state dict of two Linear layers ('<name>.weight' and '<name>.bias') for ${where} but received ${found}`);
  }
  for (const [, g] of linear) {
    const w = file.tensors.get(g.weight!)!;
    if (w.shape.length !== 2) throw malformed(`Expected a rank-2 weight [out, in] for '${g.weight}' in ${where} but received shape [${w.shape.join(', ')}]`);
    if (g.bias !== undefined && file.tensors.get(g.bias)!.shape.length !== 1) {
      throw malformed(`Expected a rank-1 bias for '${g.bias}' in ${where} but received shape [${file.tensors.get(g.bias)!.shape.join(', ')}]`);
    }
  }
  let [first, second] = linear;
  const out = (l: typeof first) => file.tensors.get(l[1].weight!)!.shape[0];
  const inp = (l: typeof first) => file.tensors.get(l[1].weight!)!.shape[1];
  if (out(first) !== inp(second) && out(second) === inp(first)) [first, second] = [second, first];
  if (out(first) !== inp(second)) {
    throw malformed(
      `Expected chained Linear layers (out of one = in of the other) for ${where} but received '${first[1].weight}' [${out(first)}, ${inp(first)}] and '${second[1].weight}' [${out(second)}, ${inp(second)}]`,
    );
  }
  const params = (l: typeof first) => {
    const w = file.tensors.get(l[1].weight!)!;
    const b = l[1].bias !== undefined ? file.tensors.get(l[1].bias)! : undefined;
    return { kernel: w.values, kernelShape: w.shape, ...(b ? { bias: b.values, biasShape: b.shape } : {}) };
  };
  const mapping = out(second) === 1 ? 'logit' : 'logits';
  const { model, weights } = assembleWeights(params(first), params(second), 'out-in', mapping, where, [`'${first[1].weight}'`, `'${second[1].weight}'`]);
  const notes = [
    'a state dict stores no activations: hidden activation taken as tanh',
    mapping === 'logit' ? 'one output unit u taken as the logit of class 1: σ(u) = softmax([0, u])₁' : 'outputs taken as logits of a softmax',
  ];
  if (first[1].bias === undefined) notes.push(`'${first[0]}' has no bias: b1 = 0`);
  if (second[1].bias === undefined) notes.push(`'${second[0]}' has no bias: b2 = 0`);
  return { model, weights, format: 'safetensors', output: mapping, layers: [first[0], second[0]], ...(filePath !== undefined ? { path: filePath } : {}), notes };
}

export async function importSafetensors(filePath: string): Promise<ImportedModel> {
  const bytes = await readFile(filePath);
  return importStateDict(parseSafetensors(bytes, filePath), filePath, filePath);
}

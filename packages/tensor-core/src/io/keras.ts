// SPDX-License-Identifier: MIT
/**
 * Keras model files, read with h5wasm (HDF5 compiled to WebAssembly; no Python, no Keras):
 * - `.keras` (Keras 3): a zip of `config.json` (the architecture) and `model.weights.h5`, where
 *   the n-th Dense layer's kernel and bias are `layers/dense[_n]/vars/0` and `vars/1` (Keras
 *   names a container's layers by snake-cased class and a per-class counter, not by layer name;
 *   Keras 2.13 wrote `_layer_checkpoint_dependencies/` instead of `layers/`);
 * - `.h5` (Keras 2, or Keras 3's legacy `model.save('x.h5')`): root attribute `model_config`
 *   (JSON), group `model_weights` with attribute `layer_names`, and per layer a group with
 *   attribute `weight_names` naming its datasets ('dense/kernel:0', 'dense/bias:0').
 *
 * ```ts
 * const imported = await importKerasFile('model.keras');   // or 'model.h5'
 * imported.model;     // { inputs: 30, hidden: 10, classes: 2 }
 * imported.output;    // 'softmax' | 'logits' | 'sigmoid' | 'logit'
 * ```
 * Weights-only files (`save_weights`) carry no architecture and are refused.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { LandscapeError } from '@lossscape/numeric';
import { analyseDenseStack, importedFromStack, kerasLayers, malformed, unsupported, type DenseParameters } from './architecture.js';
import { denseParameters, type NamedArray } from './dense-parameters.js';
import type { ImportedModel } from './types.js';

type H5 = typeof import('h5wasm/node');
type H5Group = InstanceType<H5['Group']>;
type H5File = InstanceType<H5['File']>;
type H5Dataset = InstanceType<H5['Dataset']>;

let h5Module: Promise<H5> | undefined;

/** h5wasm, loaded on first use (its WebAssembly start-up is paid only by Keras imports). */
async function loadH5(): Promise<H5> {
  h5Module ??= import('h5wasm/node').then(async (m) => {
    await m.ready;
    return m;
  });
  return h5Module;
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isHdf5(bytes: Uint8Array): boolean {
  return HDF5_MAGIC.every((b, i) => bytes[i] === b);
}

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Opens HDF5 bytes through a temporary file (h5wasm's Node build reads the real file system). */
async function withHdf5<T>(bytes: Uint8Array, where: string, body: (file: H5File, h5: H5) => T): Promise<T> {
  if (!isHdf5(bytes)) throw malformed(`Expected an HDF5 file (signature \\x89HDF) for ${where} but received other content`);
  const h5 = await loadH5();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lossscape-h5-'));
  const file = path.join(dir, 'weights.h5');
  try {
    await writeFile(file, bytes);
    let f: H5File;
    try {
      f = new h5.File(file, 'r');
    } catch (cause) {
      throw new LandscapeError(`Expected a readable HDF5 file for ${where} but h5wasm could not open it (${String((cause as Error)?.message ?? cause)})`, 'ERR_MODEL_FORMAT', { cause });
    }
    try {
      return body(f, h5);
    } finally {
      f.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function datasetAt(group: H5Group, name: string, h5: H5): H5Dataset | undefined {
  let entity: unknown;
  try {
    entity = group.get(name);
  } catch {
    return undefined;
  }
  return entity instanceof h5.Dataset ? entity : undefined;
}

/** A dataset's values as float64 (float16/32/64; bfloat16 marked by Keras's `dtype` attribute). */
function readFloats(ds: H5Dataset, where: string): Float64Array {
  const value = ds.value as unknown;
  const attrs = ds.attrs;
  if (attrs.dtype && attrs.dtype.value === 'bfloat16' && value instanceof Uint16Array) {
    const scratch = new DataView(new ArrayBuffer(4));
    return Float64Array.from(value, (bits) => {
      scratch.setUint32(0, bits << 16);
      return scratch.getFloat32(0);
    });
  }
  const meta = ds.metadata as { type?: number; size?: number };
  if (value instanceof Uint16Array && meta.type === 1 && meta.size === 2) {
    return Float64Array.from(value, (h) => {
      const e = (h >> 10) & 0x1f;
      const f = h & 0x3ff;
      const s = h & 0x8000 ? -1 : 1;
      return e === 0 ? s * f * 2 ** -24 : e === 0x1f ? (f ? NaN : s * Infinity) : s * (1 + f / 1024) * 2 ** (e - 15);
    });
  }
  if (value instanceof Float32Array || value instanceof Float64Array) return Float64Array.from(value);
  throw malformed(`Expected a float dataset at '${ds.path}' in ${where} but received dtype ${JSON.stringify(ds.dtype)}`);
}

function shapeOf(ds: H5Dataset): number[] {
  return (ds.shape ?? []).map(Number);
}

/** An attribute as a string (HDF5 strings may come back as string, bytes or a 1-element array). */
function attrString(holder: { attrs: Record<string, { value: unknown }> }, name: string): string | undefined {
  const a = holder.attrs[name];
  if (!a) return undefined;
  const v = a.value;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return undefined;
}

function attrStrings(holder: { attrs: Record<string, { value: unknown }> }, name: string): string[] | undefined {
  const a = holder.attrs[name];
  if (!a) return undefined;
  const v = a.value;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map((x) => (x instanceof Uint8Array ? new TextDecoder().decode(x) : String(x)));
  return undefined;
}

function parseConfig(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new LandscapeError(`Expected JSON for ${where} but received text that does not parse (${(cause as Error).message})`, 'ERR_MODEL_FORMAT', { cause });
  }
}

/** A `.keras` archive (Keras 3) from its bytes. */
export async function importKerasArchive(bytes: Uint8Array, where: string, filePath?: string): Promise<ImportedModel> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => f.name === 'config.json' || f.name === 'model.weights.h5' || f.name === 'model.weights.npz' });
  } catch (cause) {
    throw new LandscapeError(`Expected a zip archive for ${where} but it could not be read (${(cause as Error).message})`, 'ERR_MODEL_FORMAT', { cause });
  }
  if (!entries['config.json']) throw malformed(`Expected config.json inside the .keras archive ${where} but received no such entry`);
  if (!entries['model.weights.h5']) {
    throw entries['model.weights.npz']
      ? unsupported(`Expected model.weights.h5 inside ${where} but received model.weights.npz (save with the default weights_format='h5')`)
      : malformed(`Expected model.weights.h5 inside the .keras archive ${where} but received no such entry`);
  }
  const config = parseConfig(new TextDecoder().decode(entries['config.json']), `${where}: config.json`);
  const stack = analyseDenseStack(kerasLayers(config, where), where);
  const params = await withHdf5(entries['model.weights.h5'], `${where}: model.weights.h5`, (file, h5) => {
    const root = file as unknown as H5Group;
    return [stack.hidden, stack.output].map((layer, n): DenseParameters => {
      const base = n === 0 ? 'dense' : `dense_${n}`;
      const candidates = [`layers/${base}/vars`, `_layer_checkpoint_dependencies/${base}/vars`, `layers/${layer.name}/vars`];
      for (const group of candidates) {
        const kernel = datasetAt(root, `${group}/0`, h5);
        if (!kernel) continue;
        const bias = layer.useBias ? datasetAt(root, `${group}/1`, h5) : undefined;
        if (layer.useBias && !bias) throw malformed(`Expected a bias at '${group}/1' for layer '${layer.name}' in ${where} but received none`);
        return {
          kernel: readFloats(kernel, where),
          kernelShape: shapeOf(kernel),
          ...(bias ? { bias: readFloats(bias, where), biasShape: shapeOf(bias) } : {}),
        };
      }
      throw malformed(`Expected the kernel of layer '${layer.name}' at '${candidates[0]}/0' in ${where}: model.weights.h5 but received no such dataset`);
    });
  });
  return importedFromStack(stack, [params[0], params[1]], 'keras', where, filePath);
}

/** A Keras 2 / legacy `.h5` model file from its bytes. */
export async function importKerasH5Bytes(bytes: Uint8Array, where: string, filePath?: string): Promise<ImportedModel> {
  return withHdf5(bytes, where, (file, h5) => {
    const root = file as unknown as H5Group;
    const configText = attrString(root, 'model_config');
    if (configText === undefined) {
      throw unsupported(`Expected a whole-model HDF5 file (root attribute model_config) for ${where} but received a weights-only file; save with model.save() or as .keras`);
    }
    const stack = analyseDenseStack(kerasLayers(parseConfig(configText, `${where}: model_config`), where), where);
    const weightsGroup = root.get('model_weights');
    const group = weightsGroup instanceof h5.Group ? weightsGroup : root;
    const arrays: NamedArray[] = [];
    for (const layer of [stack.hidden, stack.output]) {
      const g = group.get(layer.name);
      if (!(g instanceof h5.Group)) throw malformed(`Expected a group 'model_weights/${layer.name}' for layer '${layer.name}' in ${where} but received none`);
      const names = attrStrings(g, 'weight_names') ?? [];
      for (const name of names) {
        const ds = datasetAt(g, name, h5);
        if (!ds) throw malformed(`Expected dataset '${name}' (listed in weight_names) in group '${layer.name}' of ${where} but received none`);
        arrays.push({ name: name.includes('/') ? name : `${layer.name}/${name}`, shape: shapeOf(ds), values: readFloats(ds, where) });
      }
    }
    const [hidden, output] = denseParameters([stack.hidden, stack.output], arrays, where);
    return importedFromStack(stack, [hidden, output], 'keras-h5', where, filePath);
  });
}

/** Reads a `.keras` archive or a Keras `.h5` model file (told apart by content). */
export async function importKerasFile(filePath: string): Promise<ImportedModel> {
  const bytes = await readFile(filePath);
  if (isZip(bytes)) return importKerasArchive(bytes, filePath, filePath);
  if (isHdf5(bytes)) return importKerasH5Bytes(bytes, filePath, filePath);
  throw malformed(`Expected a Keras .keras (zip) or .h5 (HDF5) file for ${filePath} but received other content`);
}

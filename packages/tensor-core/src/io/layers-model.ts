// SPDX-License-Identifier: MIT
/**
 * TensorFlow.js LayersModel files (`model.json` + weight shards) read and written with plain
 * Node file I/O: tfjs's own `file://` handler needs tfjs-node, which cannot be installed here.
 *
 * ```ts
 * const imported = await importLayersModel('trained/model.json');   // → { model, weights, … }
 * await writeLayersModel('out', imported.model, imported.weights);   // out/model.json + out/weights.bin
 * ```
 * Float64 weights are written as float32 (what tfjs holds), so a round trip is exact to float32.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LandscapeError, expectedMessage } from '@lossscape/numeric';
import { requireModel, requireWeights, weightLayout, type ModelSpec } from '../model.js';
import { analyseDenseStack, importedFromStack, kerasLayers, malformed } from './architecture.js';
import { denseParameters, type NamedArray } from './dense-parameters.js';
import type { ImportedModel, LayersModelArtifacts, LayersModelJson, WeightSpec, WeightsManifestGroup } from './types.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses model.json text and checks the fields a LayersModel must have. */
export function parseLayersModelJson(text: string, where: string): LayersModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new LandscapeError(`Expected JSON for ${where} but received text that does not parse (${(cause as Error).message})`, 'ERR_MODEL_FORMAT', { cause });
  }
  if (!isRecord(json)) throw malformed(expectedMessage('a TensorFlow.js model.json object', where, json));
  if (!isRecord(json.modelTopology)) {
    throw malformed(`Expected modelTopology (a LayersModel; graph models are not supported) for ${where} but received ${json.modelTopology === undefined ? 'none' : typeof json.modelTopology}`);
  }
  if (!Array.isArray(json.weightsManifest)) throw malformed(`Expected weightsManifest (an array) for ${where} but received ${typeof json.weightsManifest}`);
  json.weightsManifest.forEach((g: unknown, k: number) => {
    if (!isRecord(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw malformed(`Expected { paths, weights } for weightsManifest[${k}] of ${where} but received ${JSON.stringify(g)?.slice(0, 60)}`);
    }
  });
  return json as unknown as LayersModelJson;
}

/** model.json plus its shards, concatenated in manifest order (tfjs `ModelArtifacts`). */
export async function readLayersModelArtifacts(modelJsonPath: string): Promise<LayersModelArtifacts> {
  const text = await readFile(modelJsonPath, 'utf8');
  const json = parseLayersModelJson(text, modelJsonPath);
  const dir = path.dirname(modelJsonPath);
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const shard of group.paths) {
      const file = path.resolve(dir, shard);
      try {
        buffers.push(await readFile(file));
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new LandscapeError(`Expected weight shard '${shard}' (listed in ${modelJsonPath}) at ${file} but the file does not exist`, 'ERR_FILE_NOT_FOUND', { cause });
        }
        throw cause;
      }
    }
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    data.set(b, offset);
    offset += b.byteLength;
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g: WeightsManifestGroup) => g.weights),
    weightData: data.buffer,
    ...(json.format !== undefined ? { format: json.format } : {}),
    ...(json.generatedBy !== undefined ? { generatedBy: json.generatedBy } : {}),
    ...(json.convertedBy !== undefined ? { convertedBy: json.convertedBy } : {}),
  };
}

/** IEEE 754 half precision to a number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Splits the concatenated weight data by the specs (dequantising uint8/uint16/float16). */
export function decodeWeightData(specs: readonly WeightSpec[], data: ArrayBuffer, where: string): NamedArray[] {
  const view = new DataView(data);
  let offset = 0;
  const out = specs.map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float64Array(size);
    const q = spec.quantization;
    const dtype = spec.dtype ?? 'float32'; // older manifests leave float32 implicit
    const bytesPer = q ? (q.dtype === 'uint8' ? 1 : 2) : dtype === 'float32' || dtype === 'int32' ? 4 : 0;
    if (bytesPer === 0) throw malformed(`Expected float32 or int32 weights for '${spec.name}' in ${where} but received dtype '${dtype}'`);
    if (offset + size * bytesPer > data.byteLength) {
      throw malformed(`Expected at least ${offset + size * bytesPer} bytes of weight data for '${spec.name}' in ${where} but received ${data.byteLength}`);
    }
    for (let k = 0; k < size; k++) {
      const at = offset + k * bytesPer;
      if (!q) values[k] = dtype === 'float32' ? view.getFloat32(at, true) : view.getInt32(at, true);
      else if (q.dtype === 'float16') values[k] = halfToNumber(view.getUint16(at, true));
      else values[k] = (q.dtype === 'uint8' ? view.getUint8(at) : view.getUint16(at, true)) * (q.scale ?? 1) + (q.min ?? 0);
    }
    offset += size * bytesPer;
    return { name: spec.name, shape: spec.shape, values };
  });
  if (offset !== data.byteLength) throw malformed(`Expected ${offset} bytes of weight data (the sum of the weight specs) for ${where} but received ${data.byteLength}`);
  return out;
}

/** The project's network from in-memory LayersModel artifacts (what tfjs `model.save` produces). */
export function importLayersArtifacts(artifacts: LayersModelArtifacts, where = 'LayersModel', filePath?: string): ImportedModel {
  const stack = analyseDenseStack(kerasLayers(artifacts.modelTopology, where), where);
  const arrays = decodeWeightData(artifacts.weightSpecs, artifacts.weightData, where);
  const [hidden, output] = denseParameters([stack.hidden, stack.output], arrays, where);
  return importedFromStack(stack, [hidden, output], 'tfjs-layers', where, filePath);
}

/** Reads `model.json` (and its shards beside it) into the project's network. */
export async function importLayersModel(modelJsonPath: string): Promise<ImportedModel> {
  return importLayersArtifacts(await readLayersModelArtifacts(modelJsonPath), modelJsonPath, modelJsonPath);
}

export interface LayersExportOptions {
  /**
   * `softmax` (default): Dense(C, softmax), the project's network as it is. `sigmoid` (two
   * classes only): Dense(1, sigmoid) with w = W2[1] − W2[0], b = b2[1] − b2[0], which predicts the
   * same probability of class 1 (importing it back gives the representative with W2[0] = 0: same
   * data loss, different L2 norm).
   */
  readonly output?: 'softmax' | 'sigmoid';
  /** Model name in the topology (default 'lossscape'). */
  readonly name?: string;
}

/** tfjs ModelArtifacts for the project's network: Sequential Dense(H, tanh) → Dense(C, softmax). */
export function toLayersModelArtifacts(model: ModelSpec, weights: Float64Array, options: LayersExportOptions = {}): LayersModelArtifacts {
  const spec = requireModel(model);
  const layout = weightLayout(spec);
  requireWeights('weights', weights, layout.count);
  const output = options.output ?? 'softmax';
  if (output !== 'softmax' && output !== 'sigmoid') throw new LandscapeError(expectedMessage("'softmax' or 'sigmoid'", 'options.output', output), 'ERR_INVALID_ARGUMENT');
  if (output === 'sigmoid' && spec.classes !== 2) {
    throw new LandscapeError(`Expected a two-class model for options.output 'sigmoid' but received ${spec.classes} classes`, 'ERR_INVALID_ARGUMENT');
  }
  const { inputs: I, hidden: H, classes: C } = spec;
  const units = output === 'sigmoid' ? 1 : C;
  const kernel1 = new Float32Array(I * H);
  for (let h = 0; h < H; h++) for (let i = 0; i < I; i++) kernel1[i * H + h] = weights[layout.w1 + h * I + i];
  const bias1 = Float32Array.from(weights.subarray(layout.b1, layout.b1 + H));
  const kernel2 = new Float32Array(H * units);
  const bias2 = new Float32Array(units);
  if (output === 'sigmoid') {
    // Computed in float64 before rounding, so u = y1 − y0 is as exact as float32 allows.
    for (let h = 0; h < H; h++) kernel2[h] = weights[layout.w2 + H + h] - weights[layout.w2 + h];
    bias2[0] = weights[layout.b2 + 1] - weights[layout.b2];
  } else {
    for (let k = 0; k < C; k++) for (let h = 0; h < H; h++) kernel2[h * C + k] = weights[layout.w2 + k * H + h];
    bias2.set(weights.subarray(layout.b2, layout.b2 + C));
  }
  const dense = (name: string, u: number, activation: string, extra: Record<string, unknown> = {}) => ({
    class_name: 'Dense',
    config: {
      units: u,
      activation,
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      name,
      trainable: true,
      ...extra,
      dtype: 'float32',
    },
  });
  const modelTopology = {
    class_name: 'Sequential',
    config: {
      name: options.name ?? 'lossscape',
      layers: [dense('hidden', H, 'tanh', { batch_input_shape: [null, I] }), dense('output', units, output === 'sigmoid' ? 'sigmoid' : 'softmax')],
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
  const weightSpecs: WeightSpec[] = [
    { name: 'hidden/kernel', shape: [I, H], dtype: 'float32' },
    { name: 'hidden/bias', shape: [H], dtype: 'float32' },
    { name: 'output/kernel', shape: [H, units], dtype: 'float32' },
    { name: 'output/bias', shape: [units], dtype: 'float32' },
  ];
  const data = new Float32Array(kernel1.length + bias1.length + kernel2.length + bias2.length);
  data.set(kernel1, 0);
  data.set(bias1, kernel1.length);
  data.set(kernel2, kernel1.length + bias1.length);
  data.set(bias2, kernel1.length + bias1.length + kernel2.length);
  return { modelTopology, weightSpecs, weightData: data.buffer, format: 'layers-model', generatedBy: 'lossscape tensor-core', convertedBy: null };
}

/** model.json content for artifacts whose weight data is stored in one file `weightsFile`. */
export function layersModelJson(artifacts: LayersModelArtifacts, weightsFile = 'weights.bin'): LayersModelJson {
  return {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? 'lossscape tensor-core',
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs }],
  };
}

/** Writes artifacts as `<dir>/model.json` + `<dir>/weights.bin` (creating `dir`). */
export async function writeLayersArtifacts(dir: string, artifacts: LayersModelArtifacts): Promise<{ modelJson: string; weightsBin: string }> {
  await mkdir(dir, { recursive: true });
  const modelJson = path.join(dir, 'model.json');
  const weightsBin = path.join(dir, 'weights.bin');
  await writeFile(weightsBin, new Uint8Array(artifacts.weightData));
  await writeFile(modelJson, JSON.stringify(layersModelJson(artifacts, 'weights.bin')));
  return { modelJson, weightsBin };
}

/**
 * Exports a minimum as a TensorFlow.js LayersModel that `tf.loadLayersModel` reads (in Node use
 * `fileSystemHandler` from `@lossscape/tensor-core/tf`, or `tf.io.fromMemory`).
 */
export async function writeLayersModel(dir: string, model: ModelSpec, weights: Float64Array, options: LayersExportOptions = {}): Promise<{ modelJson: string; weightsBin: string }> {
  return writeLayersArtifacts(dir, toLayersModelArtifacts(model, weights, options));
}

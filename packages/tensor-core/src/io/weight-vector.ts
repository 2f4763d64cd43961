// SPDX-License-Identifier: MIT
/**
 * Bare weight vectors in the project's layout, as JSON or NPY. A bare vector does not say the
 * network's shape: pass `model`, or `inputs` (and `classes`, default 2) and the hidden width is
 * solved from W = H·(I + 1) + C·(H + 1).
 *
 * ```ts
 * const w = await importWeightVectors('minima.npy', { inputs: 30 });   // K×W array → K vectors
 * await writeFile('w.json', weightsJson(model, weights));               // exact float64 round trip
 * ```
 * JSON forms: `[w₀, w₁, …]`, `[[…], […]]` (K vectors), or
 * `{ "model": { "inputs", "hidden", "classes" }, "weights": [...] | [[...], ...] }`.
 */
import { readFile } from 'node:fs/promises';
import { LandscapeError, expectedMessage, requireInteger } from '@lossscape/numeric';
import { requireModel, weightCount, type ModelSpec } from '../model.js';
import { malformed } from './architecture.js';
import { isNpy, parseNpy } from './npy.js';
import type { ImportedModel } from './types.js';

export interface WeightVectorOptions {
  /** The network's shape; wins over `inputs`/`classes`. */
  readonly model?: ModelSpec;
  /** Feature count (e.g. the data's column count) when `model` is not given. */
  readonly inputs?: number;
  /** Class count when `model` is not given (default 2). */
  readonly classes?: number;
}

export interface WeightVectors {
  readonly model: ModelSpec;
  readonly vectors: readonly Float64Array[];
  readonly format: 'json' | 'npy';
}

/** The model whose weight count is `length`, from the options (hidden solved when absent). */
export function modelForLength(length: number, options: WeightVectorOptions, where: string, declared?: ModelSpec): ModelSpec {
  const model = options.model ?? declared;
  if (model !== undefined) {
    const spec = requireModel(model);
    const count = weightCount(spec);
    if (count !== length) {
      throw new LandscapeError(
        `Expected ${count} weights (inputs ${spec.inputs}, hidden ${spec.hidden}, classes ${spec.classes}) for ${where} but received ${length}`,
        'ERR_DIMENSION_MISMATCH',
      );
    }
    return spec;
  }
  if (options.inputs === undefined) {
    throw malformed(`Expected the network's shape (a model { inputs, hidden, classes }, or inputs) for the bare weight vector ${where} but received neither`);
  }
  const inputs = requireInteger('inputs', options.inputs, 1);
  const classes = requireInteger('classes', options.classes ?? 2, 2);
  const hidden = (length - classes) / (inputs + 1 + classes);
  if (!Number.isInteger(hidden) || hidden < 1) {
    throw new LandscapeError(
      `Expected a length H·(${inputs} + 1) + ${classes}·(H + 1) for some hidden width H (inputs ${inputs}, classes ${classes}) for ${where} but received ${length} weights`,
      'ERR_DIMENSION_MISMATCH',
    );
  }
  return { inputs, hidden, classes };
}

function numberRows(value: unknown, where: string): number[][] {
  const isNumbers = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => typeof x === 'number');
  if (isNumbers(value)) return [value];
  if (Array.isArray(value) && value.length > 0 && value.every(isNumbers)) return value;
  throw malformed(`Expected an array of numbers (or of arrays of numbers) for the weights in ${where} but received ${JSON.stringify(value)?.slice(0, 60)}`);
}

/** Parses JSON weight vectors. */
export function parseWeightsJson(text: string, where: string, options: WeightVectorOptions = {}): WeightVectors {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new LandscapeError(`Expected JSON for ${where} but received text that does not parse (${(cause as Error).message})`, 'ERR_MODEL_FORMAT', { cause });
  }
  let declared: ModelSpec | undefined;
  let rows: number[][];
  if (Array.isArray(json)) rows = numberRows(json, where);
  else if (typeof json === 'object' && json !== null && 'weights' in json) {
    const o = json as { model?: unknown; weights: unknown };
    if (o.model !== undefined) declared = requireModel(o.model, `${where}: model`);
    rows = numberRows(o.weights, where);
  } else {
    throw malformed(`Expected a weight array or { model, weights } for ${where} but received ${JSON.stringify(json)?.slice(0, 60)}`);
  }
  const length = rows[0].length;
  rows.forEach((r, k) => {
    if (r.length !== length) throw malformed(`Expected ${length} weights in every row of ${where} but received ${r.length} in row ${k}`);
  });
  const model = modelForLength(length, options, where, declared);
  return { model, vectors: rows.map((r) => Float64Array.from(r)), format: 'json' };
}

/** Reads a JSON or NPY file of one or more weight vectors. */
export async function importWeightVectors(filePath: string, options: WeightVectorOptions = {}): Promise<WeightVectors> {
  const bytes = await readFile(filePath);
  return weightVectorsFromBytes(bytes, filePath, options);
}

export function weightVectorsFromBytes(bytes: Uint8Array, where: string, options: WeightVectorOptions = {}): WeightVectors {
  if (!isNpy(bytes)) return parseWeightsJson(new TextDecoder().decode(bytes), where, options);
  const { shape, values } = parseNpy(bytes, where);
  if (shape.length === 0 || shape.length > 2 || values.length === 0) {
    throw malformed(`Expected shape (W,) or (K, W) for ${where} but received (${shape.join(', ')})`);
  }
  const width = shape[shape.length - 1];
  const rows = shape.length === 1 ? 1 : shape[0];
  const model = modelForLength(width, options, where);
  const vectors = Array.from({ length: rows }, (_, k) => values.slice(k * width, (k + 1) * width));
  return { model, vectors, format: 'npy' };
}

/** One vector of a WeightVectors as an ImportedModel (`row` picks one of K; default the only one). */
export function importedFromVectors(v: WeightVectors, where: string, row?: number, filePath?: string): ImportedModel {
  if (row === undefined && v.vectors.length !== 1) {
    throw malformed(`Expected one weight vector for ${where} but received ${v.vectors.length} (choose one with a row index)`);
  }
  const k = row === undefined ? 0 : requireInteger('row', row, 0, v.vectors.length - 1);
  return { model: v.model, weights: v.vectors[k], format: v.format, output: 'vector', layers: [], ...(filePath !== undefined ? { path: filePath } : {}), notes: [] };
}

/** JSON text `{ "format": "lossscape-weights", "model", "weights" }` that parses back exactly. */
export function weightsJson(model: ModelSpec, weights: Float64Array | readonly Float64Array[]): string {
  const spec = requireModel(model);
  const rows = weights instanceof Float64Array ? [weights] : weights;
  const count = weightCount(spec);
  rows.forEach((r, k) => {
    if (!(r instanceof Float64Array) || r.length !== count) {
      throw new LandscapeError(expectedMessage(`Float64Array of length ${count}`, `weights[${k}]`, r), 'ERR_DIMENSION_MISMATCH');
    }
  });
  // JSON.stringify prints the shortest decimal that parses back to the same double.
  const body = rows.map((r) => Array.from(r));
  return JSON.stringify({ format: 'lossscape-weights', model: spec, weights: weights instanceof Float64Array ? body[0] : body });
}

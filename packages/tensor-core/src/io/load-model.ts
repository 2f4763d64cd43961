// SPDX-License-Identifier: MIT
/**
 * One entry point for every model file, told apart by content (not by extension):
 * zip → `.keras`; HDF5 → Keras `.h5`; `\x93NUMPY` → NPY weight vector; JSON with
 * `modelTopology` → TensorFlow.js `model.json`; other JSON → weight vector; a little-endian
 * header length followed by `{` → safetensors. A directory is read as `<dir>/model.json`.
 *
 * ```ts
 * const m = await loadModelFile('trained/model.json');
 * const m2 = await loadModelFile('w.npy', { inputs: 30 });       // bare vectors need the shape
 * requireFeatureCount(m, 30, 'creditcard.csv');                   // ERR_DIMENSION_MISMATCH names both numbers
 * ```
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LandscapeError } from '@lossscape/numeric';
import { malformed } from './architecture.js';
import { importKerasArchive, importKerasH5Bytes, isHdf5, isZip } from './keras.js';
import { importLayersModel } from './layers-model.js';
import { isNpy } from './npy.js';
import { importStateDict, parseSafetensors } from './safetensors.js';
import type { ImportedModel } from './types.js';
import { importedFromVectors, weightVectorsFromBytes, type WeightVectorOptions } from './weight-vector.js';

export interface LoadModelOptions extends WeightVectorOptions {
  /** For files holding K weight vectors (NPY (K, W), JSON rows): which one (0-based). */
  readonly row?: number;
}

export type DetectedFormat = 'keras' | 'keras-h5' | 'npy' | 'tfjs-layers' | 'json' | 'safetensors';

function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 9) return false;
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  return n > 0n && n <= BigInt(bytes.byteLength - 8) && bytes[8] === 0x7b; // '{'
}

/** The format of a file's content, or undefined when none matches. */
export function detectModelFormat(bytes: Uint8Array): DetectedFormat | undefined {
  if (isZip(bytes)) return 'keras';
  if (isHdf5(bytes)) return 'keras-h5';
  if (isNpy(bytes)) return 'npy';
  if (looksLikeSafetensors(bytes)) return 'safetensors';
  let k = 0;
  while (k < bytes.length && (bytes[k] === 0x20 || bytes[k] === 0x0a || bytes[k] === 0x0d || bytes[k] === 0x09 || bytes[k] === 0xef || bytes[k] === 0xbb || bytes[k] === 0xbf)) k++;
  if (bytes[k] === 0x5b) return 'json';
  if (bytes[k] === 0x7b) {
    // model.json always has modelTopology; a weight-vector JSON never does.
    const head = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 1 << 20)));
    return /"modelTopology"\s*:/.test(head) ? 'tfjs-layers' : 'json';
  }
  return undefined;
}

/** Reads any supported model file into the project's layout. */
export async function loadModelFile(filePath: string, options: LoadModelOptions = {}): Promise<ImportedModel> {
  let file = filePath;
  if ((await stat(file)).isDirectory()) file = path.join(file, 'model.json');
  const bytes = await readFile(file);
  const format = detectModelFormat(bytes);
  switch (format) {
    case 'keras':
      return importKerasArchive(bytes, file, file);
    case 'keras-h5':
      return importKerasH5Bytes(bytes, file, file);
    case 'safetensors':
      return importStateDict(parseSafetensors(bytes, file), file, file);
    case 'tfjs-layers':
      return importLayersModel(file);
    case 'npy':
    case 'json':
      return importedFromVectors(weightVectorsFromBytes(bytes, file, options), file, options.row, file);
    default: {
      const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw malformed(
        `Expected a model file (TensorFlow.js model.json, Keras .keras or .h5, safetensors, NPY or JSON weights) for ${file} but received unrecognised content (first bytes ${head || 'none: empty file'})`,
      );
    }
  }
}

/** Throws ERR_DIMENSION_MISMATCH naming both numbers when the model and the data disagree. */
export function requireFeatureCount(imported: ImportedModel, features: number, dataName: string): void {
  if (imported.model.inputs !== features) {
    throw new LandscapeError(
      `Expected a model with ${features} inputs (the feature count of ${dataName}) for ${imported.path ?? 'the model'} but received a model with ${imported.model.inputs} inputs`,
      'ERR_DIMENSION_MISMATCH',
    );
  }
}

// SPDX-License-Identifier: MIT
/**
 * What an importer returns, and the plain-JSON shapes of a TensorFlow.js LayersModel on disk
 * (`model.json`), declared here so that reading and writing them needs no TensorFlow.js.
 */
import type { ModelSpec } from '../model.js';

export type ModelFormat = 'tfjs-layers' | 'keras' | 'keras-h5' | 'safetensors' | 'npy' | 'json';

/**
 * How the source network's output layer became the project's softmax over C classes:
 * - `softmax`: a Dense(C ≥ 2) with softmax, taken as it is;
 * - `logits`: a Dense(C ≥ 2) without activation (trained with `from_logits` / PyTorch
 *   `CrossEntropyLoss`): the project applies the softmax;
 * - `sigmoid`: a Dense(1) with sigmoid, mapped exactly to two classes (σ(u) = softmax([0, u])₁);
 * - `logit`: a Dense(1) without activation (BCE with logits): the same mapping;
 * - `vector`: a bare weight vector already in the project's layout.
 */
export type OutputMapping = 'softmax' | 'logits' | 'sigmoid' | 'logit' | 'vector';

export interface ImportedModel {
  readonly model: ModelSpec;
  /** The project's layout: [W1 (hidden×inputs, row-major), b1, W2 (classes×hidden), b2]. */
  readonly weights: Float64Array;
  readonly format: ModelFormat;
  readonly output: OutputMapping;
  /** Source layer names, in order (Dense layers only; empty for bare vectors). */
  readonly layers: readonly string[];
  /** The file read (absent for in-memory sources). */
  readonly path?: string;
  /** Facts a user should know about the mapping (e.g. "hidden layer had no bias: b1 = 0"). */
  readonly notes: readonly string[];
}

/** One entry of a LayersModel weights manifest (tfjs `WeightsManifestEntry`). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  readonly quantization?: {
    readonly dtype: 'uint8' | 'uint16' | 'float16';
    readonly scale?: number;
    readonly min?: number;
  };
}

/** One group of `weightsManifest` in model.json. */
export interface WeightsManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

/** model.json of a TensorFlow.js LayersModel. */
export interface LayersModelJson {
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly modelTopology: Record<string, unknown>;
  readonly weightsManifest: readonly WeightsManifestGroup[];
}

/**
 * The in-memory form tfjs calls `ModelArtifacts` (the fields used here): what
 * `tf.io.fromMemory(artifacts)` and `tf.loadLayersModel` accept, and what `model.save` hands a
 * custom IOHandler.
 */
export interface LayersModelArtifacts {
  readonly modelTopology: Record<string, unknown>;
  readonly weightSpecs: readonly WeightSpec[];
  readonly weightData: ArrayBuffer;
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
}

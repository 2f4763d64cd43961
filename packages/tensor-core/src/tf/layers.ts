// SPDX-License-Identifier: MIT
/**
 * Between the project's weight vectors and TensorFlow.js LayersModels, in Node, without
 * tfjs-node (whose `file://` handler is the only built-in one that touches disk).
 *
 * ```ts
 * const model = await tf.loadLayersModel(fileSystemHandler('trained/model.json'));
 * await model.save(fileSystemHandler('out'));            // out/model.json + out/weights.bin
 * const imported = await fromLayersModel(model);          // → { model, weights, … } (project layout)
 * const net = await toLayersModel(imported.model, imported.weights);   // back to a tf.LayersModel
 * ```
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { importLayersArtifacts, readLayersModelArtifacts, toLayersModelArtifacts, writeLayersArtifacts, type LayersExportOptions } from '../io/layers-model.js';
import type { ImportedModel, LayersModelArtifacts } from '../io/types.js';
import type { ModelSpec } from '../model.js';

function toTfArtifacts(a: LayersModelArtifacts): tf.io.ModelArtifacts {
  return {
    modelTopology: a.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: a.weightSpecs as unknown as tf.io.WeightsManifestEntry[],
    weightData: a.weightData,
    ...(a.format !== undefined ? { format: a.format } : {}),
    ...(a.generatedBy !== undefined ? { generatedBy: a.generatedBy } : {}),
    ...(a.convertedBy !== undefined && a.convertedBy !== null ? { convertedBy: a.convertedBy } : {}),
  };
}

function fromTfArtifacts(a: tf.io.ModelArtifacts): LayersModelArtifacts {
  const data = a.weightData;
  // tfjs ≥ 4.10 may hand over a list of buffers (large models): concatenate.
  const weightData = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data as ArrayBuffer);
  return {
    modelTopology: a.modelTopology as Record<string, unknown>,
    weightSpecs: (a.weightSpecs ?? []) as unknown as LayersModelArtifacts['weightSpecs'],
    weightData,
    ...(a.format !== undefined ? { format: a.format } : {}),
    ...(a.generatedBy !== undefined ? { generatedBy: a.generatedBy } : {}),
    ...(a.convertedBy !== undefined ? { convertedBy: a.convertedBy } : {}),
  };
}

/**
 * An IOHandler over the local file system: `load` reads model.json (or `<dir>/model.json`) and
 * its shards; `save` writes `<dir>/model.json` + `<dir>/weights.bin`.
 */
export function fileSystemHandler(location: string): tf.io.IOHandler {
  return {
    async load() {
      let file = location;
      if ((await stat(file)).isDirectory()) file = path.join(file, 'model.json');
      return toTfArtifacts(await readLayersModelArtifacts(file));
    },
    async save(artifacts) {
      const dir = location.endsWith('.json') ? path.dirname(location) : location;
      const a = fromTfArtifacts(artifacts);
      await writeLayersArtifacts(dir, a);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(a.modelTopology).length,
          weightSpecsBytes: JSON.stringify(a.weightSpecs).length,
          weightDataBytes: a.weightData.byteLength,
        },
      };
    },
  };
}

/** A tf.LayersModel of the project's network with these weights (float32). */
export async function toLayersModel(model: ModelSpec, weights: Float64Array, options: LayersExportOptions = {}): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(toTfArtifacts(toLayersModelArtifacts(model, weights, options))));
}

/** The project's network from a tf.LayersModel (architecture checked as for model.json files). */
export async function fromLayersModel(layersModel: tf.LayersModel, name = 'LayersModel'): Promise<ImportedModel> {
  let captured: tf.io.ModelArtifacts | undefined;
  await layersModel.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return importLayersArtifacts(fromTfArtifacts(captured!), name);
}

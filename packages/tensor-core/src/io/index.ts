// SPDX-License-Identifier: MIT
// @lossscape/tensor-core/io — model and weight files without TensorFlow.js.
export type { ImportedModel, ModelFormat, OutputMapping, LayersModelArtifacts, LayersModelJson, WeightSpec, WeightsManifestGroup } from './types.js';
export { loadModelFile, detectModelFormat, requireFeatureCount, type LoadModelOptions, type DetectedFormat } from './load-model.js';
export {
  importLayersModel,
  importLayersArtifacts,
  readLayersModelArtifacts,
  parseLayersModelJson,
  toLayersModelArtifacts,
  layersModelJson,
  writeLayersArtifacts,
  writeLayersModel,
  type LayersExportOptions,
} from './layers-model.js';
export { importKerasFile, importKerasArchive, importKerasH5Bytes } from './keras.js';
export { importSafetensors, importStateDict, parseSafetensors, encodeSafetensors, type SafetensorsFile, type SafetensorsTensor, type SafetensorsDtype } from './safetensors.js';
export { parseNpy, encodeNpy, type NpyArray } from './npy.js';
export {
  importWeightVectors,
  parseWeightsJson,
  weightVectorsFromBytes,
  importedFromVectors,
  modelForLength,
  weightsJson,
  type WeightVectorOptions,
  type WeightVectors,
} from './weight-vector.js';
export { kerasLayers, analyseDenseStack, assembleWeights, type KerasLayer, type DenseStack, type DenseLayerInfo, type DenseParameters, type KernelOrientation } from './architecture.js';

// SPDX-License-Identifier: MIT
// @lossscape/tensor-core/tf — the only entry that imports TensorFlow.js.
import * as tf from '@tensorflow/tfjs';

/** The TensorFlow.js namespace these ops are registered in (use it to share one engine). */
export { tf };
export { initTfBackend, availableTfBackends, currentTfBackend, wasmDirectory, TF_BACKENDS, type TfBackendName, type TfBackendInfo, type TfBackendAttempt, type TfBackendOptions } from './backend.js';
export { tfLoss, pairwiseAucLoss, crossEntropyLoss, createPairCounter, type PairCounter, type TfLossOptions, type TfLossFunction } from './auc-loss.js';
export { tfPairwiseLosses } from './losses/registry.js';
export type { TfPairwiseLoss } from './losses/types.js';
export { stagedSum, stagedMean, stagedLogSumExp, STAGE_BLOCK } from './staged-sum.js';
export { evaluateBatched, type BatchedEvaluationOptions, type BatchedEvaluation } from './batched.js';
export { stratifiedBatches, type StratifiedBatchOptions } from './stratified-batches.js';
export { fileSystemHandler, toLayersModel, fromLayersModel } from './layers.js';

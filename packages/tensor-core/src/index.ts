// SPDX-License-Identifier: MIT
// The exact float64 core. TensorFlow.js ops live behind the "./tf" subpath, never here.
export {
  weightCount,
  weightLayout,
  randomWeights,
  requireModel,
  type ModelSpec,
  type WeightLayout,
  type RandomWeightsOptions,
} from './model.js';
export { forward, predictScores, type ForwardResult } from './forward.js';
export {
  createLossPotential,
  requireDataset,
  type Dataset,
  type LossPotential,
  type LossPotentialOptions,
  type ResolvedLossSpec,
} from './potential.js';
export { pairwiseLossAndGradient, pairwiseLossDirect, type PairwiseLossResult } from './pairwise.js';
export { auc, aucOfSplitScores } from './auc.js';
export { evaluateMinimum, type EvaluateMinimumOptions, type MinimumEvaluation } from './evaluate.js';
export { alignWeights, permuteHiddenUnits, type AlignmentResult } from './symmetry.js';
export { minimumCostAssignment } from './hungarian.js';
export { softmaxFlatDirections } from './flat-directions.js';
export { lossRegistry, lossKinds, resolveLoss } from './losses/registry.js';
export type {
  LossKind,
  PairwiseLossKind,
  LossSpec,
  PairwiseLossSpec,
  LossParameters,
  LossParameterName,
  LossWarning,
  LossDefinition,
  PairwiseLossDefinition,
  SampleLossDefinition,
  PairFunction,
  ScoreGradient,
  ScoreCurvature,
  CrossRequest,
} from './losses/types.js';
// Pair kernels as plain functions over Float64Arrays, for @lossscape/parallel's row blocks.
export { pairFactors, FACTOR_RANGE_LIMIT } from './kernels/pair-factors.js';
export { sigmoidPairsFirstOrder, sigmoidPairsFirstOrderDirect, sigmoidPairsSecondOrder } from './kernels/sigmoid-pairs.js';
export { tanhPairsFirstOrder, tanhPairsFirstOrderDirect, tanhPairsSecondOrder } from './kernels/tanh-pairs.js';
export { allocatePairSecondOrder, accumulatePairRow, type PairSecondOrderBuffers } from './kernels/pair-accumulate.js';
// Row blocks of those kernels on a @lossscape/parallel pool (createLossPotential's `pool` option uses this).
export {
  createPairThreads,
  pairBlockRows,
  DEFAULT_PARALLEL_THRESHOLD,
  type PairThreads,
  type PairThreadsOptions,
  type PairPlan,
  type PairKernels,
  type PairSecondOrderResult,
} from './kernels/pair-threads.js';

// SPDX-License-Identifier: MIT
export type { MinimizeResult, MinimizeOptions, Minimize } from './optimize/result.js';
export { lbfgs, LBFGS_DEFAULTS, type LbfgsOptions } from './optimize/lbfgs.js';
export { basinHopping, chainCheckpointKey, type BasinHoppingOptions, type BasinHoppingSummary } from './basin-hopping/basin-hopping.js';
export {
  BASIN_HOPPING_DEFAULTS,
  duplicateTest,
  type SamplingOptions,
  type DuplicateOptions,
  type Evaluator,
  type RandomPoint,
} from './basin-hopping/options.js';
export { evaluateAndStore, unevaluatedMinima } from './basin-hopping/evaluate.js';
export { calibrate, temperatureForAcceptance, type CalibrateOptions, type CalibrateResult } from './basin-hopping/calibrate.js';
export type { ChainCheckpoint } from './basin-hopping/chain.js';
export { runChains, type RunChainsOptions, type RunChainsSummary } from './chains/run-chains.js';
export { taskTransport, inThreadTransport, type ChainTransport, type ChainPort, type TaskTransportOptions } from './chains/transport.js';
export { chainTask, serveChain, type WorkerEndpoint } from './chains/chain-worker.js';
export {
  loadPotential,
  type PotentialFactory,
  type MainToWorker,
  type WorkerToMain,
  type StartMessage,
  type StepMessage,
} from './chains/protocol.js';
export type {
  SamplerEvent,
  SamplerEventType,
  StopReason,
  RunStartedEvent,
  QuenchEvent,
  MinimumAddedEvent,
  MinimumPropertiesEvent,
  StepSizeEvent,
  ProgressEvent,
  ReseedEvent,
  TransitionStateAddedEvent,
  ConnectionAttemptEvent,
  StatusEvent,
  WarningEvent,
  ChainFinishedEvent,
  RunFinishedEvent,
} from './events.js';
export { dneb, interpolate, type DnebOptions, type DnebResult } from './transition/dneb.js';
export { hessianVectorProduct, denseHessian, rayleighRitz, type Eigenpair, type RayleighRitzOptions } from './transition/eigen.js';
export {
  followEigenvector,
  uphillStep,
  type EigenvectorFollowingOptions,
  type EigenvectorFollowingResult,
} from './transition/eigenvector-following.js';
export {
  findTransitionState,
  checkIndex,
  samePoint,
  type TransitionStateOptions,
  type IndexCheck,
  type FoundTransitionState,
  type RejectedCandidate,
  type TransitionStateSearchResult,
} from './transition/find-transition-state.js';
export {
  connect,
  connectPair,
  minimumDistance,
  type ConnectStrategy,
  type ConnectOptions,
  type ConnectSummary,
  type PairAttempt,
} from './connect/connect.js';
export { Components, componentsOf, missingConnectionPath, type MissingPath } from './connect/graph.js';
export { mapMinima, type SourceMinimum, type MapMinimaOptions, type MappedMinimum } from './connect/map-minima.js';
export { lennardJonesCluster, latticeStart, type LennardJonesOptions } from './model/lennard-jones.js';

// SPDX-License-Identifier: MIT
export type { MinimizeResult, MinimizeOptions, Minimize } from './optimize/result.js';
export { lbfgs, LBFGS_DEFAULTS, type LbfgsOptions } from './optimize/lbfgs.js';
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
  WarningEvent,
  ChainFinishedEvent,
  RunFinishedEvent,
} from './events.js';

// SPDX-License-Identifier: MIT
export type { MinimumProperties, MinimumRecord, TransitionStateRecord, RunManifest, DiscoveryPoint } from './records.js';
export type {
  MinimumCandidate,
  DuplicateTest,
  AddMinimumResult,
  AddTransitionStateResult,
  TransitionStateCandidate,
  LandscapeStore,
} from './store.js';

// SPDX-License-Identifier: MIT
/**
 * Typed events of a sampler run (STYLE R12): libraries never print; a dashboard or a log
 * follows the stream. `type`s are kebab-case; every event names its `chain` (0-based; −1 for
 * work not tied to a chain, such as connection searches) and `elapsedMs` since the run began.
 */
import type { MinimumProperties } from '@lossscape/landscape';

interface EventBase {
  readonly chain: number;
  readonly elapsedMs: number;
}

/** A run (all chains) begins. */
export interface RunStartedEvent extends EventBase {
  readonly type: 'run-started';
  readonly chains: number;
  /** Step budget per chain (Infinity when only time- or stagnation-limited). */
  readonly steps: number;
  readonly timeBudgetMs: number;
  readonly temperature: number;
  readonly stepSize: number;
  readonly seed: number;
  /** Quenches already done when resuming (0 for a fresh run). */
  readonly resumedQuenches: number;
  readonly resumedMinima: number;
}

/** One basin-hopping step: perturb, quench, Metropolis test. */
export interface QuenchEvent extends EventBase {
  readonly type: 'quench';
  /** Step index within the chain (0-based). */
  readonly step: number;
  readonly energy: number;
  readonly rmsGradient: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly accepted: boolean;
  /** Id of the stored minimum it landed in; null when the quench failed. */
  readonly minimumId: number | null;
  readonly isNew: boolean;
  /** Energy of the chain's current (last accepted) minimum after this step. */
  readonly currentEnergy: number;
}

export interface MinimumAddedEvent extends EventBase {
  readonly type: 'minimum-added';
  readonly step: number;
  readonly minimum: { readonly id: number; readonly energy: number };
  readonly distinctMinima: number;
}

/** Properties (test AUC, LPPHE, …) computed for a stored minimum by the injected evaluator. */
export interface MinimumPropertiesEvent extends EventBase {
  readonly type: 'minimum-properties';
  readonly minimumId: number;
  readonly properties: MinimumProperties;
}

/** The adaptive step size changed (or was calibrated). */
export interface StepSizeEvent extends EventBase {
  readonly type: 'step-size';
  readonly step: number;
  readonly stepSize: number;
  readonly temperature: number;
  /** Acceptance ratio over the last adaptation window. */
  readonly acceptance: number;
}

/** Periodic summary (at most a few per second per chain). */
export interface ProgressEvent extends EventBase {
  readonly type: 'progress';
  readonly step: number;
  /** Step budget of this chain (Infinity if none). */
  readonly steps: number;
  /** Quenches done by all chains in this database, including before a resume. */
  readonly totalQuenches: number;
  readonly distinctMinima: number;
  readonly bestEnergy: number;
  readonly acceptance: number;
  readonly stepSize: number;
  /** Quenches since the last new minimum (for the stagnation stop). */
  readonly sinceLastNew: number;
}

/** The chain restarted from a fresh random point after a long stagnation. */
export interface ReseedEvent extends EventBase {
  readonly type: 'reseed';
  readonly step: number;
  readonly reason: string;
}

export interface TransitionStateAddedEvent extends EventBase {
  readonly type: 'transition-state-added';
  readonly transitionState: { readonly id: number; readonly energy: number; readonly minimum1: number; readonly minimum2: number };
  readonly transitionStates: number;
}

export interface ConnectionAttemptEvent extends EventBase {
  readonly type: 'connection-attempt';
  readonly minimum1: number;
  readonly minimum2: number;
  readonly connected: boolean;
  readonly transitionStatesFound: number;
  readonly message: string;
}

/** What the run is doing when it is not quenching (calibrating, searching transition states …). */
export interface StatusEvent extends EventBase {
  readonly type: 'status';
  readonly message: string;
}

export interface WarningEvent extends EventBase {
  readonly type: 'warning';
  readonly code: string;
  readonly message: string;
}

export type StopReason = 'steps' | 'time' | 'stagnation' | 'aborted' | 'connected' | 'budget';

export interface ChainFinishedEvent extends EventBase {
  readonly type: 'chain-finished';
  readonly reason: StopReason;
  readonly steps: number;
}

export interface RunFinishedEvent extends EventBase {
  readonly type: 'run-finished';
  readonly reason: StopReason;
  readonly totalQuenches: number;
  readonly distinctMinima: number;
  readonly transitionStates: number;
}

export type SamplerEvent =
  | RunStartedEvent
  | QuenchEvent
  | MinimumAddedEvent
  | MinimumPropertiesEvent
  | StepSizeEvent
  | ProgressEvent
  | ReseedEvent
  | TransitionStateAddedEvent
  | ConnectionAttemptEvent
  | StatusEvent
  | WarningEvent
  | ChainFinishedEvent
  | RunFinishedEvent;

export type SamplerEventType = SamplerEvent['type'];

// SPDX-License-Identifier: MIT
/**
 * Figures derived from the state when drawing (pure, O(chains) at most): quench rate, progress
 * and ETA, run status. Kept out of the reducer so that events stay cheap; a frame computes them
 * once.
 */
import { DASHBOARD_LIMITS, type DashboardState } from './state.js';

/**
 * Quenches per second over the sliding window (`DASHBOARD_LIMITS.rateWindowMs`, sampled every
 * `rateSampleMs`); NaN until the window spans at least one sample interval.
 */
export function quenchRate(state: DashboardState): number {
  const first = state.rateSamples[0];
  if (first === undefined) return NaN;
  const dt = state.elapsedMs - first.elapsedMs;
  if (!(dt >= DASHBOARD_LIMITS.rateSampleMs)) return NaN;
  return ((state.quenches - first.quenches) * 1000) / dt;
}

export interface Progress {
  readonly stepsDone: number;
  /** Total step budget over all chains (Infinity: no step limit). */
  readonly stepBudget: number;
  /** 0 … 1: the larger of the step and time fractions; 1 once finished; NaN when there is no budget. */
  readonly fraction: number;
  /** Milliseconds left: the sooner of the step budget (at the current rate) and the time budget; NaN if unknown. */
  readonly etaMs: number;
  /** Which budget the fraction follows. */
  readonly limitedBy: 'steps' | 'time' | undefined;
}

/** Step budget over all chains, from `run-started`/`progress` events, else from the RunInfo budget. */
export function stepBudgetOf(state: DashboardState): number {
  const perChain = state.run.budget?.stepsPerChain ?? Infinity;
  const expected = state.run.budget?.chains ?? 1;
  let budget = 0;
  for (const c of state.chains) budget += Number.isNaN(c.stepBudget) ? perChain : c.stepBudget;
  const missing = expected - state.chains.length;
  if (missing > 0) budget += missing * perChain;
  return budget;
}

export function progressOf(state: DashboardState): Progress {
  const stepBudget = stepBudgetOf(state);
  const stepsDone = state.stepsDone;
  if (state.finished) return { stepsDone, stepBudget, fraction: 1, etaMs: 0, limitedBy: undefined };
  const stepFraction = Number.isFinite(stepBudget) && stepBudget > 0 ? Math.min(1, stepsDone / stepBudget) : NaN;
  const timeFraction = Number.isFinite(state.timeBudgetMs) ? Math.min(1, state.elapsedMs / state.timeBudgetMs) : NaN;
  const rate = quenchRate(state);
  const stepEta = Number.isFinite(stepFraction) && rate > 0 ? (Math.max(0, stepBudget - stepsDone) / rate) * 1000 : NaN;
  const timeEta = Number.isFinite(timeFraction) ? Math.max(0, state.timeBudgetMs - state.elapsedMs) : NaN;
  let limitedBy: Progress['limitedBy'];
  if (!Number.isNaN(stepFraction) && (Number.isNaN(timeFraction) || stepFraction >= timeFraction)) limitedBy = 'steps';
  else if (!Number.isNaN(timeFraction)) limitedBy = 'time';
  const fraction = limitedBy === 'steps' ? stepFraction : limitedBy === 'time' ? timeFraction : NaN;
  const etaMs = Number.isNaN(stepEta) ? timeEta : Number.isNaN(timeEta) ? stepEta : Math.min(stepEta, timeEta);
  return { stepsDone, stepBudget, fraction, etaMs, limitedBy };
}

/** Mean test AUC over the minima evaluated so far; NaN before the first. */
export function meanTestAuc(state: DashboardState): number {
  return state.testAucCount > 0 ? state.testAucSum / state.testAucCount : NaN;
}

export type RunStatus = 'waiting' | 'running' | 'paused' | 'stopping' | 'finished' | 'ended' | 'failed';

/** One word for the header: what the run is doing now. */
export function runStatus(state: DashboardState): RunStatus {
  if (state.sourceError !== undefined) return 'failed';
  if (state.finished) return 'finished';
  if (state.sourceEnded) return 'ended';
  if (state.quitting) return 'stopping';
  if (state.paused) return 'paused';
  return state.started ? 'running' : 'waiting';
}

/** Distinct minima over the whole run: closed buckets plus the current value. */
export function discoveryValues(state: DashboardState): readonly number[] {
  return [...state.discovery.values, state.distinctMinima];
}

// SPDX-License-Identifier: MIT
/**
 * The dashboard's view state and the pure reducer that folds sampler events into it
 * (STYLE R13: computing is separate from presenting; this file knows nothing of Ink).
 *
 * ```ts
 * let state = initialDashboard({ name: 'demo', data: 'spiral 194 points', loss: 'sigmoid β=40' });
 * for await (const event of basinHopping(options)) state = reduceDashboard(state, event);
 * progressOf(state).fraction; // 0 … 1
 * ```
 *
 * Memory is flat over a run of any length: every list is bounded (see `DASHBOARD_LIMITS`), and
 * each event costs O(1) amortised (O(chains) for per-chain events, O(capacity) with small fixed
 * capacities only when a bounded list actually changes).
 */
import type { SamplerEvent, StopReason } from '@lossscape/sampler';
import { expectedMessage } from '@lossscape/numeric';
import { advanceSeries, emptySeries, insertLowestBounded, prependBounded, updateByKey, updateWhere, type DecimatedSeries } from './bounded.js';

/** Capacities of every list in the state (tests check that they hold after 100 000 events). */
export const DASHBOARD_LIMITS = Object.freeze({
  /** Lowest minima kept for the minima list, the histogram and the graph. */
  lowestMinima: 200,
  /** Lowest transition states kept for the graph view. */
  lowestTransitionStates: 400,
  /** Newest minima, newest first. */
  latestMinima: 10,
  /** Newest warnings, newest first. */
  warnings: 20,
  /** Chains tracked individually; events of chains beyond this are counted but not tabled. */
  chains: 64,
  /** Buckets of the distinct-minima-over-time series (merged pairwise when full). */
  discoveryBuckets: 120,
  /** Initial bucket width of that series. */
  discoveryBucketMs: 1000,
  /** Sliding window over which quenches per second are measured. */
  rateWindowMs: 10_000,
  /** Spacing of the (time, quenches) samples in that window. */
  rateSampleMs: 250,
});

/** Static description of a run, known before its first event. */
export interface RunInfo {
  /** Run name (e.g. the database file name). */
  readonly name: string;
  /** One-line dataset summary (e.g. "spiral 194 points, 2 features, 80/20 split"). */
  readonly data: string;
  /** One-line loss description (e.g. "sigmoid β=40, λ=1e-5"). */
  readonly loss: string;
  readonly budget?: RunBudget;
}

/** The run's budget as configured; `run-started` events refine it. Omitted fields mean "none". */
export interface RunBudget {
  /** Basin-hopping steps per chain (counting steps done before a resume). */
  readonly stepsPerChain?: number;
  /** Wall-clock budget of this session in milliseconds. */
  readonly timeMs?: number;
  readonly chains?: number;
}

/** One basin-hopping chain as the chain table shows it. NaN means "not known yet". */
export interface ChainView {
  readonly chain: number;
  /** Steps done, including those done before a resume. */
  readonly stepsDone: number;
  /** Step budget of this chain (Infinity: none, NaN: not announced). */
  readonly stepBudget: number;
  /** Quenches seen in this session. */
  readonly quenches: number;
  readonly accepted: number;
  /** Accepted / quenches over this session; before the first quench, the last `progress` figure. */
  readonly acceptance: number;
  /** Acceptance over the last step-size adaptation window (`step-size` events). */
  readonly windowAcceptance: number;
  readonly stepSize: number;
  readonly temperature: number;
  /** Energy of the chain's current (last accepted) minimum. */
  readonly currentEnergy: number;
  readonly bestEnergy: number;
  /** Quenches since this chain last found a new minimum. */
  readonly sinceLastNew: number;
  readonly reseeds: number;
  /** Why it stopped; undefined while it runs. */
  readonly finished: StopReason | undefined;
}

/** A minimum as the lists show it; properties fill in when `minimum-properties` arrives. */
export interface MinimumView {
  readonly id: number;
  readonly energy: number;
  /** Chain that found it (−1: a connection search). */
  readonly chain: number;
  readonly step: number;
  readonly elapsedMs: number;
  readonly testAuc?: number;
  readonly trainAuc?: number;
  readonly lpphe?: number;
  readonly flag?: string;
}

export interface TransitionStateView {
  readonly id: number;
  readonly energy: number;
  readonly minimum1: number;
  readonly minimum2: number;
}

export interface WarningView {
  readonly elapsedMs: number;
  readonly chain: number;
  readonly code: string;
  readonly message: string;
}

/** One point of the sliding quench-rate window. */
export interface RateSample {
  readonly elapsedMs: number;
  readonly quenches: number;
}

/**
 * Events the dashboard itself adds to the sampler's vocabulary: clock ticks between events, the
 * user's pause and quit keys, and the end of the event source.
 */
export type DashboardControlEvent =
  | { readonly type: 'dashboard-clock'; readonly elapsedMs: number }
  | { readonly type: 'dashboard-paused'; readonly paused: boolean }
  | { readonly type: 'dashboard-quitting' }
  | { readonly type: 'dashboard-source-ended'; readonly error?: string };

export type DashboardAction = SamplerEvent | DashboardControlEvent;

export interface DashboardState {
  readonly run: RunInfo;
  /** True once any sampler event arrived. */
  readonly started: boolean;
  /** True once every known chain finished and a `run-finished` arrived. */
  readonly finished: boolean;
  readonly finishReason: StopReason | undefined;
  readonly paused: boolean;
  readonly quitting: boolean;
  readonly sourceEnded: boolean;
  readonly sourceError: string | undefined;
  /** Milliseconds since the run (this session) began: the latest event or clock tick. */
  readonly elapsedMs: number;
  /** This session's wall-clock budget (Infinity: none). */
  readonly timeBudgetMs: number;
  /** Chains in ascending chain order. */
  readonly chains: readonly ChainView[];
  /** Sum of `stepsDone` over the chains. */
  readonly stepsDone: number;
  /** Actions reduced so far (sampler events and control events). */
  readonly events: number;
  /** Quench events seen in this session, and how many of them did not converge. */
  readonly quenches: number;
  readonly failedQuenches: number;
  readonly distinctMinima: number;
  readonly transitionStates: number;
  readonly bestEnergy: number;
  readonly bestMinimumId: number | undefined;
  /** Test AUC over every minimum whose properties arrived. */
  readonly testAucCount: number;
  readonly testAucSum: number;
  readonly bestTestAuc: number;
  readonly bestTestAucMinimumId: number | undefined;
  readonly rateSamples: readonly RateSample[];
  /** Distinct minima over time (whole run, bounded). */
  readonly discovery: DecimatedSeries;
  readonly latestMinima: readonly MinimumView[];
  /** Ascending energy. */
  readonly lowestMinima: readonly MinimumView[];
  /** Ascending energy. */
  readonly lowestTransitionStates: readonly TransitionStateView[];
  /** Newest first. */
  readonly warnings: readonly WarningView[];
  /** The latest `status` message (what the run is doing between quenches). */
  readonly activity: string | undefined;
  readonly warningCount: number;
  readonly reseeds: number;
  readonly connectionAttempts: number;
  readonly connectionsMade: number;
}

function requireText(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(expectedMessage('string', name, value));
  return value;
}

function requireOptionalBudget(name: string, value: unknown, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(expectedMessage('number', name, value));
  if (!(value > 0) || (integer && Number.isFinite(value) && !Number.isInteger(value))) {
    throw new RangeError(expectedMessage(integer ? 'positive integer or Infinity' : 'positive number or Infinity', name, value));
  }
  return value;
}

/** Validates a RunInfo (public edge: it comes from the CLI's configuration). */
export function requireRunInfo(runInfo: unknown): RunInfo {
  if (runInfo === null || typeof runInfo !== 'object') throw new TypeError(expectedMessage('{ name, data, loss }', 'runInfo', runInfo));
  const r = runInfo as Record<string, unknown>;
  requireText('runInfo.name', r.name);
  requireText('runInfo.data', r.data);
  requireText('runInfo.loss', r.loss);
  if (r.budget !== undefined) {
    if (r.budget === null || typeof r.budget !== 'object') throw new TypeError(expectedMessage('object', 'runInfo.budget', r.budget));
    const b = r.budget as Record<string, unknown>;
    requireOptionalBudget('runInfo.budget.stepsPerChain', b.stepsPerChain, true);
    requireOptionalBudget('runInfo.budget.timeMs', b.timeMs, false);
    requireOptionalBudget('runInfo.budget.chains', b.chains, true);
  }
  return runInfo as RunInfo;
}

/** The state before any event. Throws TypeError/RangeError for a malformed `runInfo`. */
export function initialDashboard(runInfo: RunInfo): DashboardState {
  const run = requireRunInfo(runInfo);
  return {
    run,
    started: false,
    finished: false,
    finishReason: undefined,
    paused: false,
    quitting: false,
    sourceEnded: false,
    sourceError: undefined,
    elapsedMs: 0,
    timeBudgetMs: run.budget?.timeMs ?? Infinity,
    chains: [],
    stepsDone: 0,
    events: 0,
    quenches: 0,
    failedQuenches: 0,
    distinctMinima: 0,
    transitionStates: 0,
    bestEnergy: Infinity,
    bestMinimumId: undefined,
    testAucCount: 0,
    testAucSum: 0,
    bestTestAuc: -Infinity,
    bestTestAucMinimumId: undefined,
    rateSamples: [],
    discovery: emptySeries(DASHBOARD_LIMITS.discoveryBucketMs, DASHBOARD_LIMITS.discoveryBuckets),
    latestMinima: [],
    lowestMinima: [],
    lowestTransitionStates: [],
    warnings: [],
    activity: undefined,
    warningCount: 0,
    reseeds: 0,
    connectionAttempts: 0,
    connectionsMade: 0,
  };
}

function newChain(chain: number): ChainView {
  return {
    chain,
    stepsDone: 0,
    stepBudget: NaN,
    quenches: 0,
    accepted: 0,
    acceptance: NaN,
    windowAcceptance: NaN,
    stepSize: NaN,
    temperature: NaN,
    currentEnergy: NaN,
    bestEnergy: Infinity,
    sinceLastNew: 0,
    reseeds: 0,
    finished: undefined,
  };
}

/** Mutable draft of the fields most events touch; the reducer copies the state once per event. */
type Draft = { -readonly [K in keyof DashboardState]: DashboardState[K] };

/**
 * Applies `update` to chain `chain`, creating it when new (chains beyond the limit, and chain −1
 * — work not tied to a chain — are not tabled). Keeps `stepsDone` in sync. O(chains).
 */
function withChain(d: Draft, chain: number, update: (c: ChainView) => ChainView): void {
  if (!Number.isInteger(chain) || chain < 0) return;
  const chains = d.chains;
  let lo = 0;
  let hi = chains.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (chains[mid].chain < chain) lo = mid + 1;
    else hi = mid;
  }
  const exists = lo < chains.length && chains[lo].chain === chain;
  if (!exists && chains.length >= DASHBOARD_LIMITS.chains) return;
  const before = exists ? chains[lo] : newChain(chain);
  const after = update(before);
  if (after === before && exists) return;
  const out = chains.slice();
  if (exists) out[lo] = after;
  else out.splice(lo, 0, after);
  d.chains = out;
  d.stepsDone += after.stepsDone - (exists ? before.stepsDone : 0);
}

function noteEnergy(d: Draft, energy: number, minimumId: number | undefined): void {
  if (energy < d.bestEnergy) {
    d.bestEnergy = energy;
    d.bestMinimumId = minimumId;
  } else if (energy === d.bestEnergy && d.bestMinimumId === undefined && minimumId !== undefined) {
    d.bestMinimumId = minimumId;
  }
}

function addWarning(d: Draft, warning: WarningView): void {
  d.warnings = prependBounded(d.warnings, warning, DASHBOARD_LIMITS.warnings);
  d.warningCount += 1;
}

const energyOf = (m: { readonly energy: number }): number => m.energy;
const sameId = (a: { readonly id: number }, b: { readonly id: number }): boolean => a.id === b.id;

/** Moves the clock to `t` (never backwards): closes discovery buckets and samples the rate. */
function advanceClock(d: Draft, t: number): void {
  if (!(t > d.elapsedMs)) return;
  d.discovery = advanceSeries(d.discovery, t, d.distinctMinima);
  d.elapsedMs = t;
}

/** Records a (time, quenches) sample at most every `rateSampleMs`, dropping those older than the window. */
function sampleRate(d: Draft): void {
  const samples = d.rateSamples;
  const last = samples[samples.length - 1];
  if (last !== undefined && d.elapsedMs - last.elapsedMs < DASHBOARD_LIMITS.rateSampleMs) return;
  const horizon = d.elapsedMs - DASHBOARD_LIMITS.rateWindowMs;
  // Keep one sample at or before the window's start so the rate spans the whole window.
  let drop = 0;
  while (drop + 1 < samples.length && samples[drop + 1].elapsedMs <= horizon) drop++;
  const out = samples.slice(drop);
  out.push({ elapsedMs: d.elapsedMs, quenches: d.quenches });
  d.rateSamples = out;
}

function allChainsFinished(chains: readonly ChainView[]): boolean {
  for (const c of chains) if (c.finished === undefined) return false;
  return true;
}

const SAMPLER_EVENT_TYPES: ReadonlySet<string> = new Set<SamplerEvent['type']>([
  'run-started',
  'quench',
  'minimum-added',
  'minimum-properties',
  'step-size',
  'progress',
  'reseed',
  'transition-state-added',
  'connection-attempt',
  'warning',
  'status',
  'chain-finished',
  'run-finished',
]);

function reduceSampler(d: Draft, e: SamplerEvent): void {
  switch (e.type) {
    case 'run-started': {
      const first = e.chains > 1 ? 0 : e.chain;
      const count = Math.max(1, Math.min(e.chains, DASHBOARD_LIMITS.chains));
      for (let c = first; c < first + count; c++) {
        withChain(d, c, (ch) => ({
          ...ch,
          stepBudget: e.steps,
          stepSize: e.stepSize,
          temperature: e.temperature,
          stepsDone: Math.max(ch.stepsDone, c === e.chain ? e.resumedQuenches : 0),
          finished: undefined,
        }));
      }
      if (e.timeBudgetMs > 0) d.timeBudgetMs = e.timeBudgetMs;
      d.distinctMinima = Math.max(d.distinctMinima, e.resumedMinima);
      d.finished = false;
      d.finishReason = undefined;
      return;
    }
    case 'quench': {
      d.activity = undefined;
      d.quenches += 1;
      if (!e.converged) d.failedQuenches += 1;
      else noteEnergy(d, e.energy, e.minimumId ?? undefined);
      withChain(d, e.chain, (c) => {
        const quenches = c.quenches + 1;
        const accepted = c.accepted + (e.accepted ? 1 : 0);
        return {
          ...c,
          stepsDone: Math.max(c.stepsDone, e.step + 1),
          quenches,
          accepted,
          acceptance: accepted / quenches,
          currentEnergy: e.currentEnergy,
          bestEnergy: e.converged && e.energy < c.bestEnergy ? e.energy : c.bestEnergy,
          sinceLastNew: e.isNew ? 0 : c.sinceLastNew + 1,
        };
      });
      sampleRate(d);
      return;
    }
    case 'minimum-added': {
      const m: MinimumView = { id: e.minimum.id, energy: e.minimum.energy, chain: e.chain, step: e.step, elapsedMs: e.elapsedMs };
      d.distinctMinima = Math.max(d.distinctMinima, e.distinctMinima);
      noteEnergy(d, m.energy, m.id);
      if (d.latestMinima.length === 0 || d.latestMinima[0].id !== m.id) {
        d.latestMinima = prependBounded(d.latestMinima, m, DASHBOARD_LIMITS.latestMinima);
      }
      d.lowestMinima = insertLowestBounded(d.lowestMinima, m, DASHBOARD_LIMITS.lowestMinima, energyOf, sameId);
      return;
    }
    case 'minimum-properties': {
      const p = e.properties;
      const auc = p.testAuc;
      if (typeof auc === 'number' && Number.isFinite(auc)) {
        d.testAucCount += 1;
        d.testAucSum += auc;
        if (auc > d.bestTestAuc) {
          d.bestTestAuc = auc;
          d.bestTestAucMinimumId = e.minimumId;
        }
      }
      const withProperties = (m: MinimumView): MinimumView => ({
        id: m.id,
        energy: m.energy,
        chain: m.chain,
        step: m.step,
        elapsedMs: m.elapsedMs,
        testAuc: p.testAuc ?? m.testAuc,
        trainAuc: p.trainAuc ?? m.trainAuc,
        lpphe: p.lpphe ?? m.lpphe,
        flag: p.flag ?? m.flag,
      });
      const isIt = (m: MinimumView): boolean => m.id === e.minimumId;
      d.latestMinima = updateWhere(d.latestMinima, isIt, withProperties);
      // Properties usually follow their minimum-added at once: find its energy among the latest
      // and binary-search the lowest list instead of scanning it.
      const known = d.latestMinima.find(isIt);
      d.lowestMinima = known !== undefined ? updateByKey(d.lowestMinima, known.energy, isIt, withProperties) : updateWhere(d.lowestMinima, isIt, withProperties);
      return;
    }
    case 'step-size':
      withChain(d, e.chain, (c) => ({ ...c, stepSize: e.stepSize, temperature: e.temperature, windowAcceptance: e.acceptance }));
      return;
    case 'progress':
      d.distinctMinima = Math.max(d.distinctMinima, e.distinctMinima);
      if (Number.isFinite(e.bestEnergy)) noteEnergy(d, e.bestEnergy, undefined);
      withChain(d, e.chain, (c) => ({
        ...c,
        stepsDone: Math.max(c.stepsDone, e.step),
        stepBudget: e.steps,
        acceptance: c.quenches > 0 ? c.acceptance : e.acceptance,
        stepSize: e.stepSize,
        bestEnergy: Math.min(c.bestEnergy, e.bestEnergy),
        sinceLastNew: e.sinceLastNew,
      }));
      sampleRate(d);
      return;
    case 'reseed':
      d.reseeds += 1;
      withChain(d, e.chain, (c) => ({ ...c, reseeds: c.reseeds + 1, sinceLastNew: 0 }));
      return;
    case 'transition-state-added': {
      const t = e.transitionState;
      d.transitionStates = Math.max(d.transitionStates, e.transitionStates);
      const view: TransitionStateView = { id: t.id, energy: t.energy, minimum1: t.minimum1, minimum2: t.minimum2 };
      d.lowestTransitionStates = insertLowestBounded(d.lowestTransitionStates, view, DASHBOARD_LIMITS.lowestTransitionStates, energyOf, sameId);
      return;
    }
    case 'connection-attempt':
      d.connectionAttempts += 1;
      if (e.connected) d.connectionsMade += 1;
      return;
    case 'warning':
      addWarning(d, { elapsedMs: e.elapsedMs, chain: e.chain, code: e.code, message: e.message });
      return;
    case 'status':
      d.activity = e.message;
      return;
    case 'chain-finished':
      withChain(d, e.chain, (c) => ({ ...c, stepsDone: Math.max(c.stepsDone, e.steps), finished: e.reason }));
      return;
    case 'run-finished':
      d.distinctMinima = Math.max(d.distinctMinima, e.distinctMinima);
      d.transitionStates = Math.max(d.transitionStates, e.transitionStates);
      d.finishReason = e.reason;
      d.finished = allChainsFinished(d.chains);
      sampleRate(d);
      return;
  }
}

/** True for an event of the sampler vocabulary this reducer knows. */
export function isSamplerEvent(action: DashboardAction): action is SamplerEvent {
  return SAMPLER_EVENT_TYPES.has(action.type) && typeof (action as SamplerEvent).elapsedMs === 'number';
}

/** Applies one action to the draft; false (and the draft untouched) when it changes nothing. */
function apply(d: Draft, action: DashboardAction): boolean {
  switch (action.type) {
    case 'dashboard-clock': {
      if (d.finished || d.sourceEnded || !d.started || !(action.elapsedMs > d.elapsedMs)) return false;
      advanceClock(d, action.elapsedMs);
      sampleRate(d);
      d.events += 1;
      return true;
    }
    case 'dashboard-paused':
      if (d.paused === action.paused) return false;
      d.paused = action.paused;
      d.events += 1;
      return true;
    case 'dashboard-quitting':
      if (d.quitting) return false;
      d.quitting = true;
      d.events += 1;
      return true;
    case 'dashboard-source-ended':
      if (d.sourceEnded) return false;
      d.sourceEnded = true;
      if (action.error !== undefined) {
        d.sourceError = action.error;
        addWarning(d, { elapsedMs: d.elapsedMs, chain: -1, code: 'ERR_SOURCE', message: action.error });
      }
      d.events += 1;
      return true;
    default: {
      if (!isSamplerEvent(action)) return false;
      d.started = true;
      advanceClock(d, action.elapsedMs);
      if (d.rateSamples.length === 0) d.rateSamples = [{ elapsedMs: d.elapsedMs, quenches: d.quenches }];
      reduceSampler(d, action);
      d.events += 1;
      return true;
    }
  }
}

/**
 * Folds one event into the state and returns the new state; never mutates `state`. Returns
 * `state` itself for an action that changes nothing, or one it does not know (the sampler
 * vocabulary may grow). Events may come from several chains whose clocks differ slightly: the
 * clock never runs backwards.
 */
export function reduceDashboard(state: DashboardState, action: DashboardAction): DashboardState {
  const d: Draft = { ...state };
  return apply(d, action) ? d : state;
}

/**
 * Folds many events at once; equal to folding them one by one with `reduceDashboard`, but copies
 * the top-level state once per batch rather than once per event (the store reduces the events
 * of each frame this way). Never mutates `state`.
 */
export function reduceDashboardMany(state: DashboardState, actions: Iterable<DashboardAction>): DashboardState {
  const d: Draft = { ...state };
  let changed = false;
  for (const action of actions) if (apply(d, action)) changed = true;
  return changed ? d : state;
}

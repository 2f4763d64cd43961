// SPDX-License-Identifier: MIT
/**
 * One basin-hopping chain as a small state machine, free of storage and events, so the same
 * code runs in-process (`basinHopping`) and inside a worker thread (`runChains`).
 *
 * A step: take the trial point (current minimum + uniform noise in ±stepSize per coordinate,
 * or — when the chain has no current minimum — the start point or a fresh random point),
 * quench it, and apply the Metropolis test at the fictitious temperature. Every `adaptEvery`
 * steps the step size is multiplied or divided by `adaptFactor` towards the target acceptance
 * (GMIN's scheme). Novelty (whether the quench found a new minimum) is known only after the
 * database has looked at it, so the counters that depend on it are updated by the pure
 * `applyNovelty`, which the database transaction also uses to write the checkpoint.
 */
import { createRng, rngFromState, type Potential, type Rng } from '@lossscape/numeric';
import type { Minimize, MinimizeOptions, MinimizeResult } from '../optimize/result.js';

/** Settings a chain needs; all validated by the public entry points. */
export interface ChainSettings {
  readonly temperature: number;
  readonly targetAcceptance: number;
  readonly adaptEvery: number;
  readonly adaptFactor: number;
  readonly minStepSize: number;
  readonly maxStepSize: number;
  /** Reseed after this many quenches without a new minimum (Infinity: never). */
  readonly reseedAfter: number;
  /** Half-width of the default fresh random point about x0, per coordinate. */
  readonly reseedScale: number;
  readonly minimizeOptions: MinimizeOptions;
}

/** Everything needed to continue a chain exactly: JSON-serialisable, stored as a checkpoint. */
export interface ChainCheckpoint {
  readonly version: 1;
  readonly chain: number;
  readonly dimension: number;
  /** Steps (quenches) this chain has done; the next step's index. */
  readonly step: number;
  /** Current (last accepted) minimum, or null before the first converged quench / after a reseed. */
  readonly x: number[] | null;
  readonly energy: number;
  /** Where the next trial comes from when `x` is null. */
  readonly restartFrom: 'x0' | 'random';
  readonly stepSize: number;
  readonly rng: number[];
  readonly accepted: number;
  readonly converged: number;
  readonly windowSteps: number;
  readonly windowAccepted: number;
  /** Quenches since this chain last found a new minimum (the stagnation stop). */
  readonly sinceNew: number;
  /** Quenches since a new minimum or a reseed (the reseed trigger). */
  readonly sinceProgress: number;
  readonly bestEnergy: number;
  readonly reseeds: number;
  /** Wall time spent in this chain over all sessions (set by the driver when it stores this). */
  readonly elapsedMs: number;
}

/** What one step did, before the database has judged novelty. */
export interface StepOutcome {
  readonly step: number;
  readonly quench: MinimizeResult;
  readonly accepted: boolean;
  /** The step was a restart from x0 or a fresh random point. */
  readonly restart: boolean;
  /** Set when this step closed an adaptation window. */
  readonly adapted?: { readonly stepSize: number; readonly acceptance: number };
  readonly aborted: boolean;
}

/** A fresh checkpoint for a chain that has not started. */
export function initialCheckpoint(chain: number, dimension: number, stepSize: number, rng: Rng): ChainCheckpoint {
  return {
    version: 1,
    chain,
    dimension,
    step: 0,
    x: null,
    energy: Infinity,
    restartFrom: 'x0',
    stepSize,
    rng: [...rng.state()],
    accepted: 0,
    converged: 0,
    windowSteps: 0,
    windowAccepted: 0,
    sinceNew: 0,
    sinceProgress: 0,
    bestEnergy: Infinity,
    reseeds: 0,
    elapsedMs: 0,
  };
}

/**
 * Counters after the database has said whether the step's minimum was new (`isNew` false for a
 * failed quench). Pure: the store's checkpoint callback and the chain use the same function.
 */
export function applyNovelty(state: ChainCheckpoint, isNew: boolean, settings: Pick<ChainSettings, 'reseedAfter'>): ChainCheckpoint {
  const sinceNew = isNew ? 0 : state.sinceNew + 1;
  const sinceProgress = isNew ? 0 : state.sinceProgress + 1;
  if (sinceProgress >= settings.reseedAfter) {
    return { ...state, sinceNew, sinceProgress: 0, x: null, energy: Infinity, restartFrom: 'random', reseeds: state.reseeds + 1 };
  }
  return { ...state, sinceNew, sinceProgress };
}

/** The default fresh random point: x0 + uniform noise in ±scale per coordinate. */
export function randomAround(x0: Float64Array, scale: number, rng: Rng): Float64Array {
  const x = new Float64Array(x0.length);
  for (let i = 0; i < x.length; i++) x[i] = x0[i] + rng.uniformIn(-scale, scale);
  return x;
}

export interface ChainParts {
  readonly potential: Potential;
  readonly minimize: Minimize;
  readonly x0: Float64Array;
  readonly settings: ChainSettings;
  /** Fresh random point for a reseed; default `randomAround(x0, reseedScale)`. */
  readonly randomPoint?: (rng: Rng) => Float64Array;
}

/** A live chain: holds the Rng object between steps; `checkpoint` is its serialisable state. */
export class Chain {
  private rng: Rng;
  private state: ChainCheckpoint;

  constructor(
    private readonly parts: ChainParts,
    checkpoint: ChainCheckpoint,
  ) {
    this.state = checkpoint;
    this.rng = rngFromState(checkpoint.rng);
  }

  get dimension(): number {
    return this.parts.potential.dimension;
  }

  /** The state to store, including the current Rng position. */
  get checkpoint(): ChainCheckpoint {
    return this.state;
  }

  /** One perturb–quench–accept step. The returned checkpoint still awaits `applyNovelty`. */
  step(signal?: AbortSignal): StepOutcome {
    const { potential, minimize, settings } = this.parts;
    const s = this.state;
    const restart = s.x === null;
    let trial: Float64Array;
    if (s.x === null) {
      trial = s.restartFrom === 'x0' ? Float64Array.from(this.parts.x0) : this.fresh();
    } else {
      trial = new Float64Array(s.x.length);
      for (let i = 0; i < trial.length; i++) trial[i] = s.x[i] + this.rng.uniformIn(-s.stepSize, s.stepSize);
    }
    const quench = minimize(potential, trial, signal ? { ...settings.minimizeOptions, signal } : settings.minimizeOptions);
    if (quench.message === 'aborted') {
      // Nothing happened: the step is redone on resume from the same Rng position.
      this.rng = rngFromState(s.rng);
      return { step: s.step, quench, accepted: false, restart, aborted: true };
    }

    let accepted = false;
    if (quench.converged) {
      const rise = quench.energy - s.energy;
      // Metropolis at the fictitious temperature; a restart is accepted unconditionally.
      accepted = restart || rise <= 0 || (settings.temperature > 0 && this.rng.uniform() < Math.exp(-rise / settings.temperature));
    }
    let next: ChainCheckpoint = {
      ...s,
      step: s.step + 1,
      windowSteps: s.windowSteps + 1,
      windowAccepted: s.windowAccepted + (accepted ? 1 : 0),
      accepted: s.accepted + (accepted ? 1 : 0),
      converged: s.converged + (quench.converged ? 1 : 0),
      bestEnergy: quench.converged ? Math.min(s.bestEnergy, quench.energy) : s.bestEnergy,
    };
    if (accepted) next = { ...next, x: Array.from(quench.x), energy: quench.energy };
    else if (restart) next = { ...next, restartFrom: 'random' }; // a failed restart point is not retried

    let adapted: StepOutcome['adapted'];
    if (next.windowSteps >= settings.adaptEvery) {
      const acceptance = next.windowAccepted / next.windowSteps;
      const factor = acceptance > settings.targetAcceptance ? 1 / settings.adaptFactor : settings.adaptFactor;
      const stepSize = Math.min(settings.maxStepSize, Math.max(settings.minStepSize, next.stepSize * factor));
      next = { ...next, stepSize, windowSteps: 0, windowAccepted: 0 };
      adapted = { stepSize, acceptance };
    }
    this.state = { ...next, rng: [...this.rng.state()] };
    return { step: s.step, quench, accepted, restart, adapted, aborted: false };
  }

  /** Applies the database's verdict (see `applyNovelty`). Returns true when the chain reseeds. */
  settle(isNew: boolean): boolean {
    const before = this.state.reseeds;
    this.state = applyNovelty(this.state, isNew, this.parts.settings);
    return this.state.reseeds !== before;
  }

  private fresh(): Float64Array {
    const { randomPoint, x0, settings } = this.parts;
    return randomPoint ? randomPoint(this.rng) : randomAround(x0, settings.reseedScale, this.rng);
  }
}

/** The Rng of chain `chain` for a run seeded with `seed`: independent jump-ahead streams. */
export function chainRng(seed: number, chain: number): Rng {
  return createRng(seed).stream(chain);
}

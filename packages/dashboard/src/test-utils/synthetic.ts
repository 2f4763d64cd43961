// SPDX-License-Identifier: MIT
/**
 * A deterministic synthetic basin-hopping event stream with the sampler's event vocabulary and
 * ordering (run-started; per step: warning if the quench failed, quench, minimum-added and
 * minimum-properties when new, step-size every `adaptEvery` steps; progress every
 * `progressEvery` steps; chain-finished; run-finished). For tests and the benchmark only.
 */
import { createRng } from '@lossscape/numeric';
import type { SamplerEvent } from '@lossscape/sampler';

export interface SyntheticOptions {
  readonly chains?: number;
  /** Steps per chain. */
  readonly steps?: number;
  readonly seed?: number;
  /** Simulated time per quench (all chains advance together). */
  readonly msPerQuench?: number;
  /** Probability that a converged quench finds a new minimum (decays as 1/(1 + found/halfLife)). */
  readonly newProbability?: number;
  readonly halfLife?: number;
  /** Probability that a quench does not converge. */
  readonly failProbability?: number;
  /** A transition state every this many new minima (0: none). */
  readonly transitionStateEvery?: number;
  readonly progressEvery?: number;
  readonly adaptEvery?: number;
  readonly withProperties?: boolean;
}

/** Yields the events of a whole synthetic run, chains interleaved step by step. */
export function* syntheticRun(options: SyntheticOptions = {}): Generator<SamplerEvent> {
  const chains = options.chains ?? 2;
  const steps = options.steps ?? 1000;
  const ms = options.msPerQuench ?? 10;
  const p0 = options.newProbability ?? 0.5;
  const halfLife = options.halfLife ?? 200;
  const pFail = options.failProbability ?? 0.01;
  const tsEvery = options.transitionStateEvery ?? 0;
  const progressEvery = options.progressEvery ?? 50;
  const adaptEvery = options.adaptEvery ?? 100;
  const withProperties = options.withProperties ?? true;
  const rng = createRng(options.seed ?? 1);

  let t = 0;
  let found = 0;
  let tsCount = 0;
  const energies: number[] = [];
  const current = new Array<number>(chains).fill(0);
  const best = new Array<number>(chains).fill(Infinity);
  const accepted = new Array<number>(chains).fill(0);
  const sinceNew = new Array<number>(chains).fill(0);
  for (let c = 0; c < chains; c++) {
    yield { type: 'run-started', chain: c, elapsedMs: t, chains: 1, steps, timeBudgetMs: Infinity, temperature: 0.8, stepSize: 0.3, seed: 7, resumedQuenches: 0, resumedMinima: 0 };
  }
  for (let step = 0; step < steps; step++) {
    for (let c = 0; c < chains; c++) {
      t += ms / chains;
      const converged = rng.uniform() >= pFail;
      if (!converged) {
        yield { type: 'warning', chain: c, elapsedMs: t, code: 'ERR_NOT_CONVERGED', message: `Quench at step ${step} did not converge; not stored` };
      }
      const isNew = converged && (energies.length === 0 || rng.uniform() < p0 / (1 + found / halfLife));
      const revisit = !isNew && converged ? rng.int(energies.length) : -1;
      const energy = isNew ? -1 + 0.5 * rng.uniform() : revisit >= 0 ? energies[revisit] : 0.5;
      const acc = converged && (energy <= current[c] || rng.uniform() < 0.4);
      if (acc) {
        current[c] = energy;
        accepted[c]++;
      }
      if (converged && energy < best[c]) best[c] = energy;
      sinceNew[c] = isNew ? 0 : sinceNew[c] + 1;
      let id: number | null = null;
      if (isNew) {
        found++;
        energies.push(energy);
        id = found;
      } else if (revisit >= 0) {
        id = revisit + 1;
      }
      yield {
        type: 'quench',
        chain: c,
        elapsedMs: t,
        step,
        energy,
        rmsGradient: converged ? 1e-11 : 1e-3,
        iterations: 100,
        converged,
        accepted: acc,
        minimumId: id,
        isNew,
        currentEnergy: current[c],
      };
      if (isNew && id !== null) {
        yield { type: 'minimum-added', chain: c, elapsedMs: t, step, minimum: { id, energy }, distinctMinima: found };
        if (withProperties) {
          yield { type: 'minimum-properties', chain: c, elapsedMs: t, minimumId: id, properties: { testAuc: 0.9 + 0.09 * rng.uniform(), trainAuc: 0.95, lpphe: -120 + rng.uniform() } };
        }
        if (tsEvery > 0 && found > 1 && found % tsEvery === 0) {
          tsCount++;
          const other = 1 + rng.int(found - 1);
          const top = Math.max(energy, energies[other - 1]) + 0.05 + 0.1 * rng.uniform();
          yield { type: 'transition-state-added', chain: -1, elapsedMs: t, transitionState: { id: tsCount, energy: top, minimum1: id, minimum2: other }, transitionStates: tsCount };
        }
      }
      if ((step + 1) % adaptEvery === 0) {
        yield { type: 'step-size', chain: c, elapsedMs: t, step, stepSize: 0.3 + 0.01 * rng.normal(), temperature: 0.8, acceptance: accepted[c] / (step + 1) };
      }
      if ((step + 1) % progressEvery === 0) {
        yield {
          type: 'progress',
          chain: c,
          elapsedMs: t,
          step: step + 1,
          steps,
          totalQuenches: step + 1,
          distinctMinima: found,
          bestEnergy: Math.min(...best),
          acceptance: accepted[c] / (step + 1),
          stepSize: 0.3,
          sinceLastNew: sinceNew[c],
        };
      }
    }
  }
  for (let c = 0; c < chains; c++) yield { type: 'chain-finished', chain: c, elapsedMs: t, reason: 'steps', steps };
  for (let c = 0; c < chains; c++) yield { type: 'run-finished', chain: c, elapsedMs: t, reason: 'steps', totalQuenches: steps, distinctMinima: found, transitionStates: tsCount };
}

/** The same stream as an async iterable (what `renderDashboard` takes). */
export async function* asAsync<T>(events: Iterable<T>): AsyncGenerator<T> {
  for (const e of events) yield e;
}

/** An async iterable that yields `events` and then waits until `release` is called. */
export function heldOpen<T>(events: readonly T[]): { readonly iterable: AsyncIterable<T>; release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* gen(): AsyncGenerator<T> {
    for (const e of events) yield e;
    await gate;
  }
  return { iterable: gen(), release };
}

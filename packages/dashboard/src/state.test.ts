// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { TOL } from '@lossscape/numeric';
import type { SamplerEvent } from '@lossscape/sampler';
import { DASHBOARD_LIMITS, initialDashboard, reduceDashboard, reduceDashboardMany, type DashboardAction, type DashboardState, type RunInfo } from './state.js';
import { syntheticRun } from './test-utils/synthetic.js';

const run: RunInfo = { name: 'test-run', data: 'spiral 194 points', loss: 'sigmoid β=40, λ=1e-5' };

function fold(events: Iterable<DashboardAction>, start: DashboardState = initialDashboard(run)): DashboardState {
  let s = start;
  for (const e of events) s = reduceDashboard(s, e);
  return s;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const started = (chain = 0, over: Partial<Extract<SamplerEvent, { type: 'run-started' }>> = {}): SamplerEvent => ({
  type: 'run-started',
  chain,
  elapsedMs: 0,
  chains: 1,
  steps: 100,
  timeBudgetMs: Infinity,
  temperature: 0.8,
  stepSize: 0.3,
  seed: 1,
  resumedQuenches: 0,
  resumedMinima: 0,
  ...over,
});

const quench = (chain: number, step: number, energy: number, over: Partial<Extract<SamplerEvent, { type: 'quench' }>> = {}): SamplerEvent => ({
  type: 'quench',
  chain,
  elapsedMs: step * 10,
  step,
  energy,
  rmsGradient: 1e-11,
  iterations: 50,
  converged: true,
  accepted: true,
  minimumId: 1,
  isNew: false,
  currentEnergy: energy,
  ...over,
});

const added = (id: number, energy: number, elapsedMs = id * 10, chain = 0): SamplerEvent => ({
  type: 'minimum-added',
  chain,
  elapsedMs,
  step: id,
  minimum: { id, energy },
  distinctMinima: id,
});

describe('initialDashboard', () => {
  it('starts empty and waiting, with the RunInfo time budget', () => {
    const s = initialDashboard({ ...run, budget: { timeMs: 60_000 } });
    expect(s.started).toBe(false);
    expect(s.chains).toEqual([]);
    expect(s.timeBudgetMs).toBe(60_000);
    expect(s.bestEnergy).toBe(Infinity);
  });

  it('rejects a malformed RunInfo naming the field', () => {
    expect(() => initialDashboard({ ...run, name: 3 } as unknown as RunInfo)).toThrow(/^Expected string for runInfo\.name but received 3 of type number$/);
    expect(() => initialDashboard(null as unknown as RunInfo)).toThrow(TypeError);
    expect(() => initialDashboard({ ...run, budget: { stepsPerChain: 2.5 } })).toThrow(/^Expected positive integer or Infinity for runInfo\.budget\.stepsPerChain but received 2\.5/);
    expect(() => initialDashboard({ ...run, budget: { timeMs: -1 } })).toThrow(RangeError);
  });
});

describe('reduceDashboard', () => {
  it('never mutates its input (deeply frozen states through a whole run)', () => {
    let s = deepFreeze(initialDashboard(run));
    for (const e of syntheticRun({ chains: 2, steps: 300, transitionStateEvery: 3 })) s = deepFreeze(reduceDashboard(s, e));
    expect(s.finished).toBe(true);
  });

  it('returns the same state for an unknown event type and for no-op control events', () => {
    const s = fold([started()]);
    expect(reduceDashboard(s, { type: 'something-new', chain: 0, elapsedMs: 5 } as unknown as SamplerEvent)).toBe(s);
    expect(reduceDashboard(s, { type: 'dashboard-paused', paused: false })).toBe(s);
    expect(reduceDashboard(s, { type: 'dashboard-clock', elapsedMs: 0 })).toBe(s);
  });

  it('counts steps, quenches and acceptance per chain and in total', () => {
    const events: SamplerEvent[] = [started(0), started(1)];
    // chain 0: 10 steps, accepted on even steps; chain 1: 4 steps, all rejected, one failed.
    for (let k = 0; k < 10; k++) events.push(quench(0, k, -k, { accepted: k % 2 === 0 }));
    for (let k = 0; k < 4; k++) events.push(quench(1, k, 1, { accepted: false, converged: k !== 2 }));
    const s = fold(events);
    expect(s.quenches).toBe(14);
    expect(s.failedQuenches).toBe(1);
    expect(s.stepsDone).toBe(14);
    expect(s.chains.map((c) => c.chain)).toEqual([0, 1]);
    expect(s.chains[0].acceptance).toBe(0.5);
    expect(s.chains[1].acceptance).toBe(0);
    expect(s.chains[0].stepBudget).toBe(100);
    expect(s.chains[0].bestEnergy).toBe(-9);
    expect(s.bestEnergy).toBe(-9);
  });

  it('keeps stepsDone equal to the sum over chains whatever the event order', () => {
    const s = fold(syntheticRun({ chains: 3, steps: 200, seed: 4 }));
    expect(s.stepsDone).toBe(s.chains.reduce((a, c) => a + c.stepsDone, 0));
    expect(s.stepsDone).toBe(600);
  });

  it('includes the steps done before a resume, and the minima already known', () => {
    const s = fold([started(0, { resumedQuenches: 500, resumedMinima: 40, steps: 1000 }), quench(0, 500, -1)]);
    expect(s.stepsDone).toBe(501);
    expect(s.quenches).toBe(1);
    expect(s.distinctMinima).toBe(40);
  });

  it('creates every chain of a combined run-started (chains > 1)', () => {
    const s = fold([started(0, { chains: 3, steps: 50 })]);
    expect(s.chains.map((c) => [c.chain, c.stepBudget])).toEqual([
      [0, 50],
      [1, 50],
      [2, 50],
    ]);
  });

  it('keeps the lowest minima exactly (vs sorting every minimum) and the latest ones newest first', () => {
    const all: { id: number; energy: number }[] = [];
    let s = fold([started()]);
    for (const e of syntheticRun({ chains: 2, steps: 2000, seed: 9, newProbability: 0.6, halfLife: 1e9 })) {
      s = reduceDashboard(s, e);
      if (e.type === 'minimum-added') all.push(e.minimum);
    }
    expect(all.length).toBeGreaterThan(DASHBOARD_LIMITS.lowestMinima);
    const direct = [...all].sort((a, b) => a.energy - b.energy || a.id - b.id).slice(0, DASHBOARD_LIMITS.lowestMinima);
    expect(s.lowestMinima.map((m) => m.id)).toEqual(direct.map((m) => m.id));
    expect(s.latestMinima.map((m) => m.id)).toEqual(
      all
        .slice(-DASHBOARD_LIMITS.latestMinima)
        .reverse()
        .map((m) => m.id),
    );
    expect(s.distinctMinima).toBe(all.length);
    expect(s.bestEnergy).toBe(direct[0].energy);
    expect(s.bestMinimumId).toBe(direct[0].id);
  });

  it('ignores a re-sent minimum-added (watch mode polls may repeat)', () => {
    const s = fold([started(), added(1, -0.5), added(2, -0.7), added(2, -0.7)]);
    expect(s.lowestMinima.map((m) => m.id)).toEqual([2, 1]);
    expect(s.latestMinima.map((m) => m.id)).toEqual([2, 1]);
  });

  it('computes best and mean test AUC over every evaluated minimum and attaches properties to listed minima', () => {
    const aucs: number[] = [];
    let s = fold([started()]);
    for (const e of syntheticRun({ chains: 1, steps: 500, seed: 3 })) {
      s = reduceDashboard(s, e);
      if (e.type === 'minimum-properties' && e.properties.testAuc !== undefined) aucs.push(e.properties.testAuc);
    }
    expect(s.testAucCount).toBe(aucs.length);
    expect(s.bestTestAuc).toBe(Math.max(...aucs));
    const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
    expect(Math.abs(s.testAucSum / s.testAucCount - mean)).toBeLessThanOrEqual(TOL.F64 * Math.abs(mean));
    for (const m of s.latestMinima) expect(m.testAuc).toBeTypeOf('number');
    for (const m of s.lowestMinima) expect(m.lpphe).toBeTypeOf('number');
  });

  it('ignores a non-finite test AUC in the statistics but keeps the flag', () => {
    const s = fold([
      started(),
      added(1, -1),
      { type: 'minimum-properties', chain: 0, elapsedMs: 20, minimumId: 1, properties: { testAuc: NaN, flag: 'negative eigenvalue -3e-4' } },
    ]);
    expect(s.testAucCount).toBe(0);
    expect(s.lowestMinima[0].flag).toBe('negative eigenvalue -3e-4');
  });

  it('tracks step size, window acceptance, reseeds and finishing per chain', () => {
    const s = fold([
      started(0),
      quench(0, 0, -1),
      { type: 'step-size', chain: 0, elapsedMs: 20, step: 0, stepSize: 0.42, temperature: 0.9, acceptance: 0.55 },
      { type: 'reseed', chain: 0, elapsedMs: 30, step: 1, reason: 'no new minimum in 500 quenches' },
      { type: 'chain-finished', chain: 0, elapsedMs: 40, reason: 'stagnation', steps: 80 },
    ]);
    const c = s.chains[0];
    expect([c.stepSize, c.temperature, c.windowAcceptance, c.reseeds, c.finished, c.stepsDone]).toEqual([0.42, 0.9, 0.55, 1, 'stagnation', 80]);
    expect(s.reseeds).toBe(1);
    expect(s.finished).toBe(false);
  });

  it('finishes only when every chain finished and a run-finished arrived', () => {
    let s = fold([started(0), started(1), { type: 'chain-finished', chain: 0, elapsedMs: 5, reason: 'steps', steps: 100 }]);
    s = reduceDashboard(s, { type: 'run-finished', chain: 0, elapsedMs: 5, reason: 'steps', totalQuenches: 100, distinctMinima: 3, transitionStates: 0 });
    expect(s.finished).toBe(false);
    s = reduceDashboard(s, { type: 'chain-finished', chain: 1, elapsedMs: 6, reason: 'time', steps: 90 });
    s = reduceDashboard(s, { type: 'run-finished', chain: 1, elapsedMs: 6, reason: 'time', totalQuenches: 90, distinctMinima: 3, transitionStates: 0 });
    expect(s.finished).toBe(true);
    expect(s.finishReason).toBe('time');
    expect(reduceDashboard(s, { type: 'dashboard-clock', elapsedMs: 1e6 })).toBe(s);
  });

  it('counts transition states and connection attempts, keeping the lowest transition states', () => {
    let s = fold([started()]);
    for (let i = 1; i <= 500; i++) {
      s = reduceDashboard(s, {
        type: 'transition-state-added',
        chain: -1,
        elapsedMs: i,
        transitionState: { id: i, energy: Math.sin(i), minimum1: 1, minimum2: 2 },
        transitionStates: i,
      });
    }
    s = reduceDashboard(s, { type: 'connection-attempt', chain: -1, elapsedMs: 600, minimum1: 1, minimum2: 2, connected: true, transitionStatesFound: 1, message: '' });
    s = reduceDashboard(s, { type: 'connection-attempt', chain: -1, elapsedMs: 601, minimum1: 1, minimum2: 3, connected: false, transitionStatesFound: 0, message: 'no path' });
    expect(s.transitionStates).toBe(500);
    expect(s.lowestTransitionStates).toHaveLength(DASHBOARD_LIMITS.lowestTransitionStates);
    const energies = s.lowestTransitionStates.map((t) => t.energy);
    expect(energies).toEqual([...energies].sort((a, b) => a - b));
    expect(Math.max(...energies)).toBeLessThanOrEqual(
      Array.from({ length: 500 }, (_, i) => Math.sin(i + 1)).sort((a, b) => a - b)[DASHBOARD_LIMITS.lowestTransitionStates - 1],
    );
    expect([s.connectionAttempts, s.connectionsMade]).toEqual([2, 1]);
    expect(s.chains.map((c) => c.chain)).toEqual([0]); // chain −1 is not a chain
  });

  it('keeps the newest warnings, newest first, and counts them all', () => {
    let s = fold([started()]);
    for (let i = 0; i < 50; i++) s = reduceDashboard(s, { type: 'warning', chain: 0, elapsedMs: i, code: 'ERR_NOT_CONVERGED', message: `w${i}` });
    expect(s.warningCount).toBe(50);
    expect(s.warnings.map((w) => w.message)).toEqual(Array.from({ length: DASHBOARD_LIMITS.warnings }, (_, i) => `w${49 - i}`));
  });

  it('never runs the clock backwards when chains report slightly different times', () => {
    const s = fold([started(0), quench(0, 5, -1), { ...quench(1, 2, -1), elapsedMs: 20 }]);
    expect(s.elapsedMs).toBe(50);
  });

  it('records pause, quit and the end of the source; an error becomes a warning', () => {
    let s = fold([started()]);
    s = reduceDashboard(s, { type: 'dashboard-paused', paused: true });
    expect(s.paused).toBe(true);
    s = reduceDashboard(s, { type: 'dashboard-paused', paused: false });
    expect(s.paused).toBe(false);
    s = reduceDashboard(s, { type: 'dashboard-quitting' });
    expect(s.quitting).toBe(true);
    s = reduceDashboard(s, { type: 'dashboard-source-ended', error: 'worker crashed' });
    expect([s.sourceEnded, s.sourceError, s.warnings[0].code]).toEqual([true, 'worker crashed', 'ERR_SOURCE']);
  });

  it('reduceDashboardMany equals folding one event at a time (batched vs direct)', () => {
    const events = [...syntheticRun({ chains: 3, steps: 400, seed: 12, transitionStateEvery: 3 })];
    const direct = fold(events);
    let batched = initialDashboard(run);
    for (let i = 0; i < events.length; i += 97) batched = reduceDashboardMany(batched, events.slice(i, i + 97));
    expect(batched).toEqual(direct);
    const s = fold([started()]);
    expect(reduceDashboardMany(s, [{ type: 'dashboard-paused', paused: false }, { type: 'dashboard-clock', elapsedMs: 0 }])).toBe(s);
  });

  it('keeps every list bounded over 100 000 events', () => {
    let s = initialDashboard(run);
    let n = 0;
    let maxSamples = 0;
    const stream = syntheticRun({ chains: 4, steps: 20_000, seed: 2, newProbability: 0.9, halfLife: 1e9, failProbability: 0.05, transitionStateEvery: 2, msPerQuench: 40 });
    for (const e of stream) {
      s = reduceDashboard(s, e);
      maxSamples = Math.max(maxSamples, s.rateSamples.length);
      if (++n >= 100_000) break;
    }
    expect(n).toBe(100_000);
    expect(s.distinctMinima).toBeGreaterThan(10_000);
    expect(s.warningCount).toBeGreaterThan(DASHBOARD_LIMITS.warnings);
    expect(s.lowestMinima.length).toBe(DASHBOARD_LIMITS.lowestMinima);
    expect(s.lowestTransitionStates.length).toBe(DASHBOARD_LIMITS.lowestTransitionStates);
    expect(s.latestMinima.length).toBe(DASHBOARD_LIMITS.latestMinima);
    expect(s.warnings.length).toBe(DASHBOARD_LIMITS.warnings);
    expect(s.discovery.values.length).toBeLessThanOrEqual(DASHBOARD_LIMITS.discoveryBuckets);
    expect(s.discovery.bucketMs).toBeGreaterThan(DASHBOARD_LIMITS.discoveryBucketMs); // it had to merge
    const maxRateSamples = Math.ceil(DASHBOARD_LIMITS.rateWindowMs / DASHBOARD_LIMITS.rateSampleMs) + 2;
    expect(maxSamples).toBeLessThanOrEqual(maxRateSamples);
    expect(s.chains.length).toBe(4);
    expect(s.events).toBe(100_000);
  });

  it('records distinct minima over time as a non-decreasing series ending below the current count', () => {
    const s = fold(syntheticRun({ chains: 2, steps: 3000, seed: 8, msPerQuench: 100 }));
    const v = s.discovery.values;
    expect(v.length).toBeGreaterThan(10);
    for (let i = 1; i < v.length; i++) expect(v[i]).toBeGreaterThanOrEqual(v[i - 1]);
    expect(v[v.length - 1]).toBeLessThanOrEqual(s.distinctMinima);
  });
});

describe('status events', () => {
  it('show what the run is doing until the next quench', async () => {
    const { headerLines } = await import('./components/header.js');
    const { plainText } = await import('./lines.js');
    const run = { name: 'r', data: 'd', loss: 'l' };
    let s = initialDashboard(run);
    s = reduceDashboard(s, { type: 'status', chain: -1, elapsedMs: 5, message: 'calibrating temperature and step size' });
    expect(s.activity).toBe('calibrating temperature and step size');
    const text = plainText(headerLines({ run, status: 'running', elapsedMs: 5, width: 120, activity: s.activity })[0]);
    expect(text).toContain('● calibrating temperature and step size');
    s = reduceDashboard(s, { type: 'quench', chain: 0, elapsedMs: 9, step: 0, energy: -1, rmsGradient: 1e-11, iterations: 10, converged: true, accepted: true, minimumId: 1, isNew: true, currentEnergy: -1 });
    expect(s.activity).toBeUndefined();
  });
});

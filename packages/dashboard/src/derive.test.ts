// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { TOL } from '@lossscape/numeric';
import type { SamplerEvent } from '@lossscape/sampler';
import { discoveryValues, meanTestAuc, progressOf, quenchRate, runStatus, stepBudgetOf } from './derive.js';
import { DASHBOARD_LIMITS, initialDashboard, reduceDashboard, type DashboardState, type RunInfo } from './state.js';
import { syntheticRun } from './test-utils/synthetic.js';

const run: RunInfo = { name: 'r', data: 'd', loss: 'l' };

function fold(events: Iterable<SamplerEvent>, info: RunInfo = run): DashboardState {
  let s = initialDashboard(info);
  for (const e of events) s = reduceDashboard(s, e);
  return s;
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), TOL.F64_ABS_FLOOR);
}

/** Evenly spaced quenches on one chain: `perSecond` of them for `seconds`, steps budget `steps`. */
function steady(perSecond: number, seconds: number, steps = Infinity, timeBudgetMs = Infinity): SamplerEvent[] {
  const events: SamplerEvent[] = [
    { type: 'run-started', chain: 0, elapsedMs: 0, chains: 1, steps, timeBudgetMs, temperature: 1, stepSize: 0.3, seed: 1, resumedQuenches: 0, resumedMinima: 0 },
  ];
  const dt = 1000 / perSecond;
  for (let k = 0; k < perSecond * seconds; k++) {
    events.push({ type: 'quench', chain: 0, elapsedMs: (k + 1) * dt, step: k, energy: 0, rmsGradient: 0, iterations: 1, converged: true, accepted: true, minimumId: 1, isNew: false, currentEnergy: 0 });
  }
  return events;
}

describe('quenchRate', () => {
  it('is NaN before the window spans one sample interval', () => {
    expect(quenchRate(initialDashboard(run))).toBeNaN();
    expect(quenchRate(fold(steady(1000, 0.1)))).toBeNaN();
  });

  it('equals the true rate of a steady stream, over the window only', () => {
    expect(relErr(quenchRate(fold(steady(40, 30))), 40)).toBeLessThanOrEqual(TOL.F64);
    // 20/s for 30 s then 80/s for 20 s: the 10 s window sees only the second part.
    const slow = steady(20, 30);
    const fast = steady(80, 20).slice(1).map((e) => (e.type === 'quench' ? { ...e, elapsedMs: 30_000 + e.elapsedMs, step: 600 + e.step } : e));
    const s = fold([...slow, ...fast]);
    expect(s.elapsedMs - s.rateSamples[0].elapsedMs).toBeGreaterThanOrEqual(DASHBOARD_LIMITS.rateWindowMs);
    expect(s.elapsedMs - s.rateSamples[0].elapsedMs).toBeLessThanOrEqual(DASHBOARD_LIMITS.rateWindowMs + DASHBOARD_LIMITS.rateSampleMs);
    expect(relErr(quenchRate(s), 80)).toBeLessThanOrEqual(TOL.F64);
  });

  it('falls to zero on clock ticks when quenches stop', () => {
    let s = fold(steady(50, 5));
    // The store ticks the clock every second between events.
    for (let t = 6000; t <= 5000 + DASHBOARD_LIMITS.rateWindowMs / 2; t += 1000) s = reduceDashboard(s, { type: 'dashboard-clock', elapsedMs: t });
    expect(quenchRate(s)).toBeGreaterThan(0);
    for (let t = 5000 + DASHBOARD_LIMITS.rateWindowMs / 2; t <= 7000 + DASHBOARD_LIMITS.rateWindowMs; t += 1000) s = reduceDashboard(s, { type: 'dashboard-clock', elapsedMs: t });
    expect(quenchRate(s)).toBe(0);
  });
});

describe('progressOf', () => {
  it('follows the step budget: fraction done and ETA = remaining steps / rate', () => {
    const s = fold(steady(50, 10, 2000));
    const p = progressOf(s);
    expect(p.limitedBy).toBe('steps');
    expect(p.stepsDone).toBe(500);
    expect(p.stepBudget).toBe(2000);
    expect(p.fraction).toBe(0.25);
    expect(relErr(p.etaMs, (1500 / 50) * 1000)).toBeLessThanOrEqual(TOL.F64);
  });

  it('follows the time budget when it binds sooner', () => {
    const s = fold(steady(10, 30, 100_000, 60_000));
    const p = progressOf(s);
    expect(p.limitedBy).toBe('time');
    expect(p.fraction).toBe(0.5);
    expect(p.etaMs).toBe(30_000);
  });

  it('uses the RunInfo budget before run-started, for every expected chain', () => {
    const s = initialDashboard({ ...run, budget: { stepsPerChain: 300, chains: 3 } });
    expect(stepBudgetOf(s)).toBe(900);
    expect(progressOf(s).fraction).toBe(0);
  });

  it('has no fraction without any budget, and is complete once finished', () => {
    expect(progressOf(fold(steady(10, 2))).fraction).toBeNaN();
    const done = fold(syntheticRun({ chains: 2, steps: 50 }));
    expect(progressOf(done)).toMatchObject({ fraction: 1, etaMs: 0, stepsDone: 100, stepBudget: 100 });
  });
});

describe('runStatus and friends', () => {
  it('names what the run is doing', () => {
    const s0 = initialDashboard(run);
    expect(runStatus(s0)).toBe('waiting');
    const s1 = fold(steady(10, 1));
    expect(runStatus(s1)).toBe('running');
    expect(runStatus(reduceDashboard(s1, { type: 'dashboard-paused', paused: true }))).toBe('paused');
    expect(runStatus(reduceDashboard(s1, { type: 'dashboard-quitting' }))).toBe('stopping');
    expect(runStatus(reduceDashboard(s1, { type: 'dashboard-source-ended' }))).toBe('ended');
    expect(runStatus(reduceDashboard(s1, { type: 'dashboard-source-ended', error: 'boom' }))).toBe('failed');
    expect(runStatus(fold(syntheticRun({ chains: 1, steps: 5 })))).toBe('finished');
  });

  it('mean test AUC is NaN before any evaluation; the discovery series ends with the current count', () => {
    expect(meanTestAuc(initialDashboard(run))).toBeNaN();
    const s = fold(syntheticRun({ chains: 1, steps: 100 }));
    const v = discoveryValues(s);
    expect(v[v.length - 1]).toBe(s.distinctMinima);
  });
});

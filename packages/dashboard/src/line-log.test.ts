// SPDX-License-Identifier: MIT
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SamplerEvent } from '@lossscape/sampler';
import { formatLogLine, formatRunInfoLine, formatSummaryLine } from './line-log.js';
import { initialDashboard, reduceDashboard } from './state.js';
import { syntheticRun } from './test-utils/synthetic.js';

const at = 83_000; // 0:01:23

const cases: [SamplerEvent, string | undefined][] = [
  [
    { type: 'run-started', chain: 0, elapsedMs: 0, chains: 1, steps: 1000, timeBudgetMs: 180_000, temperature: 0.8, stepSize: 0.3, seed: 42, resumedQuenches: 0, resumedMinima: 0 },
    '[0:00:00] chain 0 started: budget 1000 steps and 0:03:00 time, temperature 0.8, step size 0.3, seed 42',
  ],
  [
    { type: 'run-started', chain: 0, elapsedMs: 0, chains: 2, steps: Infinity, timeBudgetMs: Infinity, temperature: 1, stepSize: 0.25, seed: 1, resumedQuenches: 120, resumedMinima: 14 },
    '[0:00:00] 2 chains started: budget no step limit, temperature 1, step size 0.25, seed 1, resumed at 120 quenches and 14 minima',
  ],
  [{ type: 'quench', chain: 0, elapsedMs: at, step: 5, energy: -0.5, rmsGradient: 1e-11, iterations: 40, converged: true, accepted: true, minimumId: 3, isNew: false, currentEnergy: -0.5 }, undefined],
  [
    { type: 'minimum-added', chain: 1, elapsedMs: at, step: 57, minimum: { id: 14, energy: -0.932123456789 }, distinctMinima: 14 },
    '[0:01:23] chain 1 step 57: new minimum #14 E -0.9321234568 (14 distinct)',
  ],
  [
    { type: 'minimum-properties', chain: 0, elapsedMs: at, minimumId: 14, properties: { testAuc: 0.97314, trainAuc: 0.99, lpphe: -119.876543, index: 0, flag: 'odd' } },
    '[0:01:23] minimum #14: test AUC 0.9731, train AUC 0.9900, LPPHE -119.877, index 0, flag: odd',
  ],
  [{ type: 'minimum-properties', chain: 0, elapsedMs: at, minimumId: 15, properties: {} }, '[0:01:23] minimum #15: evaluated'],
  [
    { type: 'step-size', chain: 0, elapsedMs: at, step: 99, stepSize: 0.31234, temperature: 0.8, acceptance: 0.473 },
    '[0:01:23] chain 0 step 99: step size 0.3123, acceptance 0.47, temperature 0.8',
  ],
  [
    { type: 'progress', chain: 0, elapsedMs: at, step: 1234, steps: 5000, totalQuenches: 1234, distinctMinima: 57, bestEnergy: -0.95, acceptance: 0.48, stepSize: 0.31, sinceLastNew: 20 },
    '[0:01:23] chain 0: 1234/5000 steps, 1234 quenches, 57 minima, best E -0.95, acceptance 0.48, step size 0.31, 20 since new',
  ],
  [{ type: 'reseed', chain: 1, elapsedMs: at, step: 900, reason: 'no new minimum in 500 quenches' }, '[0:01:23] chain 1 step 900: reseeded (no new minimum in 500 quenches)'],
  [
    { type: 'transition-state-added', chain: -1, elapsedMs: at, transitionState: { id: 3, energy: -0.5, minimum1: 1, minimum2: 7 }, transitionStates: 3 },
    '[0:01:23] transition state #3 E -0.5 joins #1 and #7 (3 total)',
  ],
  [
    { type: 'connection-attempt', chain: -1, elapsedMs: at, minimum1: 1, minimum2: 7, connected: false, transitionStatesFound: 2, message: 'gap remains' },
    '[0:01:23] connect #1–#7: not connected, 2 transition states found (gap remains)',
  ],
  [{ type: 'warning', chain: 0, elapsedMs: at, code: 'ERR_NOT_CONVERGED', message: 'Quench at step 5 did not converge' }, '[0:01:23] warning ERR_NOT_CONVERGED (chain 0): Quench at step 5 did not converge'],
  [{ type: 'chain-finished', chain: 0, elapsedMs: at, reason: 'stagnation', steps: 4000 }, '[0:01:23] chain 0 finished after 4000 steps (stagnation)'],
  [
    { type: 'run-finished', chain: 0, elapsedMs: at, reason: 'steps', totalQuenches: 5000, distinctMinima: 300, transitionStates: 12 },
    '[0:01:23] run finished (steps): 5000 quenches, 300 minima, 12 transition states',
  ],
];

describe('formatLogLine', () => {
  it.each(cases)('%# %o', (event, line) => {
    expect(formatLogLine(event)).toBe(line);
  });

  it('prints quenches only when asked', () => {
    expect(formatLogLine(cases[2][0], { quenches: true })).toBe('[0:01:23] chain 0 step 5: E -0.5 accepted');
  });

  it('prints one line per new minimum and per progress tick of a run, and no escape codes', () => {
    const events = [...syntheticRun({ chains: 2, steps: 200, progressEvery: 50 })];
    const lines = events.map((e) => formatLogLine(e)).filter((l): l is string => l !== undefined);
    const count = (type: SamplerEvent['type']): number => events.filter((e) => e.type === type).length;
    expect(lines.filter((l) => l.includes('new minimum')).length).toBe(count('minimum-added'));
    expect(lines.filter((l) => / steps, \d+ quenches/.test(l)).length).toBe(count('progress'));
    expect(lines.length).toBe(events.length - count('quench'));
    for (const l of lines) expect(stripVTControlCharacters(l)).toBe(l);
  });
});

describe('formatSummaryLine and formatRunInfoLine', () => {
  it('summarise the run so far', () => {
    let s = initialDashboard({ name: 'demo', data: 'spiral', loss: 'sigmoid β=40' });
    for (const e of syntheticRun({ chains: 1, steps: 100, msPerQuench: 100 })) s = reduceDashboard(s, e);
    const line = formatSummaryLine(s);
    expect(line).toMatch(/^\[0:00:10\] 100\/100 steps \(100%\) · [\d.]+ quench\/s · ETA 0:00:00 · \d+ minima · best E -?[\d.]+ · test AUC best 0\.\d{4} mean 0\.\d{4}/);
    expect(formatRunInfoLine(s.run)).toBe('demo · data spiral · loss sigmoid β=40');
  });

  it('says when the percentage is of the time budget (it ends before the step budget)', () => {
    let s = initialDashboard({ name: 'capped', data: 'spiral', loss: 'ce' });
    s = reduceDashboard(s, { type: 'run-started', chain: 0, elapsedMs: 0, chains: 1, steps: 80, timeBudgetMs: 100_000, temperature: 1, stepSize: 0.5, seed: 1, resumedQuenches: 0, resumedMinima: 0 });
    s = reduceDashboard(s, { type: 'progress', chain: 0, elapsedMs: 50_000, step: 20, steps: 80, totalQuenches: 20, distinctMinima: 3, bestEnergy: 0.5, acceptance: 0.5, stepSize: 0.5, sinceLastNew: 2 });
    expect(formatSummaryLine(s)).toMatch(/^\[0:00:50\] \d+\/80 steps \(50% of the time budget\)/);
  });
});

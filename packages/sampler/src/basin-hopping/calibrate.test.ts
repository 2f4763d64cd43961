// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng } from '@lossscape/numeric';
import { lennardJones, randomCluster } from '../test-utils/potentials.js';
import { basinHopping } from './basin-hopping.js';
import { calibrate, temperatureForAcceptance } from './calibrate.js';

/** Bisection on ln T stops at 1e-12: the acceptance is then exact to about that. */
const BISECTION = 1e-9;

const acceptance = (deltas: number[], t: number) => deltas.reduce((s, d) => s + (d <= 0 ? 1 : Math.exp(-d / t)), 0) / deltas.length;

describe('temperatureForAcceptance', () => {
  it('solves mean(min(1, e^(−ΔE/T))) = target', () => {
    expect(temperatureForAcceptance([1, 1, 1, 1], 0.5, 0)).toBeCloseTo(1 / Math.LN2, 9);
    const deltas = [-1, 2, 3, 0.5, 0.01, 7];
    for (const target of [0.4, 0.5, 0.8]) {
      expect(Math.abs(acceptance(deltas, temperatureForAcceptance(deltas, target, 0)) - target)).toBeLessThan(BISECTION);
    }
  });

  it('when downhill and level moves already reach the target: median uphill ΔE / ln 2, or half the previous T', () => {
    expect(temperatureForAcceptance([-1, -1, 0, 2, 4], 0.5, 0)).toBeCloseTo(3 / Math.LN2, 12);
    expect(temperatureForAcceptance([-1, -1, 0, 2, 4], 0.5, 0, 0.8)).toBe(0.4);
  });

  it('falls back to a small energy scale when nothing went uphill', () => {
    expect(temperatureForAcceptance([-1, 0], 0.5, -200)).toBeCloseTo(0.2, 12);
  });
});

describe('calibrate', () => {
  const rng = createRng(21);
  const potential = lennardJones(7, { containerRadius: 2 });
  const x0 = randomCluster(7, () => rng.uniform());

  it('doubles a step too small to leave the basin', () => {
    const result = calibrate({ potential, x0, seed: 5, stepSize: 0.01, quenches: 20 });
    expect(result.stepSize).toBeGreaterThan(0.01);
    expect(result.sameBasinFraction <= 0.5 || result.stepSize === 0.01 * 2 ** 4).toBe(true);
    expect(result.quenches).toBeLessThanOrEqual(1 + 20 * (5 + 3));
  });

  it('gives a temperature whose acceptance on the sample equals the target, and holds in a real run', async () => {
    const result = calibrate({ potential, x0, seed: 6, stepSize: 0.4, quenches: 40 });
    expect(result.temperature).toBeGreaterThan(0);
    expect(Number.isFinite(result.temperature)).toBe(true);
    expect(result.acceptance).toBeGreaterThanOrEqual(0.5 - BISECTION);
    let accepted = 0;
    let steps = 0;
    for await (const e of basinHopping({ potential, x0, seed: 1, steps: 600, temperature: result.temperature, stepSize: result.stepSize, adaptEvery: Infinity })) {
      if (e.type === 'quench' && e.step > 0) {
        steps++;
        if (e.accepted) accepted++;
      }
    }
    // A 40-quench sample predicts the acceptance only roughly (other basins, other ΔE).
    expect(accepted / steps).toBeGreaterThan(0.3);
    expect(accepted / steps).toBeLessThan(0.7);
  });

  it('rejects a start that does not converge', () => {
    expect(() => calibrate({ potential, x0, seed: 1, stepSize: 0.4, minimizeOptions: { maxIterations: 1 } })).toThrow(
      expect.objectContaining({ code: 'ERR_NOT_CONVERGED' }),
    );
  });
});

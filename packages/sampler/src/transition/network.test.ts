// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { TOL, checkGradient, createRng, distance } from '@lossscape/numeric';
import { jacobiEigenSolver } from '../test-utils/jacobi-eigen.js';
import { tinyNetwork, tinySpirals } from '../test-utils/tiny-network.js';
import { lbfgs } from '../optimize/lbfgs.js';
import { mapMinima } from '../connect/map-minima.js';
import { findTransitionState } from './find-transition-state.js';

// A 2-3-2 tanh network on 24 spiral points: 17 weights, 48 symmetry operations searched exactly.
const rng = createRng(3);
const data = tinySpirals(rng, 12);
const net = tinyNetwork(3, data);
const minima: Float64Array[] = [];
for (let i = 0; i < 12; i++) {
  const q = lbfgs(net, Float64Array.from({ length: net.dimension }, () => rng.normal()), { maxIterations: 20_000 });
  if (q.converged && !minima.some((m) => net.sameMinimum!(m, q.x))) minima.push(q.x);
}

describe('transition states on a small network landscape', () => {
  it('the test network is right: its gradient matches central differences', () => {
    const x = Float64Array.from({ length: net.dimension }, () => rng.normal());
    expect(checkGradient(net, x).relativeError).toBeLessThan(TOL.F64_FD_DERIVATIVE);
    expect(minima.length).toBeGreaterThan(3);
  });

  it('every transition state found is a verified first-order saddle above the two minima it joins', () => {
    const result = findTransitionState(net, minima[0], minima[2], { eigenSolver: jacobiEigenSolver });
    expect(result.transitionStates.length).toBeGreaterThan(0);
    // B was put in register with A: the band ends at the aligned copy, no farther than B itself.
    expect(distance(result.end, minima[0])).toBeCloseTo(net.alignedDistance!(minima[0], minima[2]), 12);
    expect(distance(result.end, minima[0])).toBeLessThanOrEqual(distance(minima[2], minima[0]));
    for (const ts of result.transitionStates) {
      expect(ts.rmsGradient).toBeLessThanOrEqual(TOL.RMS_GRADIENT_CONVERGED);
      expect(ts.check).toMatchObject({ index: 1, method: 'dense' });
      expect(ts.eigenvalue).toBeLessThan(0);
      expect(Number.isFinite(ts.lpphe)).toBe(true);
      for (const side of [ts.minus, ts.plus]) {
        expect(side.message).toBe('converged');
        expect(side.energy).toBeLessThan(ts.energy);
      }
    }
  });
});

describe('mapMinima between network landscapes', () => {
  it('records the symmetry-aligned distance travelled under a stronger L2 term', async () => {
    const strong = tinyNetwork(3, data, 1e-2);
    const mapped = await mapMinima(minima.slice(0, 3).map((coordinates, i) => ({ id: i + 1, coordinates })), strong);
    mapped.forEach((m, i) => {
      expect(m.converged).toBe(true);
      expect(m.distance).toBeCloseTo(strong.alignedDistance!(minima[i], m.coordinates), 12);
      expect(m.distance).toBeLessThanOrEqual(distance(minima[i], m.coordinates) + TOL.F64);
      expect(m.energy).toBeLessThan(m.startEnergy);
    });
  });
});

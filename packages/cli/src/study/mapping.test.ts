// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { MinimumRecord } from '@lossscape/landscape';
import { MAPPING_PREFIX } from './analysis.js';
import { needsMapping } from './mapping.js';

function sigmoidMinimum(extra?: Record<string, number | string>): MinimumRecord {
  return { id: 1, energy: -0.9, coordinates: new Float64Array(4), rmsGradient: 0, hits: 1, firstStep: 0, chain: 0, properties: extra ? { extra } : {} };
}
const k = (s: string) => `${MAPPING_PREFIX}${s}`;

describe('needsMapping', () => {
  it('maps a minimum never mapped, or mapped against another CE landscape', () => {
    expect(needsMapping(sigmoidMinimum(), 'main-ce-s1', 10)).toBe(true);
    expect(needsMapping(sigmoidMinimum({ other: 1 }), 'main-ce-s1', 10)).toBe(true);
    expect(needsMapping(sigmoidMinimum({ [k('energy')]: 0.5, [k('landscape')]: 'main-ce-s2', [k('targetId')]: 3, [k('converged')]: 1, [k('ceMinima')]: 10 }), 'main-ce-s1', 10)).toBe(true);
  });

  it('keeps a mapping whose CE minimum is known', () => {
    expect(needsMapping(sigmoidMinimum({ [k('energy')]: 0.5, [k('landscape')]: 'main-ce-s1', [k('targetId')]: 3, [k('converged')]: 1, [k('ceMinima')]: 10 }), 'main-ce-s1', 50)).toBe(false);
  });

  it('looks again for an unknown CE minimum only when the CE database has grown', () => {
    const unknown = sigmoidMinimum({ [k('energy')]: 0.5, [k('landscape')]: 'main-ce-s1', [k('targetId')]: -1, [k('converged')]: 1, [k('ceMinima')]: 10 });
    expect(needsMapping(unknown, 'main-ce-s1', 10)).toBe(false);
    expect(needsMapping(unknown, 'main-ce-s1', 11)).toBe(true);
    // A quench that did not converge is not retried (it would not converge again).
    const failed = sigmoidMinimum({ [k('energy')]: 0.5, [k('landscape')]: 'main-ce-s1', [k('targetId')]: -1, [k('converged')]: 0, [k('ceMinima')]: 10 });
    expect(needsMapping(failed, 'main-ce-s1', 11)).toBe(false);
  });
});

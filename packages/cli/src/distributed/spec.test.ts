// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { basinHoppingSettings, chainFinishedKey, connectionDoneKey, parseRunSpec } from './spec.js';

const base = {
  potential: { module: 'lossscape:factories', exportName: 'createLennardJonesCluster', args: { atoms: 2 } },
  starts: [
    [0, 0, 0, 1.1, 0, 0],
    [0, 0, 0, 1.2, 0, 0],
  ],
  sampling: { steps: 100, temperature: 1, stepSize: 0.3, seed: 5 },
};

describe('parseRunSpec', () => {
  it('fills in the defaults', () => {
    const spec = parseRunSpec(base);
    expect(spec).toMatchObject({ version: 1, name: 'distributed', sampling: { segmentSteps: 50 }, jobs: { leaseSeconds: 900, retryLimit: 10, retryDelaySeconds: 5 } });
    expect(spec.connections).toBeUndefined();
    expect(parseRunSpec({ ...base, connections: {} }).connections).toEqual({ neighbours: 2, maxAttempts: 100, search: {} });
  });

  it('names the key and the source of a bad value in one line, as ERR_CONFIG', () => {
    expect(() => parseRunSpec({ ...base, sampling: { ...base.sampling, steps: 0 } }, 'run.json')).toThrow(/^run\.json: expected a value > 0 for 'sampling\.steps' but received 0$/);
    expect(() => parseRunSpec({ ...base, jobs: { leaseSeconds: 'long' } }, 'run.json')).toThrow(/^run\.json: expected number for 'jobs\.leaseSeconds' but received 'long'$/);
    expect(() => parseRunSpec({ ...base, typo: 1 }, 'run.json')).toThrow(/^run\.json: unknown key 'typo'$/);
    expect(() => parseRunSpec({ ...base, starts: [] })).toThrow(/^run spec: expected .* for 'starts' but received an array$/);
    expect(() => parseRunSpec({ ...base, potential: { module: '' } })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });

  it('requires every start to have the same dimension', () => {
    expect(() => parseRunSpec({ ...base, starts: [[0, 0, 0, 1, 0, 0], [0, 1]] }, 'run.json')).toThrow(
      /^Expected 6 coordinates for starts\.1 in run\.json but received 2$/,
    );
  });

  it('maps "none" (null) to Infinity for basinHopping and leaves absent settings to its defaults', () => {
    const spec = parseRunSpec({ ...base, sampling: { ...base.sampling, reseedAfter: null, stopAfterNoNewMinima: 40, adaptEvery: null } });
    const settings = basinHoppingSettings(spec);
    expect(settings).toMatchObject({ temperature: 1, stepSize: 0.3, seed: 5, reseedAfter: Infinity, adaptEvery: Infinity, stopAfterNoNewMinima: 40 });
    expect('targetAcceptance' in settings).toBe(false);
    expect('minimizeOptions' in basinHoppingSettings(parseRunSpec(base))).toBe(false);
  });

  it('keys chain and pair markers canonically', () => {
    expect(chainFinishedKey(3)).toBe('distributed/chain/3/finished');
    expect(connectionDoneKey(9, 2)).toBe(connectionDoneKey(2, 9));
  });
});

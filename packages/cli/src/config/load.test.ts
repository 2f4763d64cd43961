// SPDX-License-Identifier: MIT
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { resolveExploreConfig } from './load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lossscape-config-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('resolveExploreConfig', () => {
  it('fills DESIGN.md defaults', () => {
    const c = resolveExploreConfig({});
    expect(c.dataset).toMatchObject({ kind: 'spiral', pointsPerSpiral: 97, noise: 0.1, testFraction: 0.2 });
    expect(c.model.hidden).toBe(10);
    expect(c.loss.kind).toBe('sigmoid');
    expect(c.l2).toBe(1e-5);
    expect(c.duplicates).toEqual({ energyTolerance: 1e-9, distanceTolerance: 1e-3 });
  });
  it('layers preset < file < flags', () => {
    const f = file('a.json', JSON.stringify({ sampler: { chains: 2, steps: 50 }, loss: { kind: 'exp' } }));
    const c = resolveExploreConfig({ preset: 'demo', file: f, flags: { sampler: { steps: 7 } } });
    expect(c.sampler.chains).toBe(2);
    expect(c.sampler.steps).toBe(7);
    expect(c.loss.kind).toBe('exp');
    expect(c.transitionStates.enabled).toBe(true); // from the preset
  });
  it('rejects an unknown key, naming it and the file', () => {
    const f = file('b.json', JSON.stringify({ sampler: { tempreature: 1 } }));
    expect(() => resolveExploreConfig({ file: f })).toThrow(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: unknown key 'sampler.tempreature'$`));
  });
  it('rejects a wrong type, naming the key and the value', () => {
    const f = file('c.json', JSON.stringify({ sampler: { steps: 'many' } }));
    expect(() => resolveExploreConfig({ file: f })).toThrow(/c\.json: expected .*'sampler\.steps' but received 'many'$/);
    const g = file('d.json', JSON.stringify({ loss: { kind: 'logistic' } }));
    expect(() => resolveExploreConfig({ file: g })).toThrow(/d\.json: expected one of "ce", "sigmoid".* for 'loss\.kind' but received 'logistic'/);
  });
  it('reports invalid JSON with line and column', () => {
    const f = file('e.json', '{\n  "l2": 1e-5,\n  oops\n}');
    expect(() => resolveExploreConfig({ file: f })).toThrow(/e\.json:3:\d+: invalid JSON/);
  });
  it('rejects an unknown preset and a csv dataset without a path', () => {
    expect(() => resolveExploreConfig({ preset: 'weekend' })).toThrow(UsageError);
    expect(() => resolveExploreConfig({ flags: { dataset: { kind: 'csv' } } })).toThrow(/dataset\.path/);
  });
  it('rejects out-of-range flag values', () => {
    expect(() => resolveExploreConfig({ flags: { sampler: { chains: 0 } } })).toThrow(/^options: expected a value > 0 for 'sampler\.chains' but received 0$/);
  });
});

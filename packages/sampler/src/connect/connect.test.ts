// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOL, createRng, type Potential } from '@lossscape/numeric';
import { createMemoryStore, type LandscapeStore } from '@lossscape/landscape';
import type { SamplerEvent } from '../events.js';
import { lbfgs } from '../optimize/lbfgs.js';
import { LJ7_ENERGY_DIGITS, MULLER_BROWN, lennardJones, mullerBrown, randomCluster } from '../test-utils/potentials.js';
import { jacobiEigenSolver } from '../test-utils/jacobi-eigen.js';
import { Components, componentsOf, missingConnectionPath } from './graph.js';
import { connect, type ConnectOptions, type ConnectSummary } from './connect.js';
import { mapMinima } from './map-minima.js';

const lj7 = JSON.parse(readFileSync(new URL('../../../../tools/reference/lj7.json', import.meta.url), 'utf8')) as {
  minima: Array<{ energy: number }>;
};

async function run(potential: Potential, store: LandscapeStore, options: ConnectOptions): Promise<{ events: SamplerEvent[]; summary: ConnectSummary }> {
  const events: SamplerEvent[] = [];
  const it = connect(potential, store, options);
  for (let step = await it.next(); ; step = await it.next()) {
    if (step.done) return { events, summary: step.value };
    events.push(step.value);
  }
}

const distinct = { energyTolerance: TOL.DUPLICATE_ENERGY };

describe('missingConnectionPath (Dijkstra over the complete graph)', () => {
  /**
   * Hand-made graph on minima 1…5 at positions x = 0, 1, 2, 3, 10 (weight = squared distance);
   * 1–2 already joined by a TS (weight 0). By hand, from 1 to 4:
   * - with 2–4 failed (∞): 1→2 (0) →3 (1) →4 (1) costs 2 (1→3→4 costs 5, 1→4 costs 9);
   * - with 2–4 and 3–4 failed: only 1→4 (9) or detours through 5 (≥ 49) remain: [1, 4].
   */
  const x = new Map([[1, 0], [2, 1], [3, 2], [4, 3], [5, 10]]);
  const weightWith = (failed: string[]) => (a: number, b: number): number => {
    const key = `${Math.min(a, b)}:${Math.max(a, b)}`;
    if (key === '1:2') return 0;
    if (failed.includes(key)) return Infinity;
    return (x.get(a)! - x.get(b)!) ** 2;
  };

  it('takes the cheapest open path and names its missing links', () => {
    const open = missingConnectionPath([1, 2, 3, 4, 5], weightWith(['2:4']), 1, 4)!;
    expect(open.path).toEqual([1, 2, 3, 4]);
    expect(open.missing).toEqual([[2, 3], [3, 4]]);
    expect(open.cost).toBe(2);
    const blocked = missingConnectionPath([1, 2, 3, 4, 5], weightWith(['2:4', '3:4']), 1, 4)!;
    expect(blocked.path).toEqual([1, 4]);
    expect(blocked.missing).toEqual([[1, 4]]);
    expect(blocked.cost).toBe(9);
  });

  it('follows connected pairs for free and reports no path when every link to the target failed', () => {
    const free = missingConnectionPath([1, 2, 3], (a, b) => (a + b === 3 || a + b === 5 ? 0 : 7), 1, 3)!;
    expect(free.path).toEqual([1, 2, 3]);
    expect(free.missing).toEqual([]);
    expect(missingConnectionPath([1, 2, 3], (a, b) => (a === 3 || b === 3 ? Infinity : 1), 1, 3)).toBeUndefined();
    expect(missingConnectionPath([1, 2], () => 1, 1, 9)).toBeUndefined();
  });

  it('components are the transitive closure of the stored transition states', () => {
    const c = componentsOf([{ minimum1: 1, minimum2: 2 }, { minimum1: 3, minimum2: 4 }, { minimum1: 4, minimum2: 2 }, { minimum1: 6, minimum2: 7 }]);
    expect(c.same(1, 3)).toBe(true);
    expect(c.same(1, 6)).toBe(false);
    expect(c.same(5, 5)).toBe(true);
    expect(new Components().same(1, 2)).toBe(false);
  });
});

describe('connect on Müller–Brown', () => {
  const mb = mullerBrown();
  const [MA, MB, MC] = MULLER_BROWN.minima;

  async function storeWith(...points: Array<{ x: number; y: number }>): Promise<LandscapeStore> {
    const store = createMemoryStore();
    for (const p of points) {
      const q = lbfgs(mb, Float64Array.of(p.x, p.y));
      await store.addMinimum({ energy: q.energy, coordinates: q.x, rmsGradient: q.rmsGradient, step: 0, chain: 0 }, distinct);
    }
    return store;
  }

  it('connects MA and MB through the new minimum MC with S1 and S2, emitting typed events', async () => {
    const store = await storeWith(MA, MB);
    const { events, summary } = await run(mb, store, { strategy: { kind: 'missing-connection', minima: [1, 2] }, eigenSolver: jacobiEigenSolver });
    expect(summary).toMatchObject({ reason: 'connected', connected: true, attempts: 1, successfulAttempts: 1, minimaAdded: 1, transitionStatesAdded: 2 });
    const minima = await store.minima();
    expect(minima).toHaveLength(3);
    expect(Math.abs(minima[2].energy - MC.energy)).toBeLessThan(1e-6);
    const ts = await store.transitionStates();
    expect(ts.map((t) => [t.minimum1, t.minimum2])).toEqual([[1, 3], [2, 3]]);
    expect(Math.abs(ts[0].energy - MULLER_BROWN.saddles[0].energy)).toBeLessThan(1e-6);
    expect(Math.abs(ts[1].energy - MULLER_BROWN.saddles[1].energy)).toBeLessThan(1e-6);
    for (const t of ts) {
      expect(t.negativeEigenvalue).toBeLessThan(0);
      expect(t.rmsGradient).toBeLessThanOrEqual(TOL.RMS_GRADIENT_CONVERGED);
      expect(Number.isFinite(t.lpphe)).toBe(true);
    }
    expect(events.map((e) => e.type)).toEqual(['minimum-added', 'transition-state-added', 'transition-state-added', 'connection-attempt', 'run-finished']);
    expect(events.every((e) => e.chain === -1 && e.elapsedMs >= 0)).toBe(true);
    expect(events[3]).toMatchObject({ type: 'connection-attempt', minimum1: 1, minimum2: 2, connected: true, transitionStatesFound: 2 });
    expect(await store.failedConnections()).toEqual([]);
    // Running again finds nothing to do.
    const again = await run(mb, store, { strategy: { kind: 'missing-connection', minima: [1, 2, 3] } });
    expect(again.summary).toMatchObject({ reason: 'connected', attempts: 0 });
  });

  it('works without an eigen-solver (Rayleigh–Ritz index check, LPPHE unknown) and with the SQLite-like NaN contract', async () => {
    const store = await storeWith(MA, MC);
    const { summary } = await run(mb, store, { strategy: { kind: 'missing-connection', minima: [1, 2] } });
    expect(summary).toMatchObject({ reason: 'connected', transitionStatesAdded: 1 });
    const [ts] = await store.transitionStates();
    expect(Math.abs(ts.energy - MULLER_BROWN.saddles[0].energy)).toBeLessThan(1e-6);
    expect(ts.lpphe).toBeNaN();
    expect(ts.negativeEigenvalue).toBeLessThan(0);
  });

  it('grows the landscape from each minimum to its nearest neighbours', async () => {
    const store = await storeWith(MA, MC, MB);
    const { summary } = await run(mb, store, { strategy: { kind: 'grow', neighbours: 1 }, eigenSolver: jacobiEigenSolver });
    expect(summary.reason).toBe('steps');
    expect(componentsOf(await store.transitionStates()).same(1, 3)).toBe(true);
    expect(await store.transitionStateCount()).toBe(2);
  });

  it('stops at once when aborted and respects the attempt budget', async () => {
    const store = await storeWith(MA, MB);
    const controller = new AbortController();
    controller.abort();
    expect((await run(mb, store, { strategy: { kind: 'missing-connection', minima: [1, 2] }, signal: controller.signal })).summary.reason).toBe('aborted');
    expect((await run(mb, store, { strategy: { kind: 'missing-connection', minima: [1, 2] }, maxAttempts: 0 })).summary.reason).toBe('budget');
    expect(await store.transitionStateCount()).toBe(0);
  });

  it('rejects a bad strategy on the first next()', async () => {
    const store = await storeWith(MA);
    await expect(run(mb, store, { strategy: { kind: 'missing-connection', minima: [1] } })).rejects.toThrow(/^Expected at least two minimum ids for strategy\.minima/);
    await expect(run(mb, store, { strategy: { kind: 'sideways' } as never })).rejects.toThrow(/for strategy\.kind but received 'sideways'/);
  });
});

describe('connect on LJ7 in a container', () => {
  it('joins all four minima by verified transition states', async () => {
    const lj = lennardJones(7, { containerRadius: 3 });
    const rng = createRng(5);
    const store = createMemoryStore();
    for (let i = 0; i < 200 && (await store.minimumCount()) < 4; i++) {
      const q = lbfgs(lj, randomCluster(7, () => rng.uniform()));
      if (q.converged) await store.addMinimum({ energy: q.energy, coordinates: q.x, rmsGradient: q.rmsGradient, step: i, chain: 0 }, distinct);
    }
    const found = (await store.minima()).map((m) => m.energy).sort((a, b) => a - b);
    expect(found).toHaveLength(4);
    found.forEach((e, i) => expect(Math.abs(e - lj7.minima[i].energy)).toBeLessThan(LJ7_ENERGY_DIGITS));

    const ids = (await store.minima()).map((m) => m.id);
    const { summary } = await run(lj, store, { strategy: { kind: 'missing-connection', minima: ids }, eigenSolver: jacobiEigenSolver, maxAttempts: 12 });
    expect(summary).toMatchObject({ reason: 'connected', connected: true });
    const ts = await store.transitionStates();
    const minima = await store.minima();
    const c = componentsOf(ts);
    for (const id of ids) expect(c.same(id, ids[0])).toBe(true);
    for (const t of ts) {
      expect(t.rmsGradient).toBeLessThanOrEqual(TOL.RMS_GRADIENT_CONVERGED);
      expect(t.negativeEigenvalue).toBeLessThan(0);
      // A saddle lies above both minima it joins.
      expect(t.energy).toBeGreaterThan(minima[t.minimum1 - 1].energy);
      expect(t.energy).toBeGreaterThan(minima[t.minimum2 - 1].energy);
    }
  });
});

describe('mapMinima', () => {
  it('quenches the minima of a tilted surface on Müller–Brown and finds them in the store', async () => {
    const mb = mullerBrown();
    const tilt = 20;
    const tilted: Potential = {
      dimension: 2,
      energy: (x) => mb.energy(x) + tilt * x[0],
      energyGradient: (x, g) => {
        const e = mb.energyGradient(x, g);
        g[0] += tilt;
        return e + tilt * x[0];
      },
    };
    const store = createMemoryStore();
    const sources: Array<{ id: number; energy: number; coordinates: Float64Array }> = [];
    for (const p of MULLER_BROWN.minima) {
      const q = lbfgs(mb, Float64Array.of(p.x, p.y));
      await store.addMinimum({ energy: q.energy, coordinates: q.x, rmsGradient: q.rmsGradient, step: 0, chain: 0 }, distinct);
      const s = lbfgs(tilted, Float64Array.of(p.x, p.y));
      sources.push({ id: sources.length + 1, energy: s.energy, coordinates: s.x });
    }
    const mapped = await mapMinima(sources, mb, { store });
    expect(mapped.map((m) => m.targetId)).toEqual([1, 2, 3]);
    mapped.forEach((m, i) => {
      const ref = MULLER_BROWN.minima[i];
      expect(m.converged).toBe(true);
      expect(m.steps).toBeGreaterThan(0);
      expect(m.distance).toBeCloseTo(Math.hypot(sources[i].coordinates[0] - ref.x, sources[i].coordinates[1] - ref.y), 6);
      expect(m.distance).toBeGreaterThan(1e-3);
      expect(m.startEnergy).toBeGreaterThan(m.energy);
      expect(m.sourceId).toBe(i + 1);
    });
    // Without a store: no ids. With addToStore into an empty store: all new.
    expect((await mapMinima(sources, mb)).every((m) => m.targetId === undefined)).toBe(true);
    const fresh = createMemoryStore();
    const added = await mapMinima(sources, mb, { store: fresh, addToStore: true });
    expect(added.map((m) => m.isNew)).toEqual([true, true, true]);
    await expect(mapMinima([{ coordinates: Float64Array.of(1) }], mb)).rejects.toThrow(/^Expected Float64Array of length 2 for sourceMinima\[0\]\.coordinates/);
  });
});

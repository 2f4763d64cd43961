// SPDX-License-Identifier: MIT
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TOL, createRng, type Potential } from '@lossscape/numeric';
import { createMemoryStore, openSqliteStore, type LandscapeStore, type MinimumRecord } from '@lossscape/landscape';
import type { SamplerEvent } from '../events.js';
import { lbfgs } from '../optimize/lbfgs.js';
import type { Minimize, MinimizeResult } from '../optimize/result.js';
import { LJ7_ENERGY_DIGITS, LJ7_MINIMA, lennardJones, mullerBrown, MULLER_BROWN, randomCluster } from '../test-utils/potentials.js';
import { alignedUnitDistance, symmetricToy } from '../test-utils/symmetric-toy.js';
import { basinHopping, type BasinHoppingOptions, type BasinHoppingSummary } from './basin-hopping.js';
import { Chain, chainRng, initialCheckpoint } from './chain.js';

const dir = mkdtempSync(join(tmpdir(), 'lossscape-bh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(options: BasinHoppingOptions): Promise<{ events: SamplerEvent[]; summary: BasinHoppingSummary }> {
  const events: SamplerEvent[] = [];
  const it = basinHopping(options);
  for (;;) {
    const next = await it.next();
    if (next.done) return { events, summary: next.value };
    events.push(next.value);
  }
}

const of = <T extends SamplerEvent['type']>(events: SamplerEvent[], type: T) => events.filter((e): e is Extract<SamplerEvent, { type: T }> => e.type === type);

function lj7Options(seed: number, extra: Partial<BasinHoppingOptions> = {}): BasinHoppingOptions {
  const rng = createRng(1000 + seed);
  return {
    potential: lennardJones(7, { containerRadius: 2 }),
    x0: randomCluster(7, () => rng.uniform()),
    steps: 2000,
    temperature: 0.8,
    stepSize: 0.4,
    seed,
    ...extra,
  };
}

describe('basinHopping on LJ7 in a spherical container', () => {
  it('finds all four minima within 2000 steps and stores none twice', async () => {
    const store = createMemoryStore();
    const { events, summary } = await collect(lj7Options(1, { store }));
    const minima = await store.minima();
    expect(minima).toHaveLength(LJ7_MINIMA.length);
    const energies = minima.map((m) => m.energy).sort((a, b) => a - b);
    energies.forEach((e, k) => expect(Math.abs(e - LJ7_MINIMA[k])).toBeLessThan(LJ7_ENERGY_DIGITS));
    for (const m of minima) expect(m.rmsGradient).toBeLessThanOrEqual(TOL.RMS_GRADIENT_CONVERGED);
    // Every converged quench is a hit on exactly one stored minimum.
    const quenches = of(events, 'quench');
    expect(quenches).toHaveLength(2000);
    const converged = quenches.filter((q) => q.converged).length;
    expect(minima.reduce((s, m) => s + m.hits, 0)).toBe(converged);
    expect(summary).toMatchObject({ reason: 'steps', steps: 2000, totalQuenches: 2000, distinctMinima: 4 });
    expect(summary.bestEnergy).toBeCloseTo(LJ7_MINIMA[0], 5);
  });

  it('emits a well-formed event stream', async () => {
    const { events } = await collect(lj7Options(2, { steps: 300, progressIntervalMs: 0 }));
    expect(events[0]).toMatchObject({ type: 'run-started', chain: 0, chains: 1, steps: 300, resumedQuenches: 0, resumedMinima: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', reason: 'steps', totalQuenches: 300, transitionStates: 0 });
    expect(events.at(-2)).toMatchObject({ type: 'chain-finished', reason: 'steps', steps: 300 });
    for (let k = 1; k < events.length; k++) expect(events[k].elapsedMs).toBeGreaterThanOrEqual(events[k - 1].elapsedMs);
    expect(events.every((e) => e.chain === 0)).toBe(true);
    expect(of(events, 'quench').map((q) => q.step)).toEqual(Array.from({ length: 300 }, (_, k) => k));
    const added = of(events, 'minimum-added');
    expect(added.map((a) => a.minimum.id)).toEqual(added.map((_, k) => k + 1));
    expect(added.map((a) => a.distinctMinima)).toEqual(added.map((_, k) => k + 1));
    // A minimum-added follows the quench that found it.
    for (const a of added) {
      const q = events[events.indexOf(a) - 1];
      expect(q).toMatchObject({ type: 'quench', step: a.step, isNew: true, minimumId: a.minimum.id });
    }
    const progress = of(events, 'progress');
    expect(progress.at(-1)).toMatchObject({ step: 300, totalQuenches: 300, distinctMinima: added.length });
  });

  it('records the discovery curve: one point per new minimum, closed at the last quench', async () => {
    const store = createMemoryStore();
    const { events } = await collect(lj7Options(3, { store, steps: 500 }));
    const curve = await store.discoveryCurve();
    const added = of(events, 'minimum-added');
    expect(curve.slice(0, added.length).map((p) => [p.quenches, p.distinctMinima])).toEqual(added.map((a) => [a.step + 1, a.minimum.id]));
    expect(curve.at(-1)).toMatchObject({ quenches: 500, distinctMinima: 4 });
    for (let k = 1; k < curve.length; k++) expect(curve[k].elapsedMs).toBeGreaterThanOrEqual(curve[k - 1].elapsedMs);
  });

  it('is deterministic: same seed and settings give the same minima, in memory and in SQLite', async () => {
    const signature = (minima: MinimumRecord[]) => minima.map((m) => [m.id, m.energy, m.firstStep, m.hits, Array.from(m.coordinates)]);
    const a = createMemoryStore();
    const b = await openSqliteStore(join(dir, 'determinism.sqlite'));
    const runA = await collect(lj7Options(4, { store: a, steps: 400 }));
    const runB = await collect(lj7Options(4, { store: b, steps: 400 }));
    expect(signature(await b.minima())).toEqual(signature(await a.minima()));
    const energies = (r: { events: SamplerEvent[] }) => of(r.events, 'quench').map((q) => [q.energy, q.accepted]);
    expect(energies(runB)).toEqual(energies(runA));
    const runC = await collect(lj7Options(4, { steps: 400, seed: 5 }));
    expect(energies(runC)).not.toEqual(energies(runA));
    await b.close();
  });
});

describe('duplicate minima', () => {
  it('uses the potential’s comparator: equal-energy minima kept apart, permuted and sign-flipped copies merged', async () => {
    const potential = symmetricToy({ units: 2 });
    const base = { potential, x0: Float64Array.of(0.9, 1.1, -1.2, 0.8), steps: 300, temperature: 1, stepSize: 1.2, seed: 9 };
    const store = createMemoryStore();
    const { events } = await collect({ ...base, store });
    const minima = await store.minima();
    // Classes by how many units have a·b < 0: 0, 1 or 2.
    expect(minima).toHaveLength(3);
    const classes = minima.map((m) => [0, 1].filter((u) => m.coordinates[2 * u] * m.coordinates[2 * u + 1] < 0).length).sort();
    expect(classes).toEqual([0, 1, 2]);
    for (const p of minima) for (const q of minima) if (p !== q) expect(alignedUnitDistance(p.coordinates, q.coordinates)).toBeGreaterThan(1);
    // Many coordinate-distinct copies were quenched, yet each landed on its class.
    const quenched = of(events, 'quench').filter((q) => q.converged);
    expect(minima.reduce((s, m) => s + m.hits, 0)).toBe(quenched.length);

    const energyOnly = createMemoryStore();
    await collect({ ...base, store: energyOnly, duplicate: { useSymmetry: false } });
    expect(await energyOnly.minimumCount()).toBe(1);
  });

  it('falls back to energy alone for a potential without a comparator (GMIN)', async () => {
    const plain: Potential = { ...symmetricToy({ units: 2 }), sameMinimum: undefined };
    const store = createMemoryStore();
    await collect({ potential: plain, x0: Float64Array.of(1, 1, 1, 1), steps: 100, temperature: 1, stepSize: 1.2, seed: 2, store });
    expect(await store.minimumCount()).toBe(1);
  });
});

describe('failed quenches', () => {
  it('are never stored or accepted, and raise a warning', async () => {
    let calls = 0;
    const bogus = -1e6;
    const flaky: Minimize = (potential, x0, options) => {
      const result = lbfgs(potential, x0, options);
      if (++calls % 3 !== 0) return result;
      const failed: MinimizeResult = { ...result, energy: bogus, converged: false, message: 'max-iterations' };
      return failed;
    };
    const store = createMemoryStore();
    const { events } = await collect(lj7Options(6, { store, steps: 300, minimize: flaky }));
    const quenches = of(events, 'quench');
    const failed = quenches.filter((q) => !q.converged);
    expect(failed).toHaveLength(100);
    for (const q of failed) expect(q).toMatchObject({ accepted: false, minimumId: null, isNew: false });
    expect(quenches.every((q) => q.currentEnergy !== bogus)).toBe(true);
    const warnings = of(events, 'warning');
    expect(warnings).toHaveLength(100);
    expect(warnings[0]).toMatchObject({ code: 'ERR_NOT_CONVERGED', message: expect.stringMatching(/^Quench at step 2 did not converge \(max-iterations/) });
    const minima = await store.minima();
    expect(minima.every((m) => m.energy !== bogus)).toBe(true);
    expect(minima.reduce((s, m) => s + m.hits, 0)).toBe(200);
  });
});

describe('stop criteria', () => {
  it('stops after K quenches without a new minimum', async () => {
    const { events, summary } = await collect(lj7Options(7, { steps: Infinity, stopAfterNoNewMinima: 60, reseedAfter: Infinity }));
    expect(summary.reason).toBe('stagnation');
    const quenches = of(events, 'quench');
    const lastNew = quenches.findLastIndex((q) => q.isNew);
    expect(quenches.length - 1 - lastNew).toBe(60);
  });

  it('stops at a time budget', async () => {
    const { summary } = await collect(lj7Options(8, { steps: Infinity, timeBudgetMs: 40 }));
    expect(summary.reason).toBe('time');
    expect(summary.steps).toBeGreaterThan(0);
  });

  it('stops when aborted, between quenches and inside one', async () => {
    const controller = new AbortController();
    const events: SamplerEvent[] = [];
    for await (const e of basinHopping(lj7Options(9, { steps: Infinity, signal: controller.signal }))) {
      events.push(e);
      if (e.type === 'quench' && e.step === 9) controller.abort();
    }
    expect(of(events, 'quench')).toHaveLength(10);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', reason: 'aborted', totalQuenches: 10 });

    const inside = new AbortController();
    let evaluations = 0;
    const lj = lennardJones(7, { containerRadius: 2 });
    const aborting: Potential = {
      dimension: lj.dimension,
      energy: (x) => lj.energy(x),
      energyGradient: (x, g) => {
        if (++evaluations === 1000) inside.abort();
        return lj.energyGradient(x, g);
      },
    };
    const { summary } = await collect(lj7Options(9, { potential: aborting, steps: Infinity, signal: inside.signal }));
    expect(summary.reason).toBe('aborted');
    expect(summary.steps).toBeLessThan(20);
  });

  it('validates options when iteration starts', async () => {
    await expect(collect(lj7Options(1, { steps: undefined }))).rejects.toThrow(/^Expected at least one of steps, timeBudgetMs, stopAfterNoNewMinima or signal for stop criteria/);
    await expect(collect(lj7Options(1, { temperature: -1 }))).rejects.toThrow(RangeError);
    await expect(collect(lj7Options(1, { x0: new Float64Array(3) }))).rejects.toMatchObject({ code: 'ERR_DIMENSION_MISMATCH' });
    await expect(collect(lj7Options(1, { targetAcceptance: 1 }))).rejects.toThrow(/targetAcceptance/);
  });
});

describe('adaptation and reseeding', () => {
  it('grows the step size geometrically when every step is accepted, up to maxStepSize', async () => {
    const { events } = await collect({
      potential: mullerBrown(),
      x0: Float64Array.of(MULLER_BROWN.minima[0].x, MULLER_BROWN.minima[0].y),
      steps: 200,
      temperature: 1e9,
      stepSize: 0.1,
      maxStepSize: 0.2,
      adaptEvery: 20,
      seed: 1,
    });
    const changes = of(events, 'step-size');
    expect(changes).toHaveLength(10);
    expect(changes.every((c) => c.acceptance === 1)).toBe(true);
    changes.forEach((c, k) => expect(c.stepSize).toBeCloseTo(Math.min(0.2, 0.1 / 0.9 ** (k + 1)), 12));
  });

  it('shrinks the step size when acceptance is below target', async () => {
    // Large steps leave the basin; at a low temperature the uphill landings are rejected.
    const { events } = await collect(lj7Options(10, { temperature: 0.01, stepSize: 1, steps: 400, adaptEvery: 50 }));
    const changes = of(events, 'step-size');
    expect(changes.length).toBe(8);
    expect(changes[0].acceptance).toBeLessThan(0.5);
    expect(changes[0].stepSize).toBeCloseTo(0.9, 12);
    expect(changes.at(-1)!.stepSize).toBeLessThan(1);
    changes.forEach((c, k) => {
      const before = k === 0 ? 1 : changes[k - 1].stepSize;
      expect(c.stepSize).toBeCloseTo(c.acceptance > 0.5 ? before / 0.9 : before * 0.9, 12);
    });
  });

  it('reseeds from a fresh random point after a stagnation and accepts that restart', async () => {
    const { events } = await collect(lj7Options(11, { steps: 400, reseedAfter: 40 }));
    const reseeds = of(events, 'reseed');
    expect(reseeds.length).toBeGreaterThan(3);
    for (const r of reseeds) {
      const next = events.slice(events.indexOf(r)).find((e) => e.type === 'quench' && e.step === r.step + 1);
      if (next && next.type === 'quench' && next.converged) expect(next.accepted).toBe(true);
    }
  });
});

describe('Metropolis test', () => {
  it('accepts an uphill move of T·ln 2 about half of the time', () => {
    const temperature = 0.7;
    let current = 0;
    const rise = temperature * Math.LN2;
    const scripted: Minimize = (_p, x) => ({ x, energy: current + rise, gradient: new Float64Array(x.length), rmsGradient: 0, iterations: 1, evaluations: 1, converged: true, message: 'converged' });
    const settings = { temperature, targetAcceptance: 0.5, adaptEvery: Infinity, adaptFactor: 0.9, minStepSize: 0.01, maxStepSize: 1, reseedAfter: Infinity, reseedScale: 1, minimizeOptions: {} };
    const chain = new Chain({ potential: mullerBrown(), minimize: scripted, x0: Float64Array.of(0, 0), settings }, initialCheckpoint(0, 2, 0.1, chainRng(3, 0)));
    chain.step(); // the first quench is accepted unconditionally
    current = chain.checkpoint.energy;
    const trials = 4000;
    let accepted = 0;
    for (let k = 0; k < trials; k++) {
      if (chain.step().accepted) accepted++;
      current = chain.checkpoint.energy;
    }
    const sigma = Math.sqrt(0.25 / trials);
    expect(Math.abs(accepted / trials - 0.5)).toBeLessThan(4 * sigma);
  });
});

describe('per-minimum evaluation', () => {
  it('stores the evaluator’s properties, flags a saddle and survives a failing evaluator', async () => {
    const store: LandscapeStore = createMemoryStore();
    const { events } = await collect(
      lj7Options(12, {
        store,
        steps: 300,
        evaluate: async (m) => {
          if (m.id === 3) throw new Error('eigen-solver unavailable');
          return { index: m.id === 2 ? 1 : 0, smallestEigenvalue: m.id === 2 ? -0.5 : 0.1, lpphe: -m.energy };
        },
      }),
    );
    const minima = await store.minima();
    expect(minima.length).toBe(4);
    const props = of(events, 'minimum-properties');
    expect(props.map((p) => p.minimumId)).toEqual([1, 2, 3, 4]);
    expect(minima[0].properties).toEqual({ index: 0, smallestEigenvalue: 0.1, lpphe: -minima[0].energy });
    expect(minima[1].properties.flag).toBe('index 1, smallest eigenvalue -0.5: not a minimum');
    expect(minima[2].properties.flag).toBe('evaluation failed: eigen-solver unavailable');
    const warnings = of(events, 'warning');
    expect(warnings.map((w) => w.code).sort()).toEqual(['ERR_EVALUATION', 'ERR_NOT_A_MINIMUM']);
  });
});

describe('resume in-process', () => {
  it('continues from the checkpoint to the same minima as an uninterrupted run', async () => {
    const whole = createMemoryStore();
    await collect(lj7Options(13, { store: whole, steps: 300, reseedAfter: 25 }));
    const split = createMemoryStore();
    await collect(lj7Options(13, { store: split, steps: 120, reseedAfter: 25 }));
    const { events } = await collect(lj7Options(13, { store: split, steps: 300, reseedAfter: 25, resume: true }));
    expect(events[0]).toMatchObject({ type: 'run-started', resumedQuenches: 120 });
    expect(of(events, 'quench')[0].step).toBe(120);
    const signature = (minima: MinimumRecord[]) => minima.map((m) => [m.energy, m.hits, m.firstStep, Array.from(m.coordinates)]);
    expect(signature(await split.minima())).toEqual(signature(await whole.minima()));
  });

  it('evaluates minima left without properties by an interrupted run, and refuses a foreign checkpoint', async () => {
    const store = createMemoryStore();
    await collect(lj7Options(14, { store, steps: 50 }));
    const count = await store.minimumCount();
    const { events } = await collect(lj7Options(14, { store, steps: 60, resume: true, evaluate: (m) => ({ lpphe: m.id }) }));
    const evaluated = of(events, 'minimum-properties').map((e) => e.minimumId);
    expect(evaluated.slice(0, count)).toEqual(Array.from({ length: count }, (_, k) => k + 1));
    expect((await store.minima()).every((m) => m.properties.lpphe === m.id)).toBe(true);

    await store.saveCheckpoint('basin-hopping/chain/0', { version: 1, chain: 0, dimension: 6 });
    await expect(collect(lj7Options(14, { store, steps: 70, resume: true }))).rejects.toMatchObject({ code: 'ERR_DATABASE' });
  });
});

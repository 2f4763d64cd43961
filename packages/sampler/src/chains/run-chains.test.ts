// SPDX-License-Identifier: MIT
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@lossscape/numeric';
import { createMemoryStore } from '@lossscape/landscape';
import type { QuenchEvent, SamplerEvent } from '../events.js';
import { basinHopping } from '../basin-hopping/basin-hopping.js';
import { LJ7_ENERGY_DIGITS, LJ7_MINIMA, lennardJones, randomCluster } from '../test-utils/potentials.js';
import { runChains, type RunChainsOptions, type RunChainsSummary } from './run-chains.js';
import { ensureBuilt } from '../test-utils/ensure-built.js';
import { inThreadTransport, taskTransport } from './transport.js';

const factories = new URL('../test-utils/potential-factories.ts', import.meta.url);
const lj7Factory = { module: factories, exportName: 'createLennardJones', args: { atoms: 7, containerRadius: 2 } };
const rng = createRng(31);
const x0 = randomCluster(7, () => rng.uniform());

async function collect(options: RunChainsOptions): Promise<{ events: SamplerEvent[]; summary: RunChainsSummary }> {
  const events: SamplerEvent[] = [];
  const it = runChains(options);
  for (;;) {
    const next = await it.next();
    if (next.done) return { events, summary: next.value };
    events.push(next.value);
  }
}

const quenchesOf = (events: SamplerEvent[], chain: number) => events.filter((e): e is QuenchEvent => e.type === 'quench' && e.chain === chain);
const trajectory = (qs: QuenchEvent[]) => qs.map((q) => [q.step, q.energy, q.accepted]);

const base = { potential: lj7Factory, x0, temperature: 0.8, stepSize: 0.4, seed: 5, reseedAfter: Infinity } as const;

describe('runChains (in-thread transport)', () => {
  it('two chains find all LJ7 minima into one store, none twice, with merged events', async () => {
    const store = createMemoryStore();
    const { events, summary } = await collect({ ...base, chains: 2, steps: 800, store, transport: inThreadTransport() });
    const minima = await store.minima();
    expect(minima).toHaveLength(4);
    minima
      .map((m) => m.energy)
      .sort((a, b) => a - b)
      .forEach((e, k) => expect(Math.abs(e - LJ7_MINIMA[k])).toBeLessThan(LJ7_ENERGY_DIGITS));
    for (const chain of [0, 1]) expect(quenchesOf(events, chain).map((q) => q.step)).toEqual(Array.from({ length: 800 }, (_, k) => k));
    const converged = events.filter((e) => e.type === 'quench' && e.converged).length;
    expect(minima.reduce((s, m) => s + m.hits, 0)).toBe(converged);
    expect(events[0]).toMatchObject({ type: 'run-started', chain: -1, chains: 2 });
    expect(events.filter((e) => e.type === 'chain-finished').map((e) => e.chain).sort()).toEqual([0, 1]);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', chain: -1, reason: 'steps', totalQuenches: 1600, distinctMinima: 4 });
    expect(summary).toMatchObject({ reason: 'steps', totalQuenches: 1600, distinctMinima: 4 });
    // Global quench indices: every minimum's firstStep is a distinct index below 1600.
    expect(new Set(minima.map((m) => m.firstStep)).size).toBe(4);
    expect(Math.max(...minima.map((m) => m.firstStep))).toBeLessThan(1600);
  });

  it('runs each chain exactly as basinHopping({ chain }) does', async () => {
    const { events } = await collect({ ...base, chains: 2, steps: 300, transport: inThreadTransport() });
    for (const chain of [0, 1]) {
      const single: QuenchEvent[] = [];
      const potential = lennardJones(7, { containerRadius: 2 });
      for await (const e of basinHopping({ ...base, potential, chain, steps: 300 })) if (e.type === 'quench') single.push(e);
      expect(trajectory(quenchesOf(events, chain))).toEqual(trajectory(single));
    }
  });

  it('stops all chains on stagnation across chains and on abort', async () => {
    const stagnant = await collect({ ...base, chains: 2, steps: Infinity, stopAfterNoNewMinima: 100, transport: inThreadTransport() });
    expect(stagnant.summary.reason).toBe('stagnation');
    const quenches = stagnant.events.filter((e): e is QuenchEvent => e.type === 'quench');
    const lastNew = quenches.findLastIndex((q) => q.isNew);
    // Both chains are told to stop at their next report after the 100th quench without news.
    expect(quenches.length - 1 - lastNew).toBeGreaterThanOrEqual(100);
    expect(quenches.length - 1 - lastNew).toBeLessThanOrEqual(101);

    const controller = new AbortController();
    const events: SamplerEvent[] = [];
    for await (const e of runChains({ ...base, chains: 2, steps: Infinity, signal: controller.signal, transport: inThreadTransport() })) {
      events.push(e);
      if (e.type === 'quench' && events.filter((x) => x.type === 'quench').length === 50) controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', reason: 'aborted' });
    expect(events.filter((e) => e.type === 'quench').length).toBeLessThan(60);
  });

  it('resumes every chain from its checkpoint', async () => {
    const store = createMemoryStore();
    await collect({ ...base, chains: 2, steps: 150, store, transport: inThreadTransport() });
    const { events, summary } = await collect({ ...base, chains: 2, steps: 300, store, resume: true, transport: inThreadTransport() });
    expect(events[0]).toMatchObject({ type: 'run-started', resumedQuenches: 300 });
    expect(summary.totalQuenches).toBe(600);
    const whole = await collect({ ...base, chains: 2, steps: 300, transport: inThreadTransport() });
    for (const chain of [0, 1]) expect(trajectory(quenchesOf(events, chain))).toEqual(trajectory(quenchesOf(whole.events, chain)).slice(150));
  });

  it('evaluates new minima on the main thread', async () => {
    const store = createMemoryStore();
    const { events } = await collect({ ...base, chains: 2, steps: 200, store, transport: inThreadTransport(), evaluate: (m) => ({ lpphe: -m.id }) });
    const minima = await store.minima();
    expect(minima.every((m) => m.properties.lpphe === -m.id)).toBe(true);
    expect(events.filter((e) => e.type === 'minimum-properties')).toHaveLength(minima.length);
  });

  it('fails with ERR_WORKER when the factory cannot build the potential', async () => {
    await expect(collect({ ...base, potential: { module: factories, exportName: 'notAFunction' }, chains: 1, steps: 10, transport: inThreadTransport() })).rejects.toMatchObject({
      code: 'ERR_WORKER',
      message: expect.stringMatching(/^Expected a function export 'notAFunction'/),
    });
    await expect(
      collect({ ...base, potential: { module: factories, exportName: 'createFailingSecondTime' }, chains: 1, steps: 10, transport: inThreadTransport() }),
    ).rejects.toMatchObject({ code: 'ERR_WORKER', message: expect.stringMatching(/^Chain 0 worker failed: cannot build the potential here/) });
    await expect(collect({ ...base, chains: 0, steps: 10 })).rejects.toThrow(RangeError);
  });
});

describe('runChains (@lossscape/parallel task threads)', () => {
  // Chain threads run the built chain-worker.js (threads cannot load TypeScript).
  beforeAll(() => {
    for (const name of ['numeric', 'landscape', 'parallel', 'sampler']) ensureBuilt(name);
  }, 240_000);

  it('quenches in task threads with the same per-chain trajectories', async () => {
    const threaded = await collect({ ...base, chains: 2, steps: 200, transport: taskTransport() });
    const inThread = await collect({ ...base, chains: 2, steps: 200, transport: inThreadTransport() });
    for (const chain of [0, 1]) expect(trajectory(quenchesOf(threaded.events, chain))).toEqual(trajectory(quenchesOf(inThread.events, chain)));
    expect(threaded.summary).toMatchObject({ reason: 'steps', totalQuenches: 400, distinctMinima: 4 });
  });

  it('terminates its workers when aborted mid-run', async () => {
    const controller = new AbortController();
    let quenches = 0;
    for await (const e of runChains({ ...base, chains: 2, steps: Infinity, signal: controller.signal })) {
      if (e.type === 'quench' && ++quenches === 20) controller.abort();
      if (e.type === 'run-finished') expect(e.reason).toBe('aborted');
    }
    expect(quenches).toBeGreaterThanOrEqual(20);
  });
});

// SPDX-License-Identifier: MIT
// Basin-hopping throughput (`npm run bench -- basin-hopping`), against the built dist:
// quenches per second and distinct minima per minute, one chain and two chains.
//
// Surface: LJ13 in a spherical container (39 coordinates, many minima, quenches of ~1 ms), so
// that the sampler's own costs (events, store transactions, the worker round trip per quench)
// are visible next to the quench. Then the spiral CE / sigmoid landscapes of the study (2-10-2,
// 194 points, λ = 1e-5; potential from bench/spiral-factory.ts, built on tensor-core and data).
//
// Each configuration runs REPEATS times (env BENCH_REPEATS, default 3) after one untimed
// warm-up; the table gives min and median wall time and rates at the median, with ratios to the
// in-process single chain measured in the same run. The machine is shared: treat as provisional.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@lossscape/numeric';
import { createMemoryStore, openSqliteStore, type LandscapeStore } from '@lossscape/landscape';
// The built package (dist), as the bench runner promises; relative because it is this package.
import { basinHopping, inThreadTransport, runChains, taskTransport, type SamplerEvent } from '../dist/index.js';
import { lennardJones } from '../src/test-utils/potentials.ts';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const STEPS = Number(process.env.BENCH_STEPS ?? 1500);
const ATOMS = 13;
const dir = mkdtempSync(join(tmpdir(), 'lossscape-bench-'));

function latticeStart(): Float64Array {
  const jitter = createRng(99);
  const x = new Float64Array(3 * ATOMS);
  for (let i = 0; i < ATOMS; i++) {
    x[3 * i] = 1.1 * (i % 3) - 1.1 + jitter.uniformIn(-0.05, 0.05);
    x[3 * i + 1] = 1.1 * (Math.floor(i / 3) % 3) - 1.1 + jitter.uniformIn(-0.05, 0.05);
    x[3 * i + 2] = 1.1 * Math.floor(i / 9) - 0.5 + jitter.uniformIn(-0.05, 0.05);
  }
  return x;
}

const x0 = latticeStart();
const sampling = { x0, steps: STEPS, temperature: 0.8, stepSize: 0.4, seed: 7, reseedAfter: 100 } as const;
const factory = { module: new URL('../src/test-utils/potential-factories.ts', import.meta.url), exportName: 'createLennardJones', args: { atoms: ATOMS, containerRadius: 3 } };

interface Outcome {
  readonly quenches: number;
  readonly distinct: number;
}

async function drain(events: AsyncIterable<SamplerEvent>): Promise<Outcome> {
  let quenches = 0;
  let distinct = 0;
  for await (const e of events) {
    if (e.type === 'quench') quenches++;
    if (e.type === 'run-finished') distinct = e.distinctMinima;
  }
  return { quenches, distinct };
}

// The factory module is TypeScript: chain threads load it through tsx, as this process does.
const threads = taskTransport({ tsx: true });
let sqliteRun = 0;
const configurations: Array<{ name: string; run: () => Promise<Outcome> }> = [
  { name: 'basinHopping, 1 chain, memory store', run: () => drain(basinHopping({ ...sampling, potential: lennardJones(ATOMS, { containerRadius: 3 }) })) },
  {
    name: 'basinHopping, 1 chain, SQLite store (WAL)',
    run: async () => {
      const store: LandscapeStore = await openSqliteStore(join(dir, `bench-${++sqliteRun}.sqlite`));
      try {
        return await drain(basinHopping({ ...sampling, potential: lennardJones(ATOMS, { containerRadius: 3 }), store }));
      } finally {
        await store.close();
      }
    },
  },
  { name: 'runChains, 1 chain, in-thread transport', run: () => drain(runChains({ ...sampling, potential: factory, chains: 1, transport: inThreadTransport(), store: createMemoryStore() })) },
  { name: 'runChains, 1 chain, task thread', run: () => drain(runChains({ ...sampling, potential: factory, chains: 1, transport: threads })) },
  { name: 'runChains, 2 chains, task threads', run: () => drain(runChains({ ...sampling, potential: factory, chains: 2, transport: threads })) },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

console.log(`LJ${ATOMS} in a container, ${STEPS} steps per chain, T 0.8, step 0.4; ${REPEATS} timed runs per configuration`);
const rows: Array<{ name: string; times: number[]; outcome: Outcome }> = [];
for (const c of configurations) {
  await c.run();
  const times: number[] = [];
  let outcome: Outcome = { quenches: 0, distinct: 0 };
  for (let r = 0; r < REPEATS; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    outcome = await c.run();
    times.push(performance.now() - t0);
  }
  rows.push({ name: c.name, times, outcome });
}

const baseRate = rows[0].outcome.quenches / median(rows[0].times);
console.log('| configuration | quenches | distinct minima | min ms | median ms | quenches/s | distinct minima/min | quench rate vs in-process |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const med = median(r.times);
  const rate = r.outcome.quenches / med;
  console.log(
    `| ${r.name} | ${r.outcome.quenches} | ${r.outcome.distinct} | ${Math.min(...r.times).toFixed(0)} | ${med.toFixed(0)} | ${(rate * 1000).toFixed(0)} | ${((r.outcome.distinct / med) * 60_000).toFixed(0)} | ${(rate / baseRate).toFixed(2)} |`,
  );
}

// ── The study's spiral landscapes ────────────────────────────────────────────────────────────
// A quench to RMS 1e-10 takes thousands of L-BFGS iterations here (the L2-lifted flat directions
// have curvature 2λ = 2e-5), i.e. seconds: each configuration runs for a time budget instead of
// a step count, once (BENCH_SPIRAL_MS per configuration, default 30 000).
const SPIRAL_MS = Number(process.env.BENCH_SPIRAL_MS ?? 30_000);
let spiral: typeof import('./spiral-factory.ts') | undefined;
try {
  spiral = await import('./spiral-factory.ts');
  spiral.createSpiralPotential({ loss: 'ce' });
} catch (err) {
  console.log(`\nSpiral CE / sigmoid (2-10-2, 194 points): skipped — ${(err as Error).message.split('\n')[0]}`);
  spiral = undefined;
}
if (spiral) {
  const { createSpiralPotential, spiralStart } = spiral;
  const spiralFactory = (loss: 'ce' | 'sigmoid') => ({ module: new URL('./spiral-factory.ts', import.meta.url), exportName: 'createSpiralPotential', args: { loss } });
  const spiralSampling = { x0: spiralStart(1), temperature: 0.02, stepSize: 0.3, seed: 11, timeBudgetMs: SPIRAL_MS, reseedAfter: Infinity } as const;
  console.log(`\nSpiral 2-10-2, 194 points, λ = 1e-5, T 0.02, step 0.3; ${SPIRAL_MS / 1000} s per configuration, one run each (timings provisional)`);
  console.log('| loss | configuration | quenches | distinct minima | wall s | quenches/s | distinct minima/min |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const loss of ['ce', 'sigmoid'] as const) {
    const runs: Array<[string, () => AsyncIterable<SamplerEvent>]> = [
      ['basinHopping, 1 chain, L-BFGS M = 4', () => basinHopping({ ...spiralSampling, potential: createSpiralPotential({ loss }) })],
      ['basinHopping, 1 chain, L-BFGS M = 30', () => basinHopping({ ...spiralSampling, potential: createSpiralPotential({ loss }), minimizeOptions: { memory: 30 } })],
      ['runChains, 2 chains, M = 4', () => runChains({ ...spiralSampling, potential: spiralFactory(loss), chains: 2, transport: threads })],
      ['runChains, 2 chains, M = 30', () => runChains({ ...spiralSampling, potential: spiralFactory(loss), chains: 2, transport: threads, minimizeOptions: { memory: 30 } })],
    ];
    for (const [name, run] of runs) {
      const t0 = performance.now();
      const outcome = await drain(run());
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `| ${loss} | ${name} | ${outcome.quenches} | ${outcome.distinct} | ${seconds.toFixed(1)} | ${(outcome.quenches / seconds).toFixed(2)} | ${((outcome.distinct / seconds) * 60).toFixed(1)} |`,
      );
    }
  }
}
rmSync(dir, { recursive: true, force: true });

// SPDX-License-Identifier: MIT
// Basin-hopping throughput (`npm run bench -- basin-hopping`), against the built dist:
// quenches per second and distinct minima per minute, one chain and two chains.
//
// Surface: LJ13 in a spherical container (39 coordinates, many minima, quenches of ~1 ms), so
// that the sampler's own costs (events, store transactions, the worker round trip per quench)
// are visible next to the quench. The spiral CE / sigmoid landscapes of the study (2-10-2,
// 194 points, λ = 1e-5) join this table once @lossscape/tensor-core exports
// createLossPotential; until then that section says so and is skipped.
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

let hasLossPotential = false;
try {
  // A benchmark is a tool, not library code: it may look across packages (the sampler itself may not).
  // eslint-disable-next-line @nx/enforce-module-boundaries
  const tensorCore = (await import('@lossscape/tensor-core')) as Record<string, unknown>;
  hasLossPotential = typeof tensorCore.createLossPotential === 'function';
} catch {
  hasLossPotential = false;
}
console.log(
  hasLossPotential
    ? '\nSpiral CE / sigmoid: @lossscape/tensor-core now exports createLossPotential — add its factory to this benchmark.'
    : '\nSpiral CE / sigmoid (2-10-2, 194 points): skipped — @lossscape/tensor-core does not export createLossPotential yet.',
);
rmSync(dir, { recursive: true, force: true });

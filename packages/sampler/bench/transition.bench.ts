// SPDX-License-Identifier: MIT
// Transition states per minute (`npm run bench -- transition`), against the built dist.
//
// Surfaces: LJ7 in a container (21 coordinates; its 4 minima, every pair searched), and — once
// tensor-core's createLossPotential and hessian-native's EigenSolver are built — the spiral
// sigmoid landscape of the study (2-10-2 network, 194 points). Each configuration is run
// `REPEATS` times; the table gives min and median wall time per round and verified transition
// states per minute, with the dense/Rayleigh–Ritz ratio measured side by side in the same run.
import { createRng, type EigenSolver, type Potential } from '@lossscape/numeric';
// The built package (dist), as the bench runner promises; relative because it is this package.
import { findTransitionState, lbfgs } from '../dist/index.js';
import { lennardJones, randomCluster } from '../src/test-utils/potentials.ts';
import { jacobiEigenSolver } from '../src/test-utils/jacobi-eigen.ts';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

interface Row {
  readonly name: string;
  readonly times: number[];
  readonly found: number;
  readonly searches: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One round: a double-ended search for every pair; returns verified transition states found. */
function round(potential: Potential, minima: Float64Array[], eigenSolver: EigenSolver | undefined): { found: number; searches: number } {
  let found = 0;
  let searches = 0;
  for (let i = 0; i < minima.length; i++) {
    for (let j = i + 1; j < minima.length; j++) {
      const r = findTransitionState(potential, minima[i], minima[j], eigenSolver ? { eigenSolver } : {});
      found += r.transitionStates.length;
      searches++;
    }
  }
  return { found, searches };
}

function measure(name: string, potential: Potential, minima: Float64Array[], eigenSolver: EigenSolver | undefined): Row {
  const times: number[] = [];
  // One untimed round first, so JIT warm-up is not billed to the first configuration.
  let { found, searches } = round(potential, minima, eigenSolver);
  for (let r = 0; r < REPEATS; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    ({ found, searches } = round(potential, minima, eigenSolver));
    times.push(performance.now() - t0);
  }
  return { name, times, found, searches };
}

function print(rows: Row[]): void {
  console.log('| configuration | searches/round | TS/round | min ms | median ms | TS per minute (median) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const med = median(r.times);
    console.log(
      `| ${r.name} | ${r.searches} | ${r.found} | ${Math.min(...r.times).toFixed(0)} | ${med.toFixed(0)} | ${((r.found / med) * 60_000).toFixed(0)} |`,
    );
  }
}

function lj7Minima(potential: Potential): Float64Array[] {
  const rng = createRng(5);
  const minima: Array<{ e: number; x: Float64Array }> = [];
  for (let i = 0; i < 500 && minima.length < 4; i++) {
    const q = lbfgs(potential, randomCluster(7, () => rng.uniform()));
    if (q.converged && !minima.some((m) => Math.abs(m.e - q.energy) < 1e-6)) minima.push({ e: q.energy, x: q.x });
  }
  return minima.sort((a, b) => a.e - b.e).map((m) => m.x);
}

const lj = lennardJones(7, { containerRadius: 3 });
const minima = lj7Minima(lj);
console.log(`LJ7 in a container: ${minima.length} minima, ${(minima.length * (minima.length - 1)) / 2} pairs per round, ${REPEATS} rounds each`);
const rows = [
  measure('LJ7, dense eigenvectors (Jacobi test solver; FD Hessian)', lj, minima, jacobiEigenSolver),
  measure('LJ7, Rayleigh–Ritz (FD H·v)', lj, minima, undefined),
];
print(rows);
const ratio = median(rows[1].times) / median(rows[0].times);
console.log(`Rayleigh–Ritz / dense wall time per round: ${ratio.toFixed(2)}× (same run)`);
console.log('Spiral sigmoid 2-10-2: not measured yet (tensor-core createLossPotential and hessian-native EigenSolver not built).');

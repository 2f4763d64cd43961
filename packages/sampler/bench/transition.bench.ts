// SPDX-License-Identifier: MIT
// Transition states per minute (`npm run bench -- transition`), against the built dist.
//
// Surfaces: LJ7 in a container (21 coordinates; its 4 minima, every pair searched), and the
// spiral sigmoid landscape of the study (2-10-2 network, 194 points, β = 40, λ = 1e-5; potential
// from bench/spiral-factory.ts on tensor-core, eigenvectors from hessian-native with one BLAS
// thread): minima quenched from seeded Glorot starts (not timed), then a double-ended search
// between consecutive minima per round. Each configuration is run `REPEATS` times (env
// BENCH_REPEATS, default 3); the table gives min and median wall time per round and verified
// transition states per minute at the median, with the dense/Rayleigh–Ritz ratio measured side by
// side in the same run on LJ7. A "TS" is a verified first-order saddle (RMS gradient ≤ 1e-10,
// one negative eigenvalue) whose two quenches converged; the same saddle found by two searches
// counts twice. The machine is shared: treat timings as provisional.
// A benchmark is a tool, not library code: it may use packages the sampler itself may not.
/* eslint-disable @nx/enforce-module-boundaries */
import { createEigenSolver, setBlasThreads } from '@lossscape/hessian-native';
/* eslint-enable @nx/enforce-module-boundaries */
import { createRng, type EigenSolver, type Potential } from '@lossscape/numeric';
// The built package (dist), as the bench runner promises; relative because it is this package.
import { findTransitionState, lbfgs } from '../dist/index.js';
import { lennardJones, randomCluster } from '../src/test-utils/potentials.ts';
import { jacobiEigenSolver } from '../src/test-utils/jacobi-eigen.ts';
import { createSpiralPotential, spiralStart } from './spiral-factory.ts';

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

type Pairs = 'all' | 'consecutive';

/** One round of double-ended searches; returns the verified transition states found. */
function round(potential: Potential, minima: Float64Array[], eigenSolver: EigenSolver | undefined, pairs: Pairs): { found: number; searches: number } {
  let found = 0;
  let searches = 0;
  for (let i = 0; i < minima.length; i++) {
    for (let j = i + 1; j < (pairs === 'all' ? minima.length : Math.min(i + 2, minima.length)); j++) {
      const r = findTransitionState(potential, minima[i], minima[j], eigenSolver ? { eigenSolver } : {});
      found += r.transitionStates.filter((t) => t.minus.converged && t.plus.converged).length;
      searches++;
    }
  }
  return { found, searches };
}

function measure(name: string, potential: Potential, minima: Float64Array[], eigenSolver: EigenSolver | undefined, pairs: Pairs = 'all', warmUp = true): Row {
  const times: number[] = [];
  let found = 0;
  let searches = 0;
  // One untimed round first, so JIT warm-up is not billed to the first configuration.
  if (warmUp) ({ found, searches } = round(potential, minima, eigenSolver, pairs));
  for (let r = 0; r < REPEATS; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    ({ found, searches } = round(potential, minima, eigenSolver, pairs));
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
console.log(`Rayleigh–Ritz / dense wall time per round: ${ratio.toFixed(2)}× (same run)\n`);

setBlasThreads(1);
const spiral = createSpiralPotential({ loss: 'sigmoid' });
const wanted = Number(process.env.BENCH_SPIRAL_MINIMA ?? 3);
const spiralMinima: Float64Array[] = [];
const quenchStart = performance.now();
for (let seed = 1; spiralMinima.length < wanted && seed <= 3 * wanted; seed++) {
  const q = lbfgs(spiral, spiralStart(seed), { maxIterations: 100_000 });
  if (q.converged) spiralMinima.push(q.x);
}
console.log(
  `Spiral sigmoid 2-10-2 (52 weights, 194 points): ${spiralMinima.length} minima quenched in ${((performance.now() - quenchStart) / 1000).toFixed(1)} s ` +
    `(not timed below); ${spiralMinima.length - 1} searches per round between consecutive minima, ${REPEATS} rounds`,
);
const spiralRows = [measure('spiral sigmoid, dense (hessian-native dsyevd, analytic Hessian)', spiral, spiralMinima, createEigenSolver(), 'consecutive', false)];
if (process.env.BENCH_SPIRAL_RR) spiralRows.push(measure('spiral sigmoid, Rayleigh–Ritz (analytic H·v)', spiral, spiralMinima, undefined, 'consecutive', false));
print(spiralRows);

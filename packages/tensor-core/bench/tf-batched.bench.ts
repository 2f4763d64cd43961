// SPDX-License-Identifier: MIT
// `npm run bench -- tf-batched`: evaluating 1,000 minima (30-10-2 networks) on the credit-card
// test split — loss + λ‖w‖² and AUC each — with the tf batched evaluation on every backend that
// loads here, beside the exact float64 kernels called in a loop (createLossPotential.energy +
// auc(predictScores)). Same weights, same data; the variants are interleaved within each round
// and the min and median over rounds are printed, because the machine is shared (the cpu
// backend runs BENCH_CPU_ROUNDS rounds, default 1). The largest
// disagreement with the exact values is printed too (the contract is TOL.F32 = 1e-4).
// A benchmark is a tool, not library code: it may load data with @lossscape/data.
/* eslint-disable @nx/enforce-module-boundaries */
import { loadDataset } from '@lossscape/data';
/* eslint-enable @nx/enforce-module-boundaries */
import { createRng } from '@lossscape/numeric';
import { auc, createLossPotential, predictScores, randomWeights, weightCount, type LossSpec } from '../dist/index.js';
import { availableTfBackends, evaluateBatched, initTfBackend, type TfBackendName } from '../dist/tf/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const K = Number(process.env.BENCH_MINIMA ?? 1000);
// The cpu backend is 10–30× slower than wasm on the pair losses: one round by default keeps the
// whole benchmark near five minutes on the shared machine.
const CPU_ROUNDS = Number(process.env.BENCH_CPU_ROUNDS ?? 1);
const LOSSES: LossSpec[] = [{ kind: 'ce' }, { kind: 'sigmoid' }, { kind: 'tanh' }, { kind: 'hinge' }, { kind: 'exp' }, { kind: 'quad' }];
const L2 = 1e-5;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

const { test } = loadDataset({ kind: 'credit' });
const model = { inputs: test.featureCount, hidden: 10, classes: 2 };
const W = weightCount(model);
const rng = createRng(1000);
// Minima stand-ins: Glorot draws at a few scales (the cost does not depend on the values).
const minima = Array.from({ length: K }, (_, k) => randomWeights(model, rng, k % 2 ? { scale: 0.5 + (k % 7) * 0.3 } : {}));
const flat = new Float64Array(K * W);
minima.forEach((w, k) => flat.set(w, k * W));

function exactLoop(loss: LossSpec): { energy: Float64Array; auc: Float64Array } {
  const potential = createLossPotential({ model, data: test, loss, l2: L2 });
  const energy = new Float64Array(K);
  const aucs = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    energy[k] = potential.energy(minima[k]);
    aucs[k] = auc(predictScores(model, minima[k], test.features), test.labels);
  }
  return { energy, auc: aucs };
}

const backends: TfBackendName[] = await availableTfBackends();
console.log(`credit-card test split: ${test.rows} rows (${test.labels.reduce((a, c) => a + c, 0)} positive), ${K} minima of ${W} weights; ${ROUNDS} rounds`);
console.log(`tf backends available here: ${backends.join(', ')} (tensorflow needs @tensorflow/tfjs-node, not installable on these machines)\n`);

const header = ['loss', 'exact loop ms (min/med)', ...backends.map((b) => `tf ${b} ms (${b === 'cpu' && CPU_ROUNDS === 1 ? '1 round' : 'min/med'})`), ...backends.map((b) => `exact/${b}`), 'max |Δloss|', 'max |ΔAUC|'];
// Rows print as each loss finishes (the whole run takes minutes); fixed column widths.
const widths = header.map((h) => Math.max(h.length, 13));
const printRow = (cells: string[]) => console.log(cells.map((c, k) => c.padStart(widths[k])).join('  '));
printRow(header);
for (const loss of LOSSES) {
  const times: Record<string, number[]> = { exact: [] };
  for (const b of backends) times[b] = [];
  let reference = exactLoop(loss);
  let maxLoss = 0;
  let maxAuc = 0;
  for (const b of backends) {
    // Warm-up: kernel compilation and first-use allocations are not part of the steady cost.
    await initTfBackend({ backend: b });
    await evaluateBatched({ model, weights: flat.subarray(0, 10 * W), data: test, loss, l2: L2 });
  }
  for (let round = 0; round < ROUNDS; round++) {
    let t0 = performance.now();
    reference = exactLoop(loss);
    times.exact.push(performance.now() - t0);
    for (const b of backends) {
      if (b === 'cpu' && round >= CPU_ROUNDS) continue;
      await initTfBackend({ backend: b });
      t0 = performance.now();
      const r = await evaluateBatched({ model, weights: flat, data: test, loss, l2: L2 });
      times[b].push(performance.now() - t0);
      for (let k = 0; k < K; k++) {
        maxLoss = Math.max(maxLoss, Math.abs(r.energy[k] - reference.energy[k]) / Math.max(1, Math.abs(reference.energy[k])));
        maxAuc = Math.max(maxAuc, Math.abs(r.auc[k] - reference.auc[k]));
      }
    }
  }
  const cell = (xs: number[]) => `${ms(Math.min(...xs))} / ${ms(median(xs))}`;
  printRow([
    loss.kind,
    cell(times.exact),
    ...backends.map((b) => cell(times[b])),
    ...backends.map((b) => `${(median(times.exact) / median(times[b])).toFixed(2)}×`),
    maxLoss.toExponential(1),
    maxAuc.toExponential(1),
  ]);
}
console.log('\nexact/<backend>: ratio of medians (> 1: the batched tf evaluation is faster). Δloss relative to max(1, |exact|).');

// SPDX-License-Identifier: MIT
// Batched tf evaluation against the exact float64 potential and AUC, every loss, wasm and cpu.
import { beforeAll, describe, expect, it } from 'vitest';
import { TOL, createRng } from '@lossscape/numeric';
import { auc } from '../auc.js';
import { predictScores } from '../forward.js';
import { randomWeights, weightCount } from '../model.js';
import { createLossPotential } from '../potential.js';
import { LOSS_CASES, contractError, lossName, randomDataset } from '../test-utils/problems.js';
import { initTfBackend, type TfBackendName } from './backend.js';
import { evaluateBatched } from './batched.js';
import * as tf from '@tensorflow/tfjs';

const BACKENDS: TfBackendName[] = ['wasm', 'cpu'];
const rng = createRng(0xba7c);
const model = { inputs: 6, hidden: 5, classes: 2 };
const data = randomDataset(rng, model, 160);
const W = weightCount(model);
const K = 7;
// Scales from gentle to strongly saturated outputs; float32-exact so that both sides see the same weights.
const minima = Array.from({ length: K }, (_, k) => Float64Array.from(Float32Array.from(randomWeights(model, rng, { scale: 0.3 + k }))));

describe.each(BACKENDS)('evaluateBatched on %s', (backend) => {
  beforeAll(async () => {
    await initTfBackend({ backend });
  });

  it.each(LOSS_CASES.map((l) => [lossName(l), l] as const))('%s: K energies, data losses and AUCs agree with the exact kernels', async (_n, loss) => {
    const r = await evaluateBatched({ model, weights: minima, data, loss, l2: 1e-3, chunkSize: 3 });
    expect(r.backend).toBe(backend);
    expect(r.count).toBe(K);
    const potential = createLossPotential({ model, data, loss, l2: 1e-3 });
    minima.forEach((w, k) => {
      expect(contractError(r.energy[k], potential.energy(w), TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
      expect(contractError(r.dataLoss[k], potential.dataLoss(w), TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
      expect(Math.abs(r.auc[k] - auc(predictScores(model, w, data.features), data.labels))).toBeLessThanOrEqual(TOL.F32);
    });
  });

  it('three classes: one-vs-rest scores and CE agree too', async () => {
    const m3 = { inputs: 4, hidden: 3, classes: 3 };
    const d3 = randomDataset(rng, m3, 90);
    const ws = Array.from({ length: 4 }, () => randomWeights(m3, rng, { scale: 1.5 }));
    for (const loss of [{ kind: 'ce' as const }, { kind: 'sigmoid' as const, positiveClass: 2 }]) {
      const r = await evaluateBatched({ model: m3, weights: ws, data: d3, loss, l2: 0 });
      const p = createLossPotential({ model: m3, data: d3, loss, l2: 0 });
      ws.forEach((w, k) => {
        expect(contractError(r.energy[k], p.energy(w), TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
        expect(Math.abs(r.auc[k] - auc(predictScores(m3, w, d3.features, loss.positiveClass ?? 1), d3.labels, loss.positiveClass ?? 1))).toBeLessThanOrEqual(TOL.F32);
      });
    }
  });

  it('the same numbers whatever the chunking and the input form (K×W array, tensor)', async () => {
    const flat = new Float64Array(K * W);
    minima.forEach((w, k) => flat.set(w, k * W));
    const loss = { kind: 'tanh' as const };
    const one = await evaluateBatched({ model, weights: flat, data, loss, chunkSize: 1 });
    const all = await evaluateBatched({ model, weights: tf.tensor2d(Float32Array.from(flat), [K, W]), data, loss });
    expect(all.chunkSize).toBe(K);
    for (let k = 0; k < K; k++) {
      expect(contractError(all.energy[k], one.energy[k], TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
      expect(all.auc[k]).toBe(one.auc[k]);
    }
  });
});

describe('evaluateBatched validation', () => {
  it('names what is wrong', async () => {
    await expect(evaluateBatched({ model, weights: new Float64Array(W + 1), data, loss: { kind: 'ce' } })).rejects.toThrow(/positive multiple of W = 47/);
    const single = { features: data.features.subarray(0, 12), labels: new Int32Array(2) };
    await expect(evaluateBatched({ model, weights: minima, data: single, loss: { kind: 'sigmoid' } })).rejects.toMatchObject({ code: 'ERR_SINGLE_CLASS' });
    const nan = Float64Array.from(minima[0]);
    nan[3] = NaN;
    await expect(evaluateBatched({ model, weights: [nan], data, loss: { kind: 'ce' } })).rejects.toMatchObject({ code: 'ERR_NOT_FINITE' });
    const ac = new AbortController();
    ac.abort();
    await expect(evaluateBatched({ model, weights: minima, data, loss: { kind: 'ce' }, signal: ac.signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });
});

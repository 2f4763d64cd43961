// SPDX-License-Identifier: MIT
// tf losses against the exact float64 kernels, on every backend available here (wasm and cpu).
import { beforeAll, describe, expect, it } from 'vitest';
import { TOL, createRng, maxAbs } from '@lossscape/numeric';
import { pairwiseLossAndGradient } from '../pairwise.js';
import { resolveLoss } from '../losses/registry.js';
import type { PairwiseLossSpec } from '../losses/types.js';
import { LOSS_CASES, contractError, lossName, uniformScores } from '../test-utils/problems.js';
import { initTfBackend, type TfBackendName } from './backend.js';
import { createPairCounter, crossEntropyLoss, tfLoss } from './auc-loss.js';
import { tfPairwiseLosses } from './losses/registry.js';
import { stagedMean, stagedSum } from './staged-sum.js';
import * as tf from '@tensorflow/tfjs';

const BACKENDS: TfBackendName[] = ['wasm', 'cpu'];
const PAIRWISE = LOSS_CASES.filter((l): l is PairwiseLossSpec => l.kind !== 'ce');
/** Scores exactly representable in float32, so both sides start from the same numbers. */
const f32 = (a: Float64Array) => Float64Array.from(Float32Array.from(a));

describe.each(BACKENDS)('tf losses on %s', (backend) => {
  beforeAll(async () => {
    expect((await initTfBackend({ backend })).backend).toBe(backend);
  });

  describe.each(PAIRWISE.map((l) => [lossName(l), l] as const))('%s', (_name, spec) => {
    const rng = createRng(0x7f + spec.kind.length);
    const s = f32(uniformScores(rng, 37));
    const t = f32(uniformScores(rng, 53));
    const exact = pairwiseLossAndGradient(spec, s, t);
    const { parameters } = resolveLoss(spec);

    it('value and score gradient agree with the exact kernel to float32 precision', () => {
      const def = tfPairwiseLosses.get(spec.kind)!;
      const f = (a: tf.Tensor, b: tf.Tensor) => def.meanOverPairs(a, b, parameters) as tf.Scalar;
      const { value, grads } = tf.valueAndGrads(f)([tf.tensor1d(Float32Array.from(s)), tf.tensor1d(Float32Array.from(t))]);
      expect(contractError(value.dataSync()[0], exact.value, TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
      expect(contractError(grads[0].dataSync(), exact.positiveGradient, TOL.F32, TOL.F32 * maxAbs(exact.positiveGradient))).toBeLessThanOrEqual(1);
      expect(contractError(grads[1].dataSync(), exact.negativeGradient, TOL.F32, TOL.F32 * maxAbs(exact.negativeGradient))).toBeLessThanOrEqual(1);
    });

    it('as a (yTrue, yPred) loss: same value through a [N, 2] softmax-shaped output and a [N, 1] sigmoid output', () => {
      const n = s.length + t.length;
      const p1 = new Float32Array(n);
      const labels = new Float32Array(n);
      s.forEach((v, i) => ((p1[2 * i] = v), (labels[2 * i] = 1)));
      t.forEach((v, j) => (p1[j < s.length ? 2 * j + 1 : s.length + j] = v));
      // Rebuild rows in a mixed order: positives at even rows up to 2P, the rest negatives.
      const loss = tfLoss(spec);
      const single = loss(tf.tensor2d(labels, [n, 1]), tf.tensor2d(p1, [n, 1])).dataSync()[0];
      const two = loss(tf.tensor1d(labels), tf.stack([tf.sub(1, tf.tensor1d(p1)), tf.tensor1d(p1)], 1)).dataSync()[0];
      expect(contractError(single, exact.value, TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
      expect(contractError(two, exact.value, TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
      // Autodiff through the loss (what model.fit uses) gives the exact score gradient per row.
      const g = tf.grad((p: tf.Tensor) => loss(tf.tensor2d(labels, [n, 1]), p))(tf.tensor2d(p1, [n, 1])).dataSync();
      const gPos = Float64Array.from(s, (_, i) => g[2 * i]);
      const gNeg = Float64Array.from(t, (_, j) => g[j < s.length ? 2 * j + 1 : s.length + j]);
      expect(contractError(gPos, exact.positiveGradient, TOL.F32, TOL.F32 * maxAbs(exact.positiveGradient))).toBeLessThanOrEqual(1);
      expect(contractError(gNeg, exact.negativeGradient, TOL.F32, TOL.F32 * maxAbs(exact.negativeGradient))).toBeLessThanOrEqual(1);
    });
  });

  it('tanh matches Math.tanh directly, and tanh at β equals sigmoid at 2β', () => {
    const z = Float64Array.from({ length: 41 }, (_, i) => -1 + i / 20);
    const beta = 1.7;
    const ours = tfPairwiseLosses.get('tanh')!.meanOverPairs(tf.tensor1d(Float32Array.from(z)), tf.zeros([1]), { beta, margin: NaN });
    const direct = z.reduce((a, v) => a - (1 + Math.tanh(beta * v)) / 2, 0) / z.length;
    expect(contractError(ours.dataSync()[0], direct, TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
    const sig = tfPairwiseLosses.get('sigmoid')!.meanOverPairs(tf.tensor1d(Float32Array.from(z)), tf.zeros([1]), { beta: 2 * beta, margin: NaN });
    expect(contractError(sig.dataSync()[0], ours.dataSync()[0], TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
  });

  it('a batch with no pairs gives loss 0, gradient 0, and is counted', () => {
    const counter = createPairCounter();
    const loss = tfLoss({ kind: 'sigmoid', beta: 40 }, { counter });
    const yPred = tf.tensor2d([0.2, 0.9, 0.4], [3, 1]);
    const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => loss(tf.tensor2d([0, 0, 0], [3, 1]), p))(yPred);
    expect(value.dataSync()[0]).toBe(0);
    expect(Array.from(grad.dataSync())).toEqual([0, 0, 0]);
    loss(tf.tensor1d([1, 0, 0]), yPred);
    expect(counter).toMatchObject({ batches: 2, emptyBatches: 1, pairs: 2 });
    counter.reset();
    expect(counter.batches).toBe(0);
  });

  it('cross-entropy from probabilities and from logits agree with the exact value', () => {
    const rng = createRng(0xce);
    const n = 50;
    const logits = Float64Array.from({ length: n * 3 }, () => rng.normal() * 3);
    const labels = Int32Array.from({ length: n }, (_, d) => d % 3);
    let exact = 0;
    for (let d = 0; d < n; d++) {
      const y = logits.subarray(3 * d, 3 * d + 3);
      const m = Math.max(...y);
      exact -= y[labels[d]] - m - Math.log(y.reduce((a, v) => a + Math.exp(v - m), 0));
    }
    exact /= n;
    const yl = tf.tensor2d(Float32Array.from(logits), [n, 3]);
    const fromLogits = crossEntropyLoss(tf.tensor1d(labels, 'int32'), yl, true).dataSync()[0];
    const fromProbs = crossEntropyLoss(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), tf.softmax(yl), false).dataSync()[0];
    expect(contractError(fromLogits, exact, TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
    expect(contractError(fromProbs, exact, TOL.F32, TOL.F32)).toBeLessThanOrEqual(1);
  });

  it('staged sums stay accurate where one float32 accumulator drifts', () => {
    const x = tf.fill([1 << 22], 0.1);
    const staged = stagedSum(x).dataSync()[0];
    expect(Math.abs(staged - 0.1 * (1 << 22)) / (0.1 * (1 << 22))).toBeLessThan(TOL.F32);
    expect(Math.abs(stagedMean(tf.fill([3, 5000], 0.7)).dataSync()[1] - 0.7)).toBeLessThan(TOL.F32);
  });
});

describe('tfLoss validation', () => {
  it('rejects a parameter the loss does not take, and bad shapes', () => {
    expect(() => tfLoss({ kind: 'sigmoid', margin: 2 })).toThrow(/^Expected no margin for loss 'sigmoid'/);
    const loss = tfLoss({ kind: 'quad' });
    expect(() => loss(tf.tensor1d([1, 0]), tf.tensor1d([0.1, 0.2, 0.3]))).toThrow(/^Expected yTrue with 3 rows/);
  });
});

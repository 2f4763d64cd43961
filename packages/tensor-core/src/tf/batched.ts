// SPDX-License-Identifier: MIT
/**
 * Batched evaluation: K weight vectors of the project's network on one dataset → K losses and
 * K AUCs in one call, the K networks running side by side as batched tensor ops (used to
 * evaluate every minimum of a database at once).
 *
 * ```ts
 * await initTfBackend();
 * const r = await evaluateBatched({ model, weights: minima, data: test, loss: { kind: 'sigmoid' }, l2: 1e-5 }); // minima: K×W
 * r.energy[k];   // loss + λ‖w‖² of minimum k (float32 loss, float64 L2 term)
 * r.auc[k];      // exact AUC (ties ½) of minimum k's float32 scores
 * ```
 * Precision: the network and the data term run in float32 and agree with the exact float64
 * kernels to TOL.F32 (1e-4, relative to max(1, |value|)); long sums are staged. The scores are
 * formed from log-odds r = y₊ − ln Σ_{c≠+} e^(y_c) (p₊ = σ(r), ln p_c = −softplus(…)), which stay
 * accurate in float32 where a probability would round to 1. AUC ranks by r; it can differ from
 * the exact AUC only for pairs whose scores agree to about 1e-7 (each such pair moves it by
 * 1/(P·N)), e.g. when both probabilities are within 1e-16 of 1 and tie in float64.
 * Cost per minimum: O(N·H·(I + C)) plus O(P·N) for sigmoid, tanh and hinge with m < 1, O(N)
 * for the others; memory is bounded by evaluating `chunkSize` minima at a time.
 */
import * as tf from '@tensorflow/tfjs';
import { LandscapeError, expectedMessage, requireFinite, requireInteger, requireNonNegative } from '@lossscape/numeric';
import { aucOfSplitScores } from '../auc.js';
import { resolveLoss } from '../losses/registry.js';
import type { LossSpec, PairwiseLossKind } from '../losses/types.js';
import { requireModel, weightLayout, type ModelSpec } from '../model.js';
import { requireDataset, type Dataset } from '../potential.js';
import { tfPairwiseLosses } from './losses/registry.js';
import { stagedMean } from './staged-sum.js';

export interface BatchedEvaluationOptions {
  readonly model: ModelSpec;
  /** K weight vectors: K×W row-major, an array of K vectors, or a tf.Tensor2D [K, W]. */
  readonly weights: Float64Array | readonly Float64Array[] | tf.Tensor2D;
  readonly data: Dataset;
  readonly loss: LossSpec;
  /** λ of λ‖w‖² (default 1e-5), added in float64. */
  readonly l2?: number;
  /** Minima per tensor batch (default: as many as keep intermediates near 8 M floats). */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
  /** Called after each chunk with the number of minima done. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BatchedEvaluation {
  /** K. */
  readonly count: number;
  /** Loss + λ‖w‖² per minimum. */
  readonly energy: Float64Array;
  /** The loss without the L2 term per minimum. */
  readonly dataLoss: Float64Array;
  /** AUC of the positive class per minimum (NaN when the data hold a single class). */
  readonly auc: Float64Array;
  /** The tfjs backend that ran. */
  readonly backend: string;
  readonly chunkSize: number;
}

/** Target number of float32 intermediates per chunk. */
const CHUNK_ELEMENTS = 8_000_000;
/** Added to a logit to remove it from a log-sum-exp: e^(y − 1e30) is exactly 0 in float32. */
const EXCLUDE = -1e30;

function rowsOf(weights: BatchedEvaluationOptions['weights'], count: number): Promise<{ rows: Float64Array; k: number }> | { rows: Float64Array; k: number } {
  if (weights instanceof tf.Tensor) {
    if (weights.rank !== 2 || weights.shape[1] !== count) {
      throw new LandscapeError(expectedMessage(`a tf.Tensor2D of shape [K, ${count}]`, 'weights', weights) + ` (shape [${weights.shape.join(', ')}])`, 'ERR_DIMENSION_MISMATCH');
    }
    return weights.data().then((d) => ({ rows: Float64Array.from(d), k: weights.shape[0] }));
  }
  if (weights instanceof Float64Array) {
    if (weights.length === 0 || weights.length % count !== 0) {
      throw new LandscapeError(expectedMessage(`a Float64Array whose length is a positive multiple of W = ${count}`, 'weights', weights), 'ERR_DIMENSION_MISMATCH');
    }
    return { rows: weights, k: weights.length / count };
  }
  if (!Array.isArray(weights) || weights.length === 0) throw new TypeError(expectedMessage('K×W Float64Array, Float64Array[] or tf.Tensor2D', 'weights', weights));
  const rows = new Float64Array(weights.length * count);
  weights.forEach((w, k) => {
    if (!(w instanceof Float64Array) || w.length !== count) {
      throw new LandscapeError(expectedMessage(`Float64Array of length ${count}`, `weights[${k}]`, w), 'ERR_DIMENSION_MISMATCH');
    }
    rows.set(w, k * count);
  });
  return { rows, k: weights.length };
}

/** Evaluates K minima at once on the active tfjs backend (call `initTfBackend()` first). */
export async function evaluateBatched(options: BatchedEvaluationOptions): Promise<BatchedEvaluation> {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('an options object { model, weights, data, loss }', 'options', options));
  const spec = requireModel(options.model);
  const layout = weightLayout(spec);
  const n = requireDataset('data', options.data, spec);
  const { definition, parameters } = resolveLoss(options.loss, 'loss');
  const positiveClass = requireInteger('loss.positiveClass', options.loss.positiveClass ?? 1, 0, spec.classes - 1);
  const l2 = options.l2 === undefined ? 1e-5 : requireNonNegative('l2', options.l2);
  const { rows, k: total } = await rowsOf(options.weights, layout.count);
  requireFinite('weights', rows);
  const { inputs: I, hidden: H, classes: C } = spec;
  const labels = options.data.labels;
  const pos: number[] = [];
  const neg: number[] = [];
  for (let d = 0; d < n; d++) (labels[d] === positiveClass ? pos : neg).push(d);
  const pairwise = definition.type === 'pairwise';
  if (pairwise && (pos.length === 0 || neg.length === 0)) {
    throw new LandscapeError(
      `Expected at least one positive (label ${positiveClass}) and one negative example for loss '${definition.kind}' but received ${pos.length} positives and ${neg.length} negatives`,
      'ERR_SINGLE_CLASS',
    );
  }
  const densePairs = definition.kind === 'sigmoid' || definition.kind === 'tanh' || (definition.kind === 'hinge' && parameters.margin < 1);
  const perMinimum = Math.max(n * (H + 2 * C), densePairs ? 3 * pos.length * neg.length : 0, layout.count);
  const chunkSize =
    options.chunkSize === undefined ? Math.max(1, Math.min(total, Math.floor(CHUNK_ELEMENTS / perMinimum))) : requireInteger('chunkSize', options.chunkSize, 1);

  const energy = new Float64Array(total);
  const dataLoss = new Float64Array(total);
  const aucs = new Float64Array(total).fill(NaN);
  const x = tf.tensor2d(Float32Array.from(options.data.features), [n, I]);
  const positiveMask = tf.oneHot(tf.tensor1d([positiveClass], 'int32'), C).reshape([C]).toFloat();
  const labelOneHot = pairwise ? undefined : tf.oneHot(tf.tensor1d(labels, 'int32'), C).toFloat();
  const posIdx = tf.tensor1d(pos, 'int32');
  const negIdx = tf.tensor1d(neg, 'int32');
  const pairLoss = pairwise ? tfPairwiseLosses.get(definition.kind as PairwiseLossKind)! : undefined;
  const posScores = new Float64Array(pos.length);
  const negScores = new Float64Array(neg.length);
  try {
    for (let start = 0; start < total; start += chunkSize) {
      if (options.signal?.aborted) throw new LandscapeError('Expected batched evaluation to run to the end but it was aborted', 'ERR_ABORTED', { cause: options.signal.reason });
      const k = Math.min(chunkSize, total - start);
      const [lossT, oddsT] = tf.tidy(() => {
        const w = tf.tensor2d(Float32Array.from(rows.subarray(start * layout.count, (start + k) * layout.count)), [k, layout.count]);
        const w1 = tf.reshape(tf.slice(w, [0, layout.w1], [k, H * I]), [k * H, I]);
        const b1 = tf.slice(w, [0, layout.b1], [k, H]);
        const w2 = tf.reshape(tf.slice(w, [0, layout.w2], [k, C * H]), [k, C, H]);
        const b2 = tf.slice(w, [0, layout.b2], [k, C]);
        // One matMul for all k networks: X [N, I] · W1ᵀ [I, k·H] → [N, k, H] → [k, N, H].
        const pre = tf.transpose(tf.reshape(tf.matMul(x, w1, false, true), [n, k, H]), [1, 0, 2]);
        const hidden = tf.tanh(tf.add(pre, tf.expandDims(b1, 1)));
        const logits = tf.add(tf.matMul(hidden, w2, false, true), tf.expandDims(b2, 1)); // [k, N, C]
        // Log-odds of the positive class, r = y₊ − ln Σ_{c≠+} e^(y_c): exact ordering of p₊.
        const yPos = tf.sum(tf.mul(logits, positiveMask), -1);
        const odds = tf.sub(yPos, tf.logSumExp(tf.add(logits, tf.mul(positiveMask, EXCLUDE)), -1)); // [k, N]
        let loss: tf.Tensor;
        if (pairLoss) {
          const p = tf.sigmoid(odds);
          loss = pairLoss.meanOverPairs(tf.gather(p, posIdx, 1), tf.gather(p, negIdx, 1), parameters);
        } else {
          // −ln p_c = softplus(ln Σ_{k≠c} e^(y_k) − y_c): no rounding of p_c to 1 on the way.
          const yc = tf.sum(tf.mul(logits, labelOneHot!), -1);
          const others = tf.logSumExp(tf.add(logits, tf.mul(labelOneHot!, EXCLUDE)), -1);
          loss = stagedMean(tf.softplus(tf.sub(others, yc)));
        }
        return [loss, odds];
      });
      const [lossValues, oddsValues] = await Promise.all([lossT.data(), oddsT.data()]);
      tf.dispose([lossT, oddsT]);
      for (let j = 0; j < k; j++) {
        const m = start + j;
        const w = rows.subarray(m * layout.count, (m + 1) * layout.count);
        let sq = 0;
        for (let i = 0; i < w.length; i++) sq += w[i] * w[i];
        dataLoss[m] = lossValues[j];
        energy[m] = lossValues[j] + l2 * sq;
        if (pos.length > 0 && neg.length > 0) {
          for (let i = 0; i < pos.length; i++) posScores[i] = oddsValues[j * n + pos[i]];
          for (let i = 0; i < neg.length; i++) negScores[i] = oddsValues[j * n + neg[i]];
          aucs[m] = aucOfSplitScores(posScores, negScores);
        }
      }
      options.onProgress?.(start + k, total);
    }
  } finally {
    tf.dispose([x, positiveMask, posIdx, negIdx, ...(labelOneHot ? [labelOneHot] : [])]);
  }
  return { count: total, energy, dataLoss, auc: aucs, backend: tf.getBackend(), chunkSize };
}

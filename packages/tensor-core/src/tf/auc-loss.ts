// SPDX-License-Identifier: MIT
/**
 * The losses as TensorFlow.js loss functions of (yTrue, yPred), for `model.compile({ loss })` and
 * custom training loops; gradients by tfjs autodiff.
 *
 * ```ts
 * const counter = createPairCounter();
 * model.compile({ optimizer: 'adam', loss: tfLoss({ kind: 'sigmoid', beta: 40 }, { counter }) });
 * await model.fit(x, y, { batchSize: 256, epochs: 20 });
 * counter.emptyBatches;   // mini-batches that had no positive or no negative example
 * ```
 * Accepted shapes: yPred [N, C ≥ 2] class probabilities (a softmax output) or [N, 1] / [N] the
 * probability of class 1 (a sigmoid output); with `fromLogits` the raw outputs instead. yTrue
 * [N] / [N, 1] integer labels, or [N, C] one-hot. The score of a pairwise loss is the
 * probability of `positiveClass` (default 1); every other label is negative.
 *
 * A mini-batch with no positive or no negative example has no pairs. Its pairwise loss is then
 * defined as 0 with a zero gradient (the batch teaches nothing about ranking; the optimiser
 * step leaves the weights to the L2/regulariser terms), and it is counted in the counter, so a
 * user can see how often it happened. `stratifiedBatches` avoids it.
 */
import * as tf from '@tensorflow/tfjs';
import { LandscapeError, expectedMessage, requireInteger } from '@lossscape/numeric';
import { resolveLoss } from '../losses/registry.js';
import type { LossKind, LossParameters, LossSpec, PairwiseLossKind } from '../losses/types.js';
import { tfPairwiseLosses } from './losses/registry.js';
import { stagedMean } from './staged-sum.js';

/** Tallies of every call of a pairwise tf loss (read them at any time; `reset()` zeroes them). */
export interface PairCounter {
  /** Calls (mini-batches, including validation and evaluate calls). */
  batches: number;
  /** Calls that had no positive or no negative example: loss 0, gradient 0. */
  emptyBatches: number;
  /** Pairs seen over all calls. */
  pairs: number;
  reset(): void;
}

export function createPairCounter(): PairCounter {
  return {
    batches: 0,
    emptyBatches: 0,
    pairs: 0,
    reset() {
      this.batches = 0;
      this.emptyBatches = 0;
      this.pairs = 0;
    },
  };
}

export interface TfLossOptions {
  /** yPred holds logits (pre-softmax, or the pre-sigmoid unit) instead of probabilities. */
  readonly fromLogits?: boolean;
  /** Receives the pair tallies (pairwise losses only). */
  readonly counter?: PairCounter;
}

/** A tfjs loss function: per-batch scalar. */
export type TfLossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Keras's clipping of probabilities before log: keeps CE finite for saturated outputs. */
const PROBABILITY_EPSILON = 1e-7;

/** Size of axis i (tfjs types the shape as a union of tuples). */
const dim = (x: tf.Tensor, i: number): number => (x.shape as number[])[i] ?? 1;

function requireRank(name: string, x: tf.Tensor): void {
  if (!(x instanceof tf.Tensor)) throw new TypeError(expectedMessage('a tf.Tensor', name, x));
  if (x.rank < 1 || x.rank > 2) throw new LandscapeError(expectedMessage('a tensor of rank 1 or 2', name, x) + ` (shape [${x.shape.join(', ')}])`, 'ERR_DIMENSION_MISMATCH');
}

/** Integer labels from yTrue ([N], [N, 1] labels or [N, C] one-hot), read to the CPU. */
function readLabels(yTrue: tf.Tensor): Int32Array {
  const values = yTrue.dataSync();
  if (yTrue.rank === 2 && dim(yTrue, 1) > 1) {
    const n = dim(yTrue, 0);
    const c = dim(yTrue, 1);
    const out = new Int32Array(n);
    for (let d = 0; d < n; d++) {
      let best = 0;
      for (let k = 1; k < c; k++) if (values[d * c + k] > values[d * c + best]) best = k;
      out[d] = best;
    }
    return out;
  }
  return Int32Array.from(values, (v) => Math.round(v));
}

/** Probability of `positiveClass` per row, as a rank-1 tensor. */
function positiveScores(yPred: tf.Tensor, positiveClass: number, fromLogits: boolean): tf.Tensor1D {
  return tf.tidy(() => {
    if (yPred.rank === 1 || dim(yPred, 1) === 1) {
      if (positiveClass > 1) throw new LandscapeError(`Expected positiveClass 0 or 1 for a single-output yPred but received ${positiveClass}`, 'ERR_INVALID_ARGUMENT');
      const u = tf.reshape(yPred, [-1]);
      const p1 = fromLogits ? tf.sigmoid(u) : u;
      return (positiveClass === 1 ? p1 : tf.sub(1, p1)) as tf.Tensor1D;
    }
    if (positiveClass >= dim(yPred, 1)) {
      throw new LandscapeError(`Expected positiveClass below ${dim(yPred, 1)} (the columns of yPred) but received ${positiveClass}`, 'ERR_INVALID_ARGUMENT');
    }
    const probs = fromLogits ? tf.softmax(yPred) : yPred;
    return tf.reshape(tf.slice(probs, [0, positiveClass], [-1, 1]), [-1]) as tf.Tensor1D;
  });
}

function pairwiseAucLoss_(yTrue: tf.Tensor, yPred: tf.Tensor, kind: PairwiseLossKind, parameters: LossParameters, positiveClass: number, fromLogits: boolean, counter?: PairCounter): tf.Scalar {
  requireRank('yTrue', yTrue);
  requireRank('yPred', yPred);
  if (dim(yTrue, 0) !== dim(yPred, 0)) {
    throw new LandscapeError(`Expected yTrue with ${dim(yPred, 0)} rows (one per prediction) for the ${kind} loss but received ${dim(yTrue, 0)}`, 'ERR_DIMENSION_MISMATCH');
  }
  const labels = readLabels(yTrue);
  const pos: number[] = [];
  const neg: number[] = [];
  labels.forEach((c, d) => (c === positiveClass ? pos : neg).push(d));
  if (counter) {
    counter.batches++;
    counter.pairs += pos.length * neg.length;
  }
  if (pos.length === 0 || neg.length === 0) {
    if (counter) counter.emptyBatches++;
    // Zero, but still a function of yPred so that gradients exist (and are zero).
    return tf.mul(tf.sum(yPred), 0) as tf.Scalar;
  }
  return tf.tidy(() => {
    const score = tf.reshape(positiveScores(yPred, positiveClass, fromLogits), [-1, 1]);
    // Rows picked by one-hot selection matrices rather than tf.gather: gather's gradient needs
    // UnsortedSegmentSum, which the wasm backend does not register (matMul's gradient it has).
    // Exact: each output is one score times 1 plus zeros.
    const pick = (idx: number[]) => tf.reshape(tf.matMul(tf.oneHot(tf.tensor1d(idx, 'int32'), labels.length).toFloat(), score), [-1]);
    const s = pick(pos);
    const t = pick(neg);
    return tf.reshape(tfPairwiseLosses.get(kind)!.meanOverPairs(s, t, parameters), []) as tf.Scalar;
  });
}

/**
 * Mean pairwise AUC surrogate over the (positive, negative) pairs of a batch, as a tf op.
 * Custom loops: `tf.variableGrads(() => pairwiseAucLoss(y, model.predict(x), 'sigmoid', { beta: 40, margin: NaN }, 1, false))`.
 */
export const pairwiseAucLoss = tf.op({ pairwiseAucLoss_ });

function crossEntropyLoss_(yTrue: tf.Tensor, yPred: tf.Tensor, fromLogits: boolean): tf.Scalar {
  requireRank('yTrue', yTrue);
  requireRank('yPred', yPred);
  return tf.tidy(() => {
    const single = yPred.rank === 1 || dim(yPred, 1) === 1;
    const classes = single ? 2 : dim(yPred, 1);
    const oneHot =
      yTrue.rank === 2 && dim(yTrue, 1) === classes
        ? tf.cast(yTrue, 'float32')
        : tf.oneHot(tf.cast(tf.round(tf.reshape(yTrue, [-1])), 'int32'), classes).toFloat();
    let logp: tf.Tensor;
    if (single) {
      const u = tf.reshape(yPred, [-1, 1]);
      // Two-class log-probabilities [ln(1 − p), ln p]; from a logit u: [−softplus(u), −softplus(−u)].
      logp = fromLogits
        ? tf.concat([tf.neg(tf.softplus(u)), tf.neg(tf.softplus(tf.neg(u)))], 1)
        : tf.log(tf.clipByValue(tf.concat([tf.sub(1, u), u], 1), PROBABILITY_EPSILON, 1));
    } else {
      logp = fromLogits ? tf.logSoftmax(yPred) : tf.log(tf.clipByValue(yPred, PROBABILITY_EPSILON, 1));
    }
    return tf.reshape(tf.neg(stagedMean(tf.sum(tf.mul(oneHot, logp), 1))), []) as tf.Scalar;
  });
}

/** Cross-entropy −(1/N) Σ ln p_c (probabilities clipped at 1e-7 like Keras; exact log-softmax with `fromLogits`). */
export const crossEntropyLoss = tf.op({ crossEntropyLoss_ });

/**
 * A tfjs loss function for `model.compile({ loss })` or a custom loop, from the project's loss
 * spec (`{ kind, beta?, margin?, positiveClass? }`, DESIGN.md defaults). No L2 term: add it as
 * a kernel/bias regulariser, or as λ‖w‖² in a custom loop.
 */
export function tfLoss(spec: LossSpec, options: TfLossOptions = {}): TfLossFunction {
  const { definition, parameters } = resolveLoss(spec, 'loss');
  const positiveClass = requireInteger('loss.positiveClass', spec.positiveClass ?? 1, 0);
  const fromLogits = options.fromLogits === true;
  const kind: LossKind = definition.kind;
  if (kind === 'ce') return (yTrue, yPred) => crossEntropyLoss(yTrue, yPred, fromLogits);
  return (yTrue, yPred) => pairwiseAucLoss(yTrue, yPred, kind, parameters, positiveClass, fromLogits, options.counter);
}

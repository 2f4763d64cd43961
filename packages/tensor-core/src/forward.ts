// SPDX-License-Identifier: MIT
/**
 * Forward pass of the network over a batch, in float64.
 *
 * ```ts
 * const f = forward(model, weights, features);          // features: N×inputs row-major
 * f.probabilities[d * model.classes + 1];               // p(class 1 | x_d)
 * predictScores(model, weights, features);              // p(positive class) per row
 * ```
 * Cost O(N·hidden·(inputs + classes)).
 */
import { requireInteger } from '@lossscape/numeric';
import { requireFeatures, requireModel, requireWeights, weightLayout, type ModelSpec, type WeightLayout } from './model.js';

export interface ForwardResult {
  /** N rows. */
  readonly count: number;
  /** tanh(W1·x + b1), N×hidden. */
  readonly hidden: Float64Array;
  /** W2·h + b2, N×classes. */
  readonly logits: Float64Array;
  /** log-softmax of the logits, N×classes (finite for finite weights). */
  readonly logProbabilities: Float64Array;
  /** softmax of the logits, N×classes (entries may be exactly 0 or 1 when saturated). */
  readonly probabilities: Float64Array;
}

/** Preallocated forward buffers for N rows (reused across calls by the potential). */
export interface ForwardBuffers {
  readonly hidden: Float64Array;
  readonly logits: Float64Array;
  readonly logProbabilities: Float64Array;
  readonly probabilities: Float64Array;
}

export function allocateForward(layout: WeightLayout, count: number): ForwardBuffers {
  return {
    hidden: new Float64Array(count * layout.hidden),
    logits: new Float64Array(count * layout.classes),
    logProbabilities: new Float64Array(count * layout.classes),
    probabilities: new Float64Array(count * layout.classes),
  };
}

/** Unchecked forward pass into `out` (R1: callers validated shapes and finiteness). */
export function forwardInto(layout: WeightLayout, w: Float64Array, features: Float64Array, count: number, out: ForwardBuffers): void {
  const { inputs: I, hidden: H, classes: C } = layout;
  const { hidden, logits, logProbabilities, probabilities } = out;
  for (let d = 0; d < count; d++) {
    const xo = d * I;
    const ho = d * H;
    for (let h = 0; h < H; h++) {
      let a = w[layout.b1 + h];
      const wo = layout.w1 + h * I;
      for (let i = 0; i < I; i++) a += w[wo + i] * features[xo + i];
      hidden[ho + h] = Math.tanh(a);
    }
    const yo = d * C;
    let max = -Infinity;
    for (let k = 0; k < C; k++) {
      let y = w[layout.b2 + k];
      const wo = layout.w2 + k * H;
      for (let h = 0; h < H; h++) y += w[wo + h] * hidden[ho + h];
      logits[yo + k] = y;
      if (y > max) max = y;
    }
    // log-softmax: y − max − ln Σ e^(y − max); the sum is ≥ 1, so nothing overflows.
    let sum = 0;
    for (let k = 0; k < C; k++) sum += Math.exp(logits[yo + k] - max);
    const logSum = Math.log(sum);
    for (let k = 0; k < C; k++) {
      const lp = logits[yo + k] - max - logSum;
      logProbabilities[yo + k] = lp;
      probabilities[yo + k] = Math.exp(lp);
    }
  }
}

/** Forward pass over N rows of `features` (N×inputs row-major). */
export function forward(model: ModelSpec, weights: Float64Array, features: Float64Array): ForwardResult {
  const spec = requireModel(model);
  const layout = weightLayout(spec);
  requireWeights('weights', weights, layout.count);
  const count = requireFeatures('features', features, spec.inputs);
  const out = allocateForward(layout, count);
  forwardInto(layout, weights, features, count, out);
  return { count, ...out };
}

/** The positive-class probability per row: the score that AUC ranks. */
export function predictScores(model: ModelSpec, weights: Float64Array, features: Float64Array, positiveClass = 1): Float64Array {
  const spec = requireModel(model);
  requireInteger('positiveClass', positiveClass, 0, spec.classes - 1);
  const f = forward(spec, weights, features);
  const scores = new Float64Array(f.count);
  for (let d = 0; d < f.count; d++) scores[d] = f.probabilities[d * spec.classes + positiveClass];
  return scores;
}

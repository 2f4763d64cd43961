// SPDX-License-Identifier: MIT
/**
 * The one-hidden-layer network `y = W2·tanh(W1·x + b1) + b2` with softmax over C ≥ 2 classes,
 * and its weight layout (DESIGN.md): `[W1 (hidden×inputs, row-major), b1, W2 (classes×hidden,
 * row-major), b2]`.
 *
 * ```ts
 * const model = { inputs: 2, hidden: 10, classes: 2 };
 * weightCount(model);                                  // 52
 * const w = randomWeights(model, createRng(1));        // Glorot-uniform matrices, zero biases
 * ```
 */
import { LandscapeError, expectedMessage, requireFinite, requireFloat64Array, requireInteger, requirePositive, type Rng } from '@lossscape/numeric';

export interface ModelSpec {
  readonly inputs: number;
  readonly hidden: number;
  readonly classes: number;
}

/** Offsets of the four blocks in the weight vector, and its length. */
export interface WeightLayout {
  readonly inputs: number;
  readonly hidden: number;
  readonly classes: number;
  /** W1[h, i] is at `w1 + h·inputs + i` (always 0). */
  readonly w1: number;
  /** b1[h] is at `b1 + h`. */
  readonly b1: number;
  /** W2[k, h] is at `w2 + k·hidden + h`. */
  readonly w2: number;
  /** b2[k] is at `b2 + k`. */
  readonly b2: number;
  /** Total number of weights. */
  readonly count: number;
}

/** Checks a model specification at the public edge (positive integers, C ≥ 2). */
export function requireModel(model: unknown, name = 'model'): ModelSpec {
  if (typeof model !== 'object' || model === null) {
    throw new TypeError(expectedMessage('an object { inputs, hidden, classes }', name, model));
  }
  const m = model as Record<string, unknown>;
  const inputs = requireInteger(`${name}.inputs`, m.inputs, 1, 1 << 20);
  const hidden = requireInteger(`${name}.hidden`, m.hidden, 1, 1 << 16);
  const classes = requireInteger(`${name}.classes`, m.classes, 2, 1 << 16);
  return { inputs, hidden, classes };
}

export function weightLayout(model: ModelSpec): WeightLayout {
  const { inputs, hidden, classes } = model;
  const b1 = hidden * inputs;
  const w2 = b1 + hidden;
  const b2 = w2 + classes * hidden;
  return { inputs, hidden, classes, w1: 0, b1, w2, b2, count: b2 + classes };
}

/** Number of weights: hidden·(inputs + 1) + classes·(hidden + 1). */
export function weightCount(model: ModelSpec): number {
  const { inputs, hidden, classes } = requireModel(model);
  return hidden * (inputs + 1) + classes * (hidden + 1);
}

/** Checks a weight vector: Float64Array of the model's length, every entry finite. */
export function requireWeights(name: string, weights: unknown, count: number): Float64Array {
  const w = requireFloat64Array(name, weights, count);
  requireFinite(name, w);
  return w;
}

export interface RandomWeightsOptions {
  /**
   * When given, every weight (biases too) is uniform in [−scale, scale]. Otherwise matrices
   * are Glorot-uniform (±√(6/(fan_in + fan_out))) and biases are 0.
   */
  readonly scale?: number;
}

/** A random starting point for a model, drawn from the injected `rng` (reproducible). */
export function randomWeights(model: ModelSpec, rng: Rng, options: RandomWeightsOptions = {}): Float64Array {
  const spec = requireModel(model);
  if (typeof rng !== 'object' || rng === null || typeof (rng as Rng).uniform !== 'function') {
    throw new TypeError(expectedMessage('an Rng (createRng from @lossscape/numeric)', 'rng', rng));
  }
  const layout = weightLayout(spec);
  const w = new Float64Array(layout.count);
  if (options.scale !== undefined) {
    const scale = requirePositive('options.scale', options.scale);
    for (let i = 0; i < w.length; i++) w[i] = rng.uniformIn(-scale, scale);
    return w;
  }
  const g1 = Math.sqrt(6 / (spec.inputs + spec.hidden));
  for (let i = layout.w1; i < layout.b1; i++) w[i] = rng.uniformIn(-g1, g1);
  const g2 = Math.sqrt(6 / (spec.hidden + spec.classes));
  for (let i = layout.w2; i < layout.b2; i++) w[i] = rng.uniformIn(-g2, g2);
  return w;
}

/** Checks features (N×inputs row-major, finite) and returns N. */
export function requireFeatures(name: string, features: unknown, inputs: number): number {
  if (!(features instanceof Float64Array)) throw new TypeError(expectedMessage('Float64Array (N×inputs, row-major)', name, features));
  if (features.length % inputs !== 0) {
    throw new LandscapeError(
      expectedMessage(`a length that is a multiple of inputs = ${inputs}`, name, features) + ` (length ${features.length})`,
      'ERR_DIMENSION_MISMATCH',
    );
  }
  for (let k = 0; k < features.length; k++) {
    if (!Number.isFinite(features[k])) {
      throw new LandscapeError(
        `Expected finite values for ${name} but received ${String(features[k])} at row ${Math.floor(k / inputs)}, column ${k % inputs}`,
        'ERR_NOT_FINITE',
      );
    }
  }
  return features.length / inputs;
}

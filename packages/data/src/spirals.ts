// SPDX-License-Identifier: MIT
/**
 * The two-spirals benchmark of Lang & Witbrock (1988), as written by the CMU benchmark program
 * `mkspiral.c`: for i = 0..96, φ = iπ/16, r = 6.5·(104 − i)/104; class 1 is (r sin φ, r cos φ),
 * class 0 the point reflected through the origin. Rows alternate class 1, class 0.
 *
 * For P points per spiral we keep the same curve, three turns from radius 6.5 to 0.5, sampled at
 * t = i/(P − 1): φ = 6πt, r = 6.5 − 6t. At P = 97 this is the original (t = i/96 gives
 * φ = iπ/16 and r = 6.5 − i/16 = 6.5·(104 − i)/104).
 */
import { createRng, requireInteger, requireNonNegative, type Rng } from '@lossscape/numeric';
import type { LabelledSet } from './labelled-set.js';

export interface SpiralOptions {
  /** Points per spiral, P ≥ 2 (default 97, the original benchmark; 2P rows in all). */
  readonly pointsPerSpiral?: number;
  /** Uniform noise: each coordinate gets an independent draw in [−noise, noise) (default 0.1). */
  readonly noise?: number;
  /** Seed for the noise (default 1); ignored when `rng` is given or noise is 0. */
  readonly seed?: number;
  /** The generator to draw the noise from (default `createRng(seed)`); it advances by 4P draws. */
  readonly rng?: Rng;
}

export const SPIRAL_DEFAULTS = Object.freeze({ pointsPerSpiral: 97, noise: 0.1, seed: 1 });

/**
 * Generates the two spirals: 2P rows, 2 features (x, y), labels 1 and 0 alternating (row 2i is
 * point i of spiral 1). Cost O(P).
 *
 * ```ts
 * const clean = generateSpirals({ pointsPerSpiral: 97, noise: 0 });   // = datasets/two_spirals_194.csv
 * const noisy = generateSpirals({ seed: 7 });                         // 97 per spiral, noise ±0.1
 * ```
 */
export function generateSpirals(options: SpiralOptions = {}): LabelledSet {
  const points = requireInteger('pointsPerSpiral', options.pointsPerSpiral ?? SPIRAL_DEFAULTS.pointsPerSpiral, 2, 1 << 24);
  const noise = requireNonNegative('noise', options.noise ?? SPIRAL_DEFAULTS.noise);
  const rng = options.rng ?? createRng(requireInteger('seed', options.seed ?? SPIRAL_DEFAULTS.seed));
  const features = new Float64Array(4 * points);
  const labels = new Int32Array(2 * points);
  for (let i = 0; i < points; i++) {
    const t = i / (points - 1);
    const phi = 6 * Math.PI * t;
    const r = 6.5 - 6 * t;
    const x = r * Math.sin(phi);
    const y = r * Math.cos(phi);
    features[4 * i] = x;
    features[4 * i + 1] = y;
    features[4 * i + 2] = -x;
    features[4 * i + 3] = -y;
    labels[2 * i] = 1;
    labels[2 * i + 1] = 0;
  }
  if (noise > 0) {
    // Drawn in row order, x before y, after the clean curve: a given seed always perturbs the
    // same coordinate by the same amount.
    for (let k = 0; k < features.length; k++) features[k] += rng.uniformIn(-noise, noise);
  }
  return { features, labels, rows: 2 * points, featureCount: 2, classes: 2 };
}

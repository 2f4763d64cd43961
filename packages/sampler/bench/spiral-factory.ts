// SPDX-License-Identifier: MIT
// The study's spiral landscapes as a potential factory for chain threads (benchmark only).
// A benchmark is a tool, not library code: it may use packages the sampler itself may not.
/* eslint-disable @nx/enforce-module-boundaries */
import { generateSpirals } from '@lossscape/data';
import { createLossPotential, randomWeights } from '@lossscape/tensor-core';
/* eslint-enable @nx/enforce-module-boundaries */
import { createRng, type Potential } from '@lossscape/numeric';

export const SPIRAL_MODEL = Object.freeze({ inputs: 2, hidden: 10, classes: 2 });

/** 2-10-2 network on the 194 noisy spiral points (97 per spiral, noise ±0.1, seed 1), λ = 1e-5. */
export function createSpiralPotential(args: { loss: 'ce' | 'sigmoid' }): Potential {
  const spirals = generateSpirals();
  return createLossPotential({ model: SPIRAL_MODEL, data: { features: spirals.features, labels: spirals.labels }, loss: { kind: args.loss }, l2: 1e-5 });
}

/** Glorot-uniform start, reproducible. */
export function spiralStart(seed: number): Float64Array {
  return randomWeights(SPIRAL_MODEL, createRng(seed));
}

// SPDX-License-Identifier: MIT
/**
 * Per-minimum properties for a network landscape: train/test AUC, CE value and the loss without
 * L2 (tensor-core), and the Hessian spectrum's LPPHE, index and count of 2λ eigenvalues
 * (hessian-native, on a libuv thread so the event loop stays live).
 */
import type { MinimumProperties, MinimumRecord } from '@lossscape/landscape';
import { evaluateMinimum, type LossPotential } from '@lossscape/tensor-core';
import { hessianSpectrumAsync } from '@lossscape/hessian-native';
import type { LabelledSet } from '@lossscape/data';

/**
 * The H+1 flat directions of softmax become eigenvalues 2λ exactly (to rounding, ~1e-16 × the
 * spectral radius): an eigenvalue within this relative distance of 2λ — plus this fraction of
 * the spectral radius — is counted as one.
 */
export const FLAT_EIGENVALUE_RELATIVE = 1e-9;
export const FLAT_EIGENVALUE_SPECTRAL = 1e-12;

export function countFlatEigenvalues(eigenvalues: Float64Array, l2: number): number {
  if (!(l2 > 0)) return 0;
  let radius = 0;
  for (const v of eigenvalues) radius = Math.max(radius, Math.abs(v));
  const target = 2 * l2;
  const tolerance = FLAT_EIGENVALUE_RELATIVE * target + FLAT_EIGENVALUE_SPECTRAL * radius;
  let count = 0;
  for (const v of eigenvalues) if (Math.abs(v - target) <= tolerance) count++;
  return count;
}

export interface MinimumEvaluatorOptions {
  readonly potential: LossPotential;
  readonly train: LabelledSet;
  readonly test: LabelledSet;
  /** Compute the dense Hessian spectrum (default true). */
  readonly hessian?: boolean;
}

export function createMinimumEvaluator(options: MinimumEvaluatorOptions): (minimum: Pick<MinimumRecord, 'coordinates'>) => Promise<MinimumProperties> {
  const { potential, train, test } = options;
  const loss = potential.loss;
  const spec = {
    kind: loss.kind,
    positiveClass: loss.positiveClass,
    ...(Number.isNaN(loss.beta) ? {} : { beta: loss.beta }),
    ...(Number.isNaN(loss.margin) ? {} : { margin: loss.margin }),
  };
  return async (minimum) => {
    const e = evaluateMinimum({ model: potential.model, data: train, test, loss: spec, l2: potential.l2 }, minimum.coordinates);
    const base: MinimumProperties = { trainAuc: e.trainAuc, testAuc: e.testAuc, ceLoss: e.ceLoss, dataLoss: e.dataLoss };
    if (options.hessian === false) return base;
    const spectrum = await hessianSpectrumAsync(potential.hessian(minimum.coordinates), potential.dimension);
    const w = spectrum.eigenvalues;
    return {
      ...base,
      lpphe: spectrum.lpphe.value,
      positiveCount: spectrum.lpphe.positiveCount,
      negativeCount: spectrum.lpphe.negativeCount,
      droppedCount: spectrum.lpphe.droppedCount,
      flatCount: countFlatEigenvalues(w, potential.l2),
      index: spectrum.index,
      smallestEigenvalue: w[0],
      largestEigenvalue: w[w.length - 1],
    };
  };
}

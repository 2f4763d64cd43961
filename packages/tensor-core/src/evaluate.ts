// SPDX-License-Identifier: MIT
/**
 * Per-minimum properties for the CLI's evaluator (landscape MinimumProperties): the run's
 * loss with and without L2, cross-entropy with the same λ, and exact train/test AUC.
 *
 * ```ts
 * const props = evaluateMinimum({ model, data: train, test, loss: { kind: 'sigmoid' }, l2: 1e-5 }, weights);
 * // { energy, dataLoss, ceLoss, trainAuc, testAuc, warnings }
 * ```
 * Cost: one energy evaluation per loss (two when the run's loss is not CE) and two AUCs.
 */
import { auc } from './auc.js';
import { predictScores } from './forward.js';
import type { LossSpec, LossWarning } from './losses/types.js';
import type { ModelSpec } from './model.js';
import { createLossPotential, requireDataset, type Dataset } from './potential.js';

export interface EvaluateMinimumOptions {
  readonly model: ModelSpec;
  /** The training data the loss is defined on. */
  readonly data: Dataset;
  readonly loss: LossSpec;
  readonly l2?: number;
  /** Held-out data for testAuc. */
  readonly test?: Dataset;
}

export interface MinimumEvaluation {
  /** Loss + λ‖w‖² (the potential's energy). */
  readonly energy: number;
  /** The loss without L2 (for pairwise sigmoid: −appAUC on the training data). */
  readonly dataLoss: number;
  /** Cross-entropy + λ‖w‖² with the run's λ. */
  readonly ceLoss: number;
  /** Exact AUC of the positive class on the training data (ties ½). */
  readonly trainAuc: number;
  /** Exact AUC on `test`, when given. */
  readonly testAuc?: number;
  readonly warnings: readonly LossWarning[];
}

export function evaluateMinimum(options: EvaluateMinimumOptions, weights: Float64Array): MinimumEvaluation {
  const warnings: LossWarning[] = [];
  const potential = createLossPotential({ model: options.model, data: options.data, loss: options.loss, l2: options.l2, onWarning: (w) => warnings.push(w) });
  const energy = potential.energy(weights);
  const dataLoss = potential.dataLoss(weights);
  const positiveClass = potential.loss.positiveClass;
  const ceLoss =
    potential.loss.kind === 'ce'
      ? energy
      : createLossPotential({ model: potential.model, data: options.data, loss: { kind: 'ce', positiveClass }, l2: potential.l2 }).energy(weights);
  const trainAuc = auc(predictScores(potential.model, weights, options.data.features, positiveClass), options.data.labels, positiveClass);
  let testAuc: number | undefined;
  if (options.test !== undefined) {
    requireDataset('test', options.test, potential.model);
    testAuc = auc(predictScores(potential.model, weights, options.test.features, positiveClass), options.test.labels, positiveClass);
  }
  return { energy, dataLoss, ceLoss, trainAuc, ...(testAuc === undefined ? {} : { testAuc }), warnings };
}

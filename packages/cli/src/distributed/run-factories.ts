// SPDX-License-Identifier: MIT
/**
 * The network landscape's evaluator as a factory a worker can import (`lossscape:run-factories`):
 * the same per-minimum properties as a local `explore` (train/test AUC, CE, LPPHE, index, 2λ
 * count), built from the run's JSON potential arguments. The potential itself is
 * `lossscape:run-potential#createRunPotential`.
 */
import type { MinimumProperties, MinimumRecord } from '@lossscape/landscape';
import { createMinimumEvaluator } from '../engine/evaluator.js';
import { createRunPotential, runDataset, type RunPotentialArgs } from '../engine/potential-factory.js';

export interface RunEvaluatorArgs extends RunPotentialArgs {
  /** Dense Hessian spectrum per minimum (default true). */
  readonly hessian?: boolean;
}

export function createRunEvaluator(args: RunEvaluatorArgs): (minimum: MinimumRecord) => Promise<MinimumProperties> {
  const potential = createRunPotential(args);
  const { train, test } = runDataset(args);
  const evaluate = createMinimumEvaluator({ potential, train, test, hessian: args.hessian ?? true });
  return (minimum) => evaluate(minimum);
}

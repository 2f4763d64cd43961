// SPDX-License-Identifier: MIT
/**
 * The one list of tf pairwise losses (STYLE R6), keyed like the exact registry. Read-only.
 *
 * ```ts
 * tfPairwiseLosses.get('sigmoid')!.meanOverPairs(s, t, { beta: 40, margin: NaN });
 * ```
 */
import { LandscapeError } from '@lossscape/numeric';
import type { PairwiseLossKind } from '../../losses/types.js';
import { exponentialTfLoss } from './exponential.js';
import { hingeTfLoss } from './hinge.js';
import { quadraticTfLoss } from './quadratic.js';
import { sigmoidTfLoss } from './sigmoid.js';
import { tanhTfLoss } from './tanh.js';
import type { TfPairwiseLoss } from './types.js';

function buildRegistry(list: readonly TfPairwiseLoss[]): ReadonlyMap<PairwiseLossKind, TfPairwiseLoss> {
  const map = new Map<PairwiseLossKind, TfPairwiseLoss>();
  for (const l of list) {
    if (map.has(l.kind)) throw new LandscapeError(`Expected unique loss kinds for the tf loss registry but received '${l.kind}' twice`, 'ERR_INVALID_ARGUMENT');
    map.set(l.kind, l);
  }
  return Object.freeze({
    get: (k: PairwiseLossKind) => map.get(k),
    has: (k: PairwiseLossKind) => map.has(k),
    get size() {
      return map.size;
    },
    keys: () => map.keys(),
    values: () => map.values(),
    entries: () => map.entries(),
    forEach: (fn: (v: TfPairwiseLoss, k: PairwiseLossKind, m: ReadonlyMap<PairwiseLossKind, TfPairwiseLoss>) => void) => map.forEach((v, k) => fn(v, k, map)),
    [Symbol.iterator]: () => map[Symbol.iterator](),
  });
}

export const tfPairwiseLosses: ReadonlyMap<PairwiseLossKind, TfPairwiseLoss> = buildRegistry([sigmoidTfLoss, tanhTfLoss, hingeTfLoss, exponentialTfLoss, quadraticTfLoss]);

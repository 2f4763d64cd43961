// SPDX-License-Identifier: MIT
/**
 * The one list of losses (STYLE R6). Read-only: no global mutation, duplicates throw.
 *
 * ```ts
 * lossRegistry.get('sigmoid')!.defaults.beta;   // 40
 * [...lossRegistry.keys()];                      // ['ce', 'sigmoid', 'tanh', 'hinge', 'exp', 'quad']
 * ```
 */
import { LandscapeError, expectedMessage, requireOneOf, requirePositive } from '@lossscape/numeric';
import { crossEntropyLoss } from './cross-entropy.js';
import { exponentialLoss } from './exponential.js';
import { hingeLoss } from './hinge.js';
import { quadraticLoss } from './quadratic.js';
import { sigmoidLoss } from './sigmoid.js';
import { tanhLoss } from './tanh.js';
import type { LossDefinition, LossKind, LossParameterName, LossParameters, PairwiseLossDefinition } from './types.js';

function buildRegistry(definitions: readonly LossDefinition[]): ReadonlyMap<LossKind, LossDefinition> {
  const map = new Map<LossKind, LossDefinition>();
  for (const d of definitions) {
    if (map.has(d.kind)) throw new LandscapeError(`Expected unique loss kinds for the loss registry but received '${d.kind}' twice`, 'ERR_INVALID_ARGUMENT');
    map.set(d.kind, d);
  }
  // A Map frozen with Object.freeze still accepts set(); expose only the reading half.
  const view: ReadonlyMap<LossKind, LossDefinition> = {
    get: (k) => map.get(k),
    has: (k) => map.has(k),
    get size() {
      return map.size;
    },
    keys: () => map.keys(),
    values: () => map.values(),
    entries: () => map.entries(),
    forEach: (fn, thisArg?: unknown) => map.forEach((v, k) => fn.call(thisArg, v, k, view)),
    [Symbol.iterator]: () => map[Symbol.iterator](),
  };
  return Object.freeze(view);
}

export const lossRegistry: ReadonlyMap<LossKind, LossDefinition> = buildRegistry([
  crossEntropyLoss,
  sigmoidLoss,
  tanhLoss,
  hingeLoss,
  exponentialLoss,
  quadraticLoss,
]);

export const lossKinds: readonly LossKind[] = Object.freeze([...lossRegistry.keys()]);

const parameterNames: readonly LossParameterName[] = ['beta', 'margin'];

export interface ResolvedLoss {
  readonly definition: LossDefinition;
  readonly parameters: LossParameters;
}

/**
 * Validates `{ kind, beta?, margin? }` at the public edge and fills DESIGN.md defaults. A
 * parameter the loss does not take is an error (a silently ignored β would be a wrong study).
 */
export function resolveLoss(spec: unknown, name = 'loss', allowed: readonly LossKind[] = lossKinds): ResolvedLoss {
  if (typeof spec !== 'object' || spec === null) throw new TypeError(expectedMessage(`an object { kind: ${allowed.map((k) => `'${k}'`).join(' | ')}, … }`, name, spec));
  const s = spec as Record<string, unknown>;
  const kind = requireOneOf(`${name}.kind`, s.kind, allowed);
  const definition = lossRegistry.get(kind)!;
  const values: Record<LossParameterName, number> = { beta: NaN, margin: NaN };
  for (const p of parameterNames) {
    const given = s[p];
    if (!(definition.parameters as readonly string[]).includes(p)) {
      if (given !== undefined) {
        const takes = definition.parameters.length ? `it takes ${definition.parameters.join(', ')}` : 'it takes no parameters';
        throw new LandscapeError(`${expectedMessage(`no ${p} for loss '${kind}' (${takes})`, `${name}.${p}`, given)}`, 'ERR_INVALID_ARGUMENT');
      }
      continue;
    }
    values[p] = given === undefined ? definition.defaults[p]! : requirePositive(`${name}.${p}`, given);
  }
  return { definition, parameters: values };
}

/** Pairwise losses only (kind not 'ce'). */
export function resolvePairwiseLoss(spec: unknown, name = 'loss'): { definition: PairwiseLossDefinition; parameters: LossParameters } {
  const r = resolveLoss(spec, name, lossKinds.filter((k) => k !== 'ce'));
  return { definition: r.definition as PairwiseLossDefinition, parameters: r.parameters };
}

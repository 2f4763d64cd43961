// SPDX-License-Identifier: MIT
/**
 * Potential factories for `runChains` tests: a worker imports this module and calls an export
 * with JSON arguments (functions cannot cross threads).
 */
import type { Potential } from '@lossscape/numeric';
import { lennardJones } from './potentials.js';
import { symmetricToy } from './symmetric-toy.js';

export function createLennardJones(args: { atoms: number; containerRadius?: number }): Potential {
  return lennardJones(args.atoms, { containerRadius: args.containerRadius });
}

export function createSymmetricToy(args: { units?: number }): Potential {
  return symmetricToy({ units: args.units });
}

let built = 0;
/** Works the first time (the main thread's copy) and throws afterwards (the worker's). */
export function createFailingSecondTime(): Potential {
  if (++built > 1) throw new Error('cannot build the potential here');
  return lennardJones(7, { containerRadius: 2 });
}

export const notAFunction = 42;

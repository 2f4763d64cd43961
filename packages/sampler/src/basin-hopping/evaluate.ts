// SPDX-License-Identifier: MIT
/**
 * Per-minimum properties through the injected evaluator, stored with the minimum. A minimum
 * whose Hessian has negative eigenvalues beyond tolerance (index > 0, as the evaluator
 * reports it) is flagged in its properties and announced with a warning: it stays in the
 * database, marked, rather than silently counted as a minimum.
 */
import type { LandscapeStore, MinimumProperties, MinimumRecord } from '@lossscape/landscape';
import type { MinimumPropertiesEvent, WarningEvent } from '../events.js';
import type { Evaluator } from './options.js';

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs the evaluator on `minimum`, stores the result and returns the events to emit. */
export async function evaluateAndStore(
  store: LandscapeStore,
  evaluate: Evaluator,
  minimum: MinimumRecord,
  chain: number,
  elapsedMs: () => number,
): Promise<Array<MinimumPropertiesEvent | WarningEvent>> {
  const events: Array<MinimumPropertiesEvent | WarningEvent> = [];
  let properties: MinimumProperties;
  try {
    const value = await evaluate(minimum);
    if (value === null || typeof value !== 'object') throw new TypeError(`Expected a MinimumProperties object from evaluate but received ${value === null ? 'null' : typeof value}`);
    properties = value;
  } catch (err) {
    properties = { flag: `evaluation failed: ${describeError(err)}` };
    events.push({ type: 'warning', chain, elapsedMs: elapsedMs(), code: 'ERR_EVALUATION', message: `Evaluating minimum ${minimum.id} failed: ${describeError(err)}` });
  }
  if (properties.index !== undefined && properties.index > 0) {
    const detail = properties.smallestEigenvalue !== undefined ? `, smallest eigenvalue ${properties.smallestEigenvalue}` : '';
    const reason = `index ${properties.index}${detail}: not a minimum`;
    if (properties.flag === undefined) properties = { ...properties, flag: reason };
    events.push({
      type: 'warning',
      chain,
      elapsedMs: elapsedMs(),
      code: 'ERR_NOT_A_MINIMUM',
      message: `Minimum ${minimum.id} (E = ${minimum.energy}) has ${properties.index} negative Hessian eigenvalue(s) beyond tolerance${detail}; flagged`,
    });
  }
  await store.updateMinimumProperties(minimum.id, properties);
  events.unshift({ type: 'minimum-properties', chain, elapsedMs: elapsedMs(), minimumId: minimum.id, properties });
  return events;
}

/** Minima stored without properties (e.g. a run killed between storing and evaluating). */
export async function unevaluatedMinima(store: LandscapeStore): Promise<MinimumRecord[]> {
  return (await store.minima()).filter((m) => Object.keys(m.properties).length === 0);
}

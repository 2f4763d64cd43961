// SPDX-License-Identifier: MIT
/**
 * Colouring minima by a per-minimum property: a perceptually ordered colour ramp (the five
 * anchor colours of matplotlib's viridis, interpolated linearly in RGB) and the property values
 * read from minimum records.
 */
import { expectedMessage } from '@lossscape/numeric';
import type { MinimumProperties, MinimumRecord } from '../records.js';

/** Anchor colours of viridis at 0, ¼, ½, ¾, 1 (dark purple → yellow). */
const ANCHORS: ReadonlyArray<readonly [number, number, number]> = [
  [0x44, 0x01, 0x54],
  [0x3b, 0x52, 0x8b],
  [0x21, 0x91, 0x8c],
  [0x5e, 0xc9, 0x62],
  [0xfd, 0xe7, 0x25],
];

function hex2(v: number): string {
  return Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');
}

/** Colour for t ∈ [0, 1] (clamped; NaN gives grey) as '#rrggbb'. */
export function colourRamp(t: number): string {
  if (Number.isNaN(t)) return '#9e9e9e';
  const u = Math.min(1, Math.max(0, t)) * (ANCHORS.length - 1);
  const i = Math.min(ANCHORS.length - 2, Math.floor(u));
  const f = u - i;
  const a = ANCHORS[i];
  const b = ANCHORS[i + 1];
  return `#${hex2(a[0] + f * (b[0] - a[0]))}${hex2(a[1] + f * (b[1] - a[1]))}${hex2(a[2] + f * (b[2] - a[2]))}`;
}

/** Which number to colour a minimum by: a numeric property name or a function of the record. */
export type MinimumValue = keyof MinimumProperties | ((minimum: MinimumRecord) => number | undefined);

/**
 * Per-minimum values for colouring (default test AUC). Minima without a finite value are left
 * out of the map and drawn grey.
 */
export function minimumValues(minima: readonly MinimumRecord[], value: MinimumValue = 'testAuc'): Map<number, number> {
  if (typeof value !== 'function' && typeof value !== 'string') {
    throw new TypeError(expectedMessage('property name or function', 'value', value));
  }
  const out = new Map<number, number>();
  for (const m of minima) {
    const v = typeof value === 'function' ? value(m) : m.properties[value];
    if (typeof v === 'number' && Number.isFinite(v)) out.set(m.id, v);
  }
  return out;
}

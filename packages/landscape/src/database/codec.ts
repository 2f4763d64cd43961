// SPDX-License-Identifier: MIT
/**
 * What the memory and SQLite stores share, so they behave identically: argument checks,
 * the duplicate energy window, JSON that keeps NaN/±Infinity, the property merge, and the
 * little-endian float64 coordinate blobs.
 */
import { LandscapeError, expectedMessage, requireFloat64Array, requireInteger } from '@lossscape/numeric';
import type { DiscoveryPoint, MinimumProperties, RunManifest } from '../records.js';
import type { AddMinimumOptions, DuplicateTest, MinimumCandidate, TransitionStateCandidate } from '../store.js';

// ── coordinates ────────────────────────────────────────────────────────────────────────────

const LITTLE_ENDIAN = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f;

/** Coordinates as a little-endian float64 blob (8 bytes per value), whatever the host order. */
export function encodeFloat64LE(values: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(Float64Array.from(values).buffer);
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return bytes;
}

export function decodeFloat64LE(bytes: Uint8Array, what: string): Float64Array {
  if (bytes.byteLength % 8 !== 0) {
    throw new LandscapeError(expectedMessage('a blob of whole float64 values (multiple of 8 bytes)', what, `${bytes.byteLength} bytes`), 'ERR_DATABASE');
  }
  const out = new Float64Array(bytes.byteLength / 8);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

// ── JSON that keeps non-finite numbers ───────────────────────────────────────────────────────

// JSON has no NaN or Infinity, yet properties may hold them (an exponential loss that
// overflowed, an LPPHE not yet computed). Same tagging as the PATHSAMPLE side file.
const replacer = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) ? { $float: String(value) } : value;
const reviver = (_key: string, value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && '$float' in value
    ? Number((value as { $float: string }).$float)
    : value;

export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, replacer);
  } catch (cause) {
    throw new LandscapeError(expectedMessage('a JSON-serialisable value', what, value), 'ERR_INVALID_ARGUMENT', { cause });
  }
  if (text === undefined) throw new LandscapeError(expectedMessage('a JSON-serialisable value', what, value), 'ERR_INVALID_ARGUMENT');
  return text;
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

// ── checks at the store's edge ───────────────────────────────────────────────────────────────

function requireFiniteNumber(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(expectedMessage('finite number', name, value));
  if (!Number.isFinite(value)) throw new LandscapeError(expectedMessage('finite number', name, value), 'ERR_NOT_FINITE');
  return value;
}

/** A number that may be NaN (unknown) but must be a number. */
function requireNumber(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(expectedMessage('number (NaN when unknown)', name, value));
  return value;
}

function requireCoordinates(name: string, value: unknown, dimension: number | undefined): Float64Array {
  const x = requireFloat64Array(name, value, dimension);
  if (x.length === 0) throw new LandscapeError(expectedMessage('non-empty Float64Array', name, x), 'ERR_DIMENSION_MISMATCH');
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new LandscapeError(`Expected finite values for ${name} but received ${String(x[i])} at index ${i}`, 'ERR_NOT_FINITE');
  }
  return x;
}

export function checkDuplicateTest(test: DuplicateTest): void {
  if (test === null || typeof test !== 'object') throw new TypeError(expectedMessage('a DuplicateTest { energyTolerance, same? }', 'test', test));
  const tol = test.energyTolerance;
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) {
    throw new RangeError(expectedMessage('non-negative finite number', 'test.energyTolerance', tol));
  }
  if (test.same !== undefined && typeof test.same !== 'function') throw new TypeError(expectedMessage('function', 'test.same', test.same));
}

export function checkMinimumCandidate(c: MinimumCandidate, dimension: number | undefined): void {
  if (c === null || typeof c !== 'object') throw new TypeError(expectedMessage('a MinimumCandidate', 'candidate', c));
  requireFiniteNumber('candidate.energy', c.energy);
  requireCoordinates('candidate.coordinates', c.coordinates, dimension);
  requireNumber('candidate.rmsGradient', c.rmsGradient);
  requireInteger('candidate.step', c.step, 0);
  requireInteger('candidate.chain', c.chain, -1);
}

export function checkAddMinimumOptions(options: AddMinimumOptions | undefined): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw new TypeError(expectedMessage('an AddMinimumOptions object', 'options', options));
  if (options.checkpoint !== undefined) {
    checkCheckpointKey(options.checkpoint.key);
    if (typeof options.checkpoint.value !== 'function') throw new TypeError(expectedMessage('function', 'options.checkpoint.value', options.checkpoint.value));
  }
  if (options.discovery !== undefined) {
    requireInteger('options.discovery.quenches', options.discovery.quenches, 0);
    requireFiniteNumber('options.discovery.elapsedMs', options.discovery.elapsedMs);
  }
}

export function checkTransitionStateCandidate(c: TransitionStateCandidate, dimension: number | undefined): void {
  if (c === null || typeof c !== 'object') throw new TypeError(expectedMessage('a TransitionStateCandidate', 'candidate', c));
  requireFiniteNumber('candidate.energy', c.energy);
  requireCoordinates('candidate.coordinates', c.coordinates, dimension);
  requireNumber('candidate.rmsGradient', c.rmsGradient);
  requireNumber('candidate.negativeEigenvalue', c.negativeEigenvalue);
  requireNumber('candidate.lpphe', c.lpphe);
  requireInteger('candidate.minimum1', c.minimum1, 1);
  requireInteger('candidate.minimum2', c.minimum2, 1);
}

export function unknownMinimum(name: string, id: number): LandscapeError {
  return new LandscapeError(expectedMessage('the id of a stored minimum', name, id), 'ERR_INVALID_ARGUMENT');
}

export function checkMinimumId(name: string, id: unknown): number {
  return requireInteger(name, id, 1);
}

export function checkCheckpointKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError(expectedMessage('non-empty string', 'checkpoint key', key));
  return key;
}

export function checkDiscoveryPoint(point: DiscoveryPoint): void {
  if (point === null || typeof point !== 'object') throw new TypeError(expectedMessage('a DiscoveryPoint', 'point', point));
  requireInteger('point.quenches', point.quenches, 0);
  requireInteger('point.distinctMinima', point.distinctMinima, 0);
  requireFiniteNumber('point.elapsedMs', point.elapsedMs);
}

export function checkManifest(manifest: RunManifest): void {
  if (manifest === null || typeof manifest !== 'object') throw new TypeError(expectedMessage('a RunManifest', 'manifest', manifest));
  requireInteger('manifest.schemaVersion', manifest.schemaVersion, 1);
  if (typeof manifest.name !== 'string') throw new TypeError(expectedMessage('string', 'manifest.name', manifest.name));
}

export function checkProperties(properties: MinimumProperties): void {
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    throw new TypeError(expectedMessage('a MinimumProperties object', 'properties', properties));
  }
}

/** Rejects a write on a store that was closed. */
export function closedError(method: string): LandscapeError {
  return new LandscapeError(`Expected an open store for ${method} but received one that was closed`, 'ERR_DATABASE');
}

// ── duplicate window and property merge ─────────────────────────────────────────────────────

/** Half-width of the energy window: |ΔE| ≤ energyTolerance·max(1, |E|) (DuplicateTest). */
export function energyWindow(energy: number, test: DuplicateTest): number {
  return test.energyTolerance * Math.max(1, Math.abs(energy));
}

/** Later values win; `extra` is merged one level deeper so partial evaluators compose. */
export function mergeProperties(old: MinimumProperties, update: MinimumProperties): MinimumProperties {
  const merged: MinimumProperties = { ...old, ...update };
  if (old.extra !== undefined || update.extra !== undefined) return { ...merged, extra: { ...old.extra, ...update.extra } };
  return merged;
}

/** Key and ordering of failed pairs: smaller id first. */
export function pairKey(a: number, b: number): readonly [number, number] {
  return a <= b ? [a, b] : [b, a];
}

/** The schema version this code reads and writes (RunManifest.schemaVersion too). */
export const SCHEMA_VERSION = 1;

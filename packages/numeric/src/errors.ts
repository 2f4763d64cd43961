// SPDX-License-Identifier: MIT
/**
 * One error vocabulary for the whole project (STYLE R2): `TypeError` for a wrong type,
 * `RangeError` for a value out of range, and `LandscapeError` with a `code` for domain, data,
 * file and native failures. Messages read "Expected X for Y but received Z".
 */
export type LandscapeErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_DIMENSION_MISMATCH'
  | 'ERR_NOT_FINITE'
  | 'ERR_NOT_SYMMETRIC'
  | 'ERR_SINGLE_CLASS'
  | 'ERR_LABEL_RANGE'
  | 'ERR_NATIVE_UNAVAILABLE'
  | 'ERR_LAPACK_ARGUMENT'
  | 'ERR_LAPACK_CONVERGENCE'
  | 'ERR_SCHEMA_VERSION'
  | 'ERR_DATABASE'
  | 'ERR_CSV_PARSE'
  | 'ERR_CSV_VALUE'
  | 'ERR_CSV_HEADER'
  | 'ERR_CSV_EMPTY'
  | 'ERR_FILE_NOT_FOUND'
  | 'ERR_FILE_FORMAT'
  | 'ERR_CONFIG'
  | 'ERR_MODEL_FORMAT'
  | 'ERR_UNSUPPORTED_MODEL'
  | 'ERR_WORKER'
  | 'ERR_ABORTED'
  | 'ERR_OVERFLOW'
  | 'ERR_NOT_CONVERGED'
  | 'ERR_NOT_A_MINIMUM'
  | 'ERR_EVALUATION';

export class LandscapeError extends Error {
  readonly code: LandscapeErrorCode;
  constructor(message: string, code: LandscapeErrorCode, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
Object.defineProperty(LandscapeError.prototype, 'name', { value: 'LandscapeError', writable: true, configurable: true });

/** True for a LandscapeError, also one that crossed a realm (worker thread) as a plain object. */
export function isLandscapeError(value: unknown): value is LandscapeError {
  if (value instanceof LandscapeError) return true;
  const code = value instanceof Error ? (value as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_');
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${String(value)} of type ${typeof value}`;
  if (typeof value === 'string') return `'${value.length > 40 ? value.slice(0, 40) + '…' : value}' of type string`;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  return `value of type ${typeof value}`;
}

/** "Expected X for Y but received Z": the one message grammar. */
export function expectedMessage(expected: string, name: string, received: unknown): string {
  return `Expected ${expected} for ${name} but received ${describe(received)}`;
}

export function requireNumberInRange(name: string, value: unknown, min: number, max: number, options: { minExclusive?: boolean } = {}): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(expectedMessage(`number between ${min} and ${max}`, name, value));
  }
  const lowOk = options.minExclusive ? value > min : value >= min;
  if (!lowOk || !(value <= max)) {
    const range = options.minExclusive ? `number greater than ${min}${max === Infinity ? '' : ` and at most ${max}`}` : `number between ${min} and ${max}`;
    throw new RangeError(expectedMessage(range, name, value));
  }
  return value;
}

export function requirePositive(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(expectedMessage('positive number', name, value));
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(expectedMessage('positive finite number', name, value));
  return value;
}

export function requireNonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(expectedMessage('non-negative number', name, value));
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(expectedMessage('non-negative finite number', name, value));
  return value;
}

export function requireInteger(name: string, value: unknown, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(expectedMessage(`integer between ${min} and ${max}`, name, value));
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(expectedMessage(`integer between ${min} and ${max}`, name, value));
  return value;
}

export function requireFloat64Array(name: string, value: unknown, length?: number): Float64Array {
  if (!(value instanceof Float64Array)) throw new TypeError(expectedMessage('Float64Array', name, value));
  if (length !== undefined && value.length !== length) {
    throw new LandscapeError(expectedMessage(`Float64Array of length ${length}`, name, value), 'ERR_DIMENSION_MISMATCH');
  }
  return value;
}

/** Throws ERR_NOT_FINITE naming the first index that holds NaN or ±Infinity. */
export function requireFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new LandscapeError(`Expected finite values for ${name} but received ${String(values[i])} at index ${i}`, 'ERR_NOT_FINITE');
    }
  }
}

export function requireOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new LandscapeError(expectedMessage(`one of ${allowed.map((a) => `'${a}'`).join(', ')}`, name, value), 'ERR_INVALID_ARGUMENT');
  }
  return value as T;
}

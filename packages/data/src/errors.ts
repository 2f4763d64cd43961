// SPDX-License-Identifier: MIT
/**
 * Errors for bad data files. A `DataInputError` is a `LandscapeError` (same `code`s, so the CLI
 * maps it to exit code 2) that also carries where the problem is, as structured fields, so a
 * caller can print one line or point an editor at the spot.
 */
import { LandscapeError, type LandscapeErrorCode } from '@lossscape/numeric';

export interface DataErrorLocation {
  /** The file path, or the `source` name given for text input (default `<string>`). */
  readonly file: string;
  /** 1-based line in the file. */
  readonly line?: number;
  /** 1-based column (field) number. */
  readonly column?: number;
  /** The column's header name, when known. */
  readonly field?: string;
}

export class DataInputError extends LandscapeError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly field: string | undefined;
  constructor(message: string, code: LandscapeErrorCode, location: DataErrorLocation, options?: ErrorOptions) {
    super(message, code, options);
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.field = location.field;
  }
}
Object.defineProperty(DataInputError.prototype, 'name', { value: 'DataInputError', writable: true, configurable: true });

/** "data.csv line 5, column 3 ('V2')": the place part of a message. */
export function describeLocation(location: DataErrorLocation): string {
  let s = location.file;
  if (location.line !== undefined) s += ` line ${location.line}`;
  if (location.column !== undefined) {
    s += `${location.line !== undefined ? ',' : ''} column ${location.column}`;
    if (location.field !== undefined) s += ` (${quoteValue(location.field)})`;
  } else if (location.field !== undefined) {
    s += ` column ${quoteValue(location.field)}`;
  }
  return s;
}

/** A field value for a one-line message: quoted, control characters escaped, at most 40 characters. */
export function quoteValue(value: string): string {
  const short = value.length > 40 ? value.slice(0, 40) + '…' : value;
  // JSON escaping turns newlines, tabs and NULs into visible escapes, so the message stays one line.
  return `'${JSON.stringify(short).slice(1, -1)}'`;
}

/** Throws a DataInputError "Expected <expected> for <what> at <location> but received <received>". */
export function dataError(code: LandscapeErrorCode, expected: string, location: DataErrorLocation, received: string, what?: string): DataInputError {
  const target = what ? `${what} at ${describeLocation(location)}` : describeLocation(location);
  return new DataInputError(`Expected ${expected} for ${target} but received ${received}`, code, location);
}

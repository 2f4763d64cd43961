// SPDX-License-Identifier: MIT
/**
 * How the CLI reports failures (DESIGN.md): a user's mistake is one line on stderr and exit
 * code 2, never a stack trace; anything else is a bug and keeps its stack (exit 1).
 */
import { LandscapeError } from '@lossscape/numeric';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line, a config file or an input file. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
Object.defineProperty(UsageError.prototype, 'name', { value: 'UsageError', writable: true, configurable: true });

// Codes that mean "the input is wrong", as opposed to a native or internal failure.
const USER_CODES = new Set<string>([
  'ERR_INVALID_ARGUMENT',
  'ERR_DIMENSION_MISMATCH',
  'ERR_NOT_FINITE',
  'ERR_NOT_SYMMETRIC',
  'ERR_SINGLE_CLASS',
  'ERR_LABEL_RANGE',
  'ERR_SCHEMA_VERSION',
  'ERR_CSV_PARSE',
  'ERR_CSV_VALUE',
  'ERR_CSV_HEADER',
  'ERR_CSV_EMPTY',
  'ERR_FILE_NOT_FOUND',
  'ERR_FILE_FORMAT',
  'ERR_CONFIG',
  'ERR_MODEL_FORMAT',
  'ERR_UNSUPPORTED_MODEL',
  'ERR_DATABASE',
]);

/** True when `err` describes bad input that the user can fix. */
export function isUserError(err: unknown): err is Error {
  if (err instanceof UsageError) return true;
  if (err instanceof LandscapeError) return USER_CODES.has(err.code);
  // Validators throw TypeError/RangeError in the project's grammar; other TypeErrors are bugs.
  if ((err instanceof TypeError || err instanceof RangeError) && err.message.startsWith('Expected ')) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR');
}

/** The one line printed for a user error. */
export function oneLine(err: Error): string {
  const sys = err as Error & { code?: string; path?: string };
  if (sys.code === 'ENOENT' && sys.path) return `No such file: ${sys.path}`;
  if (sys.code === 'EACCES' && sys.path) return `Permission denied: ${sys.path}`;
  if (sys.code === 'EISDIR' && sys.path) return `Expected a file but found a directory: ${sys.path}`;
  return err.message.split('\n')[0].trim();
}

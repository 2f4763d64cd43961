// SPDX-License-Identifier: MIT
import { LandscapeError, type LandscapeErrorCode } from '@lossscape/numeric';
import type { SerializedError } from './serialized-error.js';

const BUILT_IN: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuilds an error thrown in another thread: same class (built-ins and LandscapeError), same
 * message and `code`; the stack is the thread's own, followed by `where` and the caller's frames
 * so that both ends of the hop are visible.
 */
export function rebuildError(remote: SerializedError, where: string, callSite: Error | undefined): Error {
  let error: Error;
  if (remote.name === 'LandscapeError' && typeof remote.code === 'string') {
    error = new LandscapeError(remote.message, remote.code as LandscapeErrorCode);
  } else {
    const Constructor = BUILT_IN[remote.name] ?? Error;
    error = new Constructor(remote.message);
    if (!(remote.name in BUILT_IN)) Object.defineProperty(error, 'name', { value: remote.name, writable: true, configurable: true });
    if (remote.code !== undefined) Object.assign(error, { code: remote.code });
  }
  const callerFrames = callSite?.stack?.split('\n').slice(1).join('\n');
  const head = remote.stack ?? `${remote.name}: ${remote.message}`;
  error.stack = `${head}\n    at <${where}>${callerFrames ? `\n${callerFrames}` : ''}`;
  return error;
}

// SPDX-License-Identifier: MIT
/**
 * An error as it crosses a thread boundary: structured cloning keeps neither custom classes nor
 * a `code`, so threads send these four fields and the receiver rebuilds the error.
 */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly code: string | undefined;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return { name: error.name, message: error.message, stack: error.stack, code: typeof code === 'string' ? code : undefined };
  }
  return { name: 'Error', message: `Non-error value thrown: ${String(error)}`, stack: undefined, code: undefined };
}

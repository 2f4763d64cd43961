// SPDX-License-Identifier: MIT
/**
 * Turning a KernelRef into a function, in any thread. Kept free of package imports: the worker
 * entry loads it, and a failure here is reported back as a SerializedError with code ERR_WORKER.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { KernelFunction } from './kernel.js';
import type { SerializedError } from './serialized-error.js';

/** A specifier every thread resolves the same way: URL href, absolute path as file URL, or a bare package specifier. */
export function normalizeSpecifier(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (isAbsolute(module)) return pathToFileURL(module).href;
  return module;
}

export function loadFailure(specifier: string, cause: unknown, field = 'kernel.module'): SerializedError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return {
    name: 'LandscapeError',
    code: 'ERR_WORKER',
    message: `Expected an importable module for ${field} but received '${specifier}' (${detail})`,
    stack: cause instanceof Error ? cause.stack : undefined,
  };
}

/** The export as a function, or why it is not one. */
export function pickExport(namespace: unknown, specifier: string, exportName: string): KernelFunction | SerializedError {
  const value = (namespace as Record<string, unknown> | null | undefined)?.[exportName];
  if (typeof value === 'function') return value as KernelFunction;
  const received = value === undefined ? 'undefined' : `value of type ${typeof value}`;
  return {
    name: 'LandscapeError',
    code: 'ERR_WORKER',
    message: `Expected a function for export '${exportName}' of module '${specifier}' but received ${received}`,
    stack: undefined,
  };
}

// SPDX-License-Identifier: MIT
/**
 * Factories addressed by module and export name — how a worker on any machine builds the run's
 * potential, evaluator or random start from plain JSON. `lossscape:<name>` names a module
 * shipped with this CLI (resolved next to this file, so every worker finds its own copy);
 * anything else is a file URL, an absolute path or a package specifier.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LandscapeError } from '@lossscape/numeric';

export interface FactoryRef {
  readonly module: string;
  readonly exportName: string;
  /** JSON arguments passed to the export. */
  readonly args?: unknown;
}

/** Modules of this CLI that a spec may name as `lossscape:<name>`. */
export const BUILTIN_MODULES: Readonly<Record<string, URL>> = Object.freeze({
  factories: new URL('./factories.js', import.meta.url),
  'run-factories': new URL('./run-factories.js', import.meta.url),
  'run-potential': new URL('../engine/potential-factory.js', import.meta.url),
});

/** The import specifier for a factory module. */
export function resolveModule(module: string): string {
  if (module.startsWith('lossscape:')) {
    const url = BUILTIN_MODULES[module.slice('lossscape:'.length)];
    if (!url) {
      throw new LandscapeError(
        `Expected one of ${Object.keys(BUILTIN_MODULES).map((k) => `lossscape:${k}`).join(', ')} for a built-in factory module but received ${module}`,
        'ERR_CONFIG',
      );
    }
    return url.href;
  }
  return isAbsolute(module) ? pathToFileURL(module).href : module;
}

/** `(await import(module))[exportName](args)`, awaited; failures name the factory. */
export async function loadFactory(ref: FactoryRef, what: string): Promise<unknown> {
  const specifier = resolveModule(ref.module);
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(specifier)) as Record<string, unknown>;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new LandscapeError(`Expected an importable module for the ${what} factory but received ${ref.module} (${why})`, 'ERR_WORKER', { cause });
  }
  const make = namespace[ref.exportName];
  if (typeof make !== 'function') {
    throw new LandscapeError(`Expected a function export '${ref.exportName}' in ${ref.module} for the ${what} factory but received ${typeof make}`, 'ERR_WORKER');
  }
  return await (make as (args: unknown) => unknown)(ref.args);
}

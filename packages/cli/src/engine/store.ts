// SPDX-License-Identifier: MIT
/** Where a run's landscape lives: a SQLite file (the default) or a PostgreSQL schema. */
import { openPostgresStore, openSqliteStore, type LandscapeStore } from '@lossscape/landscape';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

export interface StoreLocationOptions {
  readonly readonly?: boolean;
  /** PostgreSQL schema of the run (default 'public'); ignored for SQLite. */
  readonly schema?: string;
}

/** Opens `location` (an absolute file path or a postgres:// URL). */
export async function openLandscapeStore(location: string, options: StoreLocationOptions = {}): Promise<LandscapeStore> {
  if (isPostgresUrl(location)) {
    return openPostgresStore(location, { schema: options.schema ?? 'public', readonly: options.readonly ?? false, poolSize: 2, applicationName: 'lossscape' });
  }
  return openSqliteStore(location, { readonly: options.readonly ?? false });
}

// SPDX-License-Identifier: MIT
/** Opening a run's database from a command-line argument, with one-line errors. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LandscapeStore } from '@lossscape/landscape';
import { isPostgresUrl, openLandscapeStore } from './engine/store.js';
import { UsageError } from './errors.js';
import type { CliContext } from './context.js';

export interface RunDatabaseOptions {
  /** Default true: inspecting commands never write. */
  readonly readonly?: boolean;
  /** PostgreSQL schema of the run, when `file` is a postgres:// URL. */
  readonly schema?: string;
}

/** A run database from a command-line argument: a SQLite file, or a postgres:// URL (+ schema). */
export async function openRunDatabase(ctx: CliContext, file: string, options: RunDatabaseOptions = {}): Promise<LandscapeStore> {
  if (isPostgresUrl(file)) return openLandscapeStore(file, { readonly: options.readonly ?? true, schema: options.schema });
  const resolved = path.resolve(ctx.cwd, file);
  if (!existsSync(resolved)) throw new UsageError(`No such run database: ${file}`);
  if (statSync(resolved).isDirectory()) throw new UsageError(`Expected a database file but ${file} is a directory`);
  return openLandscapeStore(resolved, { readonly: options.readonly ?? true });
}

/** Runs `body` with the store open, and closes it whatever happens. */
export async function withRunDatabase<T>(ctx: CliContext, file: string, body: (store: LandscapeStore) => Promise<T>, options: RunDatabaseOptions = {}): Promise<T> {
  const store = await openRunDatabase(ctx, file, options);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** Compact number for tables: 4 significant digits, exponent for very small or large values. */
export function formatNumber(v: number | undefined, digits = 4): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e6 ? v.toExponential(digits - 1) : Number(v.toPrecision(digits)).toString();
}

/** JSON that keeps NaN/±Infinity readable (as strings) instead of turning them into null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v instanceof Float64Array ? Array.from(v) : v), 2);
}

/** One CSV field, quoted when needed (RFC 4180). */
export function csvField(v: unknown): string {
  const s = v === undefined || v === null ? '' : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

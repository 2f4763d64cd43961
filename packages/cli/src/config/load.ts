// SPDX-License-Identifier: MIT
/**
 * Building an `ExploreConfig`: defaults < preset < config file < flags, validated once with
 * the schema. Every error is one line naming the source and the key.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { PRESETS, PRESET_NAMES, type PresetName } from './presets.js';
import { exploreConfigSchema, type ExploreConfig, type ExploreConfigInput } from './schema.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Recursive merge: objects merge key by key, anything else in `over` replaces `base`. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(out[k]) && isPlainObject(v) ? deepMerge(out[k], v) : v;
  }
  return out as T;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/** Parses a JSON file; a syntax error names the file, line and column. */
export function readJsonFile(path: string): Json {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const where = pos ? lineAndColumn(text, Number(pos[1])) : undefined;
    const detail = message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected/, 'unexpected');
    throw new UsageError(`${path}${where ? `:${where.line}:${where.column}` : ''}: invalid JSON (${detail})`, { cause: err });
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur = input;
  for (const key of path) {
    if (!isPlainObject(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** One line for the first schema issue: which key, what was expected, what came. */
export function describeIssue(source: string, issue: z.core.$ZodIssue, input: unknown): string {
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = key ? `${key}.` : '';
    return `${source}: unknown key '${where}${issue.keys[0]}'`;
  }
  const received = describeValue(valueAt(input, issue.path));
  let expected: string;
  switch (issue.code) {
    case 'invalid_type':
      expected = issue.expected === 'int' ? 'an integer' : `${issue.expected}`;
      break;
    case 'invalid_value':
      expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'too_small':
      expected = `a value ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}`;
      break;
    case 'too_big':
      expected = `a value ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}`;
      break;
    default:
      expected = issue.message;
  }
  return `${source}: expected ${expected} for '${key}' but received ${received}`;
}

export interface ConfigSources {
  readonly preset?: string;
  readonly file?: string;
  /** Values from command-line flags, already shaped like the config. */
  readonly flags?: ExploreConfigInput;
}

/** Merges and validates; throws UsageError naming the source and key of the first problem. */
export function resolveExploreConfig(sources: ConfigSources): ExploreConfig {
  let merged: unknown = {};
  if (sources.preset !== undefined) {
    if (!(PRESET_NAMES as string[]).includes(sources.preset)) {
      throw new UsageError(`Expected one of ${PRESET_NAMES.join(', ')} for --preset but received '${sources.preset}'`);
    }
    merged = deepMerge(merged, PRESETS[sources.preset as PresetName]);
  }
  if (sources.file !== undefined) {
    const fromFile = readJsonFile(sources.file);
    if (!isPlainObject(fromFile)) throw new UsageError(`${sources.file}: expected a JSON object at the top level but received ${describeValue(fromFile)}`);
    const checked = exploreConfigSchema.safeParse(fromFile);
    if (!checked.success) throw new UsageError(describeIssue(sources.file, checked.error.issues[0], fromFile));
    merged = deepMerge(merged, fromFile);
  }
  if (sources.flags !== undefined) merged = deepMerge(merged, sources.flags);
  const result = exploreConfigSchema.safeParse(merged);
  if (!result.success) throw new UsageError(describeIssue(sources.file && !sources.flags ? sources.file : 'options', result.error.issues[0], merged));
  const config = result.data;
  if (config.dataset.kind === 'csv' && !config.dataset.path) {
    throw new UsageError(`Expected a CSV path for 'dataset.path' (--data <csv>) when the dataset kind is csv but received none`);
  }
  return config;
}

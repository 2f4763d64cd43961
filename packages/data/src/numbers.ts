// SPDX-License-Identifier: MIT
/**
 * Strict numeric fields. `Number()` alone is too forgiving for data files: it reads '' and
 * '  ' as 0, '0x1F' as 31 and 'Infinity' as a number. A feature value here is a plain decimal
 * (optional sign, digits, optional fraction and exponent), finite after parsing.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const MISSING_TOKENS = new Set(['', 'na', 'n/a', 'null', 'none', '?']);
const NAN_TOKENS = new Set(['nan', '+nan', '-nan']);
const INFINITY_TOKENS = new Set(['inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']);

export type FieldProblem = 'missing' | 'nan' | 'infinite' | 'overflow' | 'not-a-number';

/**
 * Parses one field strictly (surrounding whitespace ignored): the finite value, or what is wrong
 * with it. Never throws and allocates nothing on success (it runs once per cell).
 */
export function parseNumericField(raw: string): number | FieldProblem {
  const s = raw.trim();
  if (DECIMAL.test(s)) {
    const value = Number(s);
    // A literal that parses to ±Infinity (1e999) is out of float64's range.
    return Number.isFinite(value) ? value : 'overflow';
  }
  const lower = s.toLowerCase();
  if (MISSING_TOKENS.has(lower)) return 'missing';
  if (NAN_TOKENS.has(lower)) return 'nan';
  if (INFINITY_TOKENS.has(lower)) return 'infinite';
  return 'not-a-number';
}

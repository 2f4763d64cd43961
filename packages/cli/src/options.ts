// SPDX-License-Identifier: MIT
/** Parsers for numeric flags: a bad value is a one-line usage error naming the flag. */
import { InvalidArgumentError } from 'commander';

function parseNumber(flag: string, raw: string, test: (v: number) => boolean, expected: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !test(v)) {
    throw new InvalidArgumentError(`Expected ${expected} for ${flag} but received '${raw}'`);
  }
  return v;
}

export const positiveNumber = (flag: string) => (raw: string) => parseNumber(flag, raw, (v) => v > 0, 'a positive number');
export const nonNegativeNumber = (flag: string) => (raw: string) => parseNumber(flag, raw, (v) => v >= 0, 'a non-negative number');
export const positiveInteger = (flag: string) => (raw: string) => parseNumber(flag, raw, (v) => Number.isInteger(v) && v > 0, 'a positive integer');
export const nonNegativeInteger = (flag: string) => (raw: string) => parseNumber(flag, raw, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer');
export const integer = (flag: string) => (raw: string) => parseNumber(flag, raw, Number.isInteger, 'an integer');
export const fraction = (flag: string) => (raw: string) => parseNumber(flag, raw, (v) => v > 0 && v < 1, 'a number between 0 and 1 (exclusive)');
/** A positive number, or the word 'auto'. */
export const positiveOrAuto = (flag: string) => (raw: string): number | 'auto' => (raw === 'auto' ? 'auto' : positiveNumber(flag)(raw));

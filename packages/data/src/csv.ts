// SPDX-License-Identifier: MIT
/**
 * CSV → `{ features, labels }` with validation at the edge. csv-parse does the tokenising
 * (quotes, CRLF, blank lines) and reports line numbers; this module checks the header, the
 * numbers and the labels, and turns every problem into one `DataInputError` whose one-line
 * message names the file, line and column.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CsvError, parse, type InfoRecord } from 'csv-parse/sync';
import { expectedMessage } from '@lossscape/numeric';
import { checkCsvString, decodeCsvText } from './encoding.js';
import { dataError, DataInputError, quoteValue, type DataErrorLocation } from './errors.js';
import type { LabelledSet } from './labelled-set.js';
import { parseNumericField, type FieldProblem } from './numbers.js';

export interface CsvOptions {
  /** Label column by header name (default: the last column). */
  readonly label?: string;
  /** Feature columns by header name, in this order (default: every other column, in file order). */
  readonly features?: readonly string[];
  /**
   * Labels are strings (e.g. 'fraud', 'ok') mapped to classes 0..C−1 in sorted order (code-unit
   * order, so '10' sorts before '2'); the mapping is returned in `labelMapping`. Default false:
   * labels must be the integers 0..C−1.
   */
  readonly stringLabels?: boolean;
  /** Field delimiter (default ','). */
  readonly delimiter?: string;
  /** Name used in messages for text input (default '<string>'); `readCsvFile` uses the path. */
  readonly source?: string;
}

export interface CsvDataset extends LabelledSet {
  readonly featureNames: readonly string[];
  readonly labelName: string;
  /** Name of class k: its integer label as text, or the original string label. */
  readonly classNames: readonly string[];
  /** With `stringLabels`: original label → class. */
  readonly labelMapping?: Readonly<Record<string, number>>;
  /** Source line (1-based) of each row, for messages about rows (e.g. duplicates). */
  readonly lines: Int32Array;
  /** The file path or the `source` name. */
  readonly source: string;
  /** sha256 (hex) of the bytes read, so a run can record exactly which data it used. */
  readonly sha256: string;
}

interface Row {
  readonly record: string[];
  readonly info: InfoRecord;
}

const MAX_LABEL = 2 ** 31 - 1;

/**
 * Reads and validates a CSV file. Throws `DataInputError` (a `LandscapeError`) with codes
 * ERR_FILE_NOT_FOUND, ERR_FILE_FORMAT, ERR_CSV_EMPTY, ERR_CSV_HEADER, ERR_CSV_PARSE,
 * ERR_CSV_VALUE, ERR_LABEL_RANGE, ERR_SINGLE_CLASS. Cost O(rows × columns); the whole file is
 * held in memory (fine up to a few hundred MB).
 *
 * ```ts
 * const data = readCsvFile('datasets/two_spirals_194.csv');          // label: last column
 * data.rows; data.featureNames;                                      // 194, ['x', 'y']
 * ```
 */
export function readCsvFile(path: string, options: Omit<CsvOptions, 'source'> = {}): CsvDataset {
  if (typeof path !== 'string' || path === '') throw new TypeError(expectedMessage('a file path', 'CSV path', path));
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new DataInputError(`Expected an existing CSV file for ${path} but received no such file`, 'ERR_FILE_NOT_FOUND', { file: path }, { cause: err });
    }
    if (code === 'EISDIR') {
      throw new DataInputError(`Expected a CSV file for ${path} but received a directory`, 'ERR_FILE_FORMAT', { file: path }, { cause: err });
    }
    throw err;
  }
  return parseCsv(bytes, { ...options, source: path });
}

/**
 * Parses and validates CSV text or bytes (bytes must be UTF-8). Same checks and errors as
 * `readCsvFile`; messages name `options.source`.
 *
 * ```ts
 * const d = parseCsv('x,y,label\n0.5,1,0\n-1,2,1\n', { source: 'inline' });
 * d.features;  // Float64Array [0.5, 1, -1, 2]
 * d.labels;    // Int32Array [0, 1]
 * ```
 */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): CsvDataset {
  const file = options.source ?? '<string>';
  let text: string;
  let sha256: string;
  if (typeof input === 'string') {
    text = checkCsvString(input, file);
    sha256 = createHash('sha256').update(input, 'utf8').digest('hex');
  } else if (input instanceof Uint8Array) {
    text = decodeCsvText(input, file);
    sha256 = createHash('sha256').update(input).digest('hex');
  } else {
    throw new TypeError(expectedMessage('a string or Uint8Array of CSV text', 'CSV input', input));
  }
  if (text.trim() === '') throw dataError('ERR_CSV_EMPTY', 'a header line and data rows', { file }, 'an empty file', 'CSV');

  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter === '' || /["\r\n]/.test(delimiter)) {
    throw new TypeError(expectedMessage('a non-empty delimiter without quotes or line breaks', 'delimiter', delimiter));
  }
  const all = tokenize(text, file, delimiter).filter((r) => !isBlank(r.record));
  const header = checkHeader(all[0], file);
  const labelIndex = resolveLabel(header, options.label, file);
  const featureIndices = resolveFeatures(header, labelIndex, options.features, file);

  const rows = all.slice(1);
  if (rows.length === 0) {
    throw dataError('ERR_CSV_EMPTY', 'at least one data row after the header', { file, line: all[0].info.lines }, 'a header without rows', 'CSV');
  }

  const f = featureIndices.length;
  const features = new Float64Array(rows.length * f);
  const lines = new Int32Array(rows.length);
  const rawLabels: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const { record, info } = rows[i];
    const line = info.lines;
    lines[i] = line;
    if (record.length !== header.length) {
      throw dataError('ERR_CSV_PARSE', `${header.length} fields (as in the header)`, { file, line }, `${record.length} field${record.length === 1 ? '' : 's'}`, 'a row');
    }
    for (let k = 0; k < f; k++) {
      const c = featureIndices[k];
      const parsed = parseNumericField(record[c]);
      if (typeof parsed !== 'number') throw valueError(parsed, record[c], { file, line, column: c + 1, field: header[c] });
      features[i * f + k] = parsed;
    }
    rawLabels[i] = record[labelIndex];
  }

  const labelLocation = (i: number): DataErrorLocation => ({ file, line: lines[i], column: labelIndex + 1, field: header[labelIndex] });
  const labelling = options.stringLabels ? stringLabels(rawLabels, labelLocation) : integerLabels(rawLabels, labelLocation);
  return {
    features,
    labels: labelling.labels,
    rows: rows.length,
    featureCount: f,
    classes: labelling.classNames.length,
    featureNames: featureIndices.map((c) => header[c]),
    labelName: header[labelIndex],
    classNames: labelling.classNames,
    ...(labelling.mapping ? { labelMapping: labelling.mapping } : {}),
    lines,
    source: file,
    sha256,
  };
}

const PARSE_OPTIONS = {
  info: true,
  // Column counts are checked here, to name the expected count and the row.
  relax_column_count: true,
  skip_empty_lines: true,
} as const;

function tokenize(text: string, file: string, delimiter: string): Row[] {
  try {
    return parse(text, { ...PARSE_OPTIONS, delimiter }) as unknown as Row[];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const e = err as CsvError & { lines?: number; column?: number; records?: number };
    const column = typeof e.column === 'number' ? e.column + 1 : undefined;
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      // csv-parse reports the end of input; the record with the open quote starts on the first
      // non-blank line after the last complete record (found by parsing only up to it).
      const done = (e.records ?? 0) > 0 ? (parse(text, { ...PARSE_OPTIONS, delimiter, to: e.records }) as unknown as Row[]) : [];
      const textLines = text.split('\n');
      let start = (done.at(-1)?.info.lines ?? 0) + 1;
      while (start < textLines.length && textLines[start - 1].trim() === '') start++;
      throw dataError('ERR_CSV_PARSE', 'a closing quote', { file, line: start, column }, 'a quoted field that is never closed (unterminated quote)', 'a quoted field');
    }
    if (e.code === 'INVALID_OPENING_QUOTE' || e.code === 'CSV_INVALID_CLOSING_QUOTE' || e.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') {
      throw dataError('ERR_CSV_PARSE', 'a quote only around a whole field', { file, line: e.lines, column }, `a stray quote (${e.message.split(':')[0]})`, 'a field');
    }
    throw dataError('ERR_CSV_PARSE', 'well-formed CSV', { file, line: e.lines }, `a parse error: ${e.message}`, 'the text');
  }
}

function isBlank(record: string[]): boolean {
  // skip_empty_lines drops truly empty lines; a line of spaces arrives as one blank field.
  return record.length === 1 && record[0].trim() === '';
}

function checkHeader(first: Row, file: string): string[] {
  const line = first.info.lines;
  const names = first.record.map((s) => s.trim());
  if (names.length > 0 && names.every((n) => typeof parseNumericField(n) === 'number')) {
    throw dataError('ERR_CSV_HEADER', 'a header line of column names', { file, line }, `a row of numbers (${quoteValue(first.record.join(','))}); add a header`, 'the first line');
  }
  if (names.length < 2) {
    throw dataError('ERR_CSV_HEADER', 'at least two columns (features and a label)', { file, line }, `${names.length} column (${quoteValue(names[0] ?? '')})`, 'the header');
  }
  const seen = new Map<string, number>();
  names.forEach((name, c) => {
    if (name === '') throw dataError('ERR_CSV_HEADER', 'a column name', { file, line, column: c + 1 }, 'an empty name', 'the header');
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw dataError('ERR_CSV_HEADER', 'unique column names', { file, line, column: c + 1, field: name }, `a duplicate of column ${previous + 1}`, 'the header');
    }
    seen.set(name, c);
  });
  return names;
}

function listNames(header: readonly string[]): string {
  const shown = header.slice(0, 12).map((n) => quoteValue(n)).join(', ');
  return header.length > 12 ? `${shown}, … (${header.length} columns)` : shown;
}

function resolveLabel(header: readonly string[], label: string | undefined, file: string): number {
  if (label === undefined) return header.length - 1;
  if (typeof label !== 'string') throw new TypeError(expectedMessage('a column name', 'label', label));
  const c = header.indexOf(label.trim());
  if (c < 0) {
    throw dataError('ERR_CSV_HEADER', `a label column named ${quoteValue(label)}`, { file, line: 1 }, `only the columns ${listNames(header)}`, 'the header');
  }
  return c;
}

function resolveFeatures(header: readonly string[], labelIndex: number, features: readonly string[] | undefined, file: string): number[] {
  if (features === undefined) return header.map((_, c) => c).filter((c) => c !== labelIndex);
  if (!Array.isArray(features) || features.length === 0) throw new TypeError(expectedMessage('a non-empty array of column names', 'features', features));
  const chosen: number[] = [];
  for (const name of features) {
    const c = typeof name === 'string' ? header.indexOf(name.trim()) : -1;
    if (c < 0) throw dataError('ERR_CSV_HEADER', `a feature column named ${quoteValue(String(name))}`, { file, line: 1 }, `only the columns ${listNames(header)}`, 'the header');
    if (c === labelIndex) throw dataError('ERR_CSV_HEADER', 'feature columns other than the label', { file, line: 1, column: c + 1, field: header[c] }, 'the label column among the features', 'the options');
    if (chosen.includes(c)) throw dataError('ERR_CSV_HEADER', 'each feature column once', { file, line: 1, column: c + 1, field: header[c] }, 'it twice in the features option', 'the options');
    chosen.push(c);
  }
  return chosen;
}

const PROBLEM_TEXT: Record<FieldProblem, (raw: string) => string> = {
  missing: (raw) => (raw.trim() === '' ? 'a missing value (empty field)' : `a missing value (${quoteValue(raw.trim())})`),
  nan: (raw) => `NaN (${quoteValue(raw.trim())})`,
  infinite: (raw) => `an infinite value (${quoteValue(raw.trim())})`,
  overflow: (raw) => `${quoteValue(raw.trim())}, which is out of float64 range`,
  'not-a-number': (raw) => `${quoteValue(raw)}, which is not a number`,
};

function valueError(problem: FieldProblem, raw: string, location: DataErrorLocation): DataInputError {
  return dataError('ERR_CSV_VALUE', 'a finite number', location, PROBLEM_TEXT[problem](raw));
}

interface Labelling {
  readonly labels: Int32Array;
  readonly classNames: string[];
  readonly mapping?: Record<string, number>;
}

function integerLabels(raw: readonly string[], at: (i: number) => DataErrorLocation): Labelling {
  const labels = new Int32Array(raw.length);
  const firstRow = new Map<number, number>();
  let max = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = parseNumericField(raw[i]);
    if (typeof v !== 'number') {
      if (v === 'not-a-number') {
        throw dataError('ERR_LABEL_RANGE', 'an integer class label 0..C−1', at(i), `${quoteValue(raw[i])} (use the string-labels option to map text labels to classes)`);
      }
      throw dataError('ERR_CSV_VALUE', 'an integer class label 0..C−1', at(i), PROBLEM_TEXT[v](raw[i]));
    }
    if (!Number.isInteger(v)) throw dataError('ERR_LABEL_RANGE', 'an integer class label 0..C−1', at(i), `a fractional label ${quoteValue(raw[i].trim())}`);
    if (v < 0) throw dataError('ERR_LABEL_RANGE', 'an integer class label 0..C−1', at(i), `a negative label ${quoteValue(raw[i].trim())}`);
    if (v > MAX_LABEL) throw dataError('ERR_LABEL_RANGE', 'an integer class label 0..C−1', at(i), `${quoteValue(raw[i].trim())}, which is too large`);
    labels[i] = v;
    if (!firstRow.has(v)) firstRow.set(v, i);
    if (v > max) max = v;
  }
  if (firstRow.size < 2) {
    const { file, field } = at(0);
    throw dataError('ERR_SINGLE_CLASS', 'at least two classes', { file, field }, `only class ${labels[0]} in all ${raw.length} rows`);
  }
  for (let k = 0; k <= max; k++) {
    if (!firstRow.has(k)) {
      // Name the first row whose label skips over the missing class.
      let i = 0;
      while (labels[i] <= k) i++;
      throw dataError('ERR_LABEL_RANGE', `labels 0..C−1 with every class present (class ${k} has no rows)`, at(i), `label ${labels[i]} (use the string-labels option to renumber classes)`);
    }
  }
  return { labels, classNames: Array.from({ length: max + 1 }, (_, k) => String(k)) };
}

function stringLabels(raw: readonly string[], at: (i: number) => DataErrorLocation): Labelling {
  const names = raw.map((s) => s.trim());
  names.forEach((name, i) => {
    if (name === '') throw dataError('ERR_CSV_VALUE', 'a class label', at(i), 'a missing value (empty field)');
  });
  // Code-unit order, not locale order: the mapping must not depend on the machine's locale.
  const classNames = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (classNames.length < 2) {
    const { file, field } = at(0);
    throw dataError('ERR_SINGLE_CLASS', 'at least two classes', { file, field }, `only ${quoteValue(classNames[0])} in all ${raw.length} rows`);
  }
  const mapping: Record<string, number> = Object.create(null) as Record<string, number>;
  classNames.forEach((name, k) => (mapping[name] = k));
  const labels = Int32Array.from(names, (name) => mapping[name]);
  return { labels, classNames, mapping: { ...mapping } };
}

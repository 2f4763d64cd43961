// SPDX-License-Identifier: MIT
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LandscapeError, type LandscapeErrorCode } from '@lossscape/numeric';
import { describe, expect, it } from 'vitest';
import { parseCsv, readCsvFile } from './csv.js';
import { DataInputError } from './errors.js';
import { tempDir } from './test-utils/temp-files.js';

const tmp = tempDir('csv');

function caught(f: () => unknown): DataInputError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(DataInputError);
    expect(err).toBeInstanceOf(LandscapeError);
    return err as DataInputError;
  }
  throw new Error('expected an error');
}

describe('parseCsv: accepted input', () => {
  it('reads numeric features and integer labels, default label the last column', () => {
    const d = parseCsv('x,y,label\n0.5,1,0\n-1,2e-3,1\n+3,.25,1\n');
    expect(Array.from(d.features)).toEqual([0.5, 1, -1, 0.002, 3, 0.25]);
    expect(Array.from(d.labels)).toEqual([0, 1, 1]);
    expect(d).toMatchObject({ rows: 3, featureCount: 2, classes: 2, featureNames: ['x', 'y'], labelName: 'label', classNames: ['0', '1'], source: '<string>' });
    expect(d.labelMapping).toBeUndefined();
    expect(Array.from(d.lines)).toEqual([2, 3, 4]);
  });

  it('accepts CRLF, blank and whitespace-only lines, a UTF-8 byte-order mark, quoted numbers and spaces around values', () => {
    const text = '\uFEFFa, b ,label\r\n\r\n1, 2 ,0\r\n   \r\n"3","4",1\r\n\r\n';
    const d = parseCsv(Buffer.from(text, 'utf8'));
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(Array.from(d.features)).toEqual([1, 2, 3, 4]);
    expect(Array.from(d.labels)).toEqual([0, 1]);
    expect(Array.from(d.lines)).toEqual([3, 5]);
    // Blank lines before the header too.
    const late = parseCsv('\n  \n\ta,label\n1,0\n2,1\n');
    expect(late.featureNames).toEqual(['a']);
    expect(Array.from(late.lines)).toEqual([4, 5]);
  });

  it('gives the same data for a string, its UTF-8 bytes and the file', () => {
    const text = 'p,q,r,cls\n1,2,3,1\n4,5,6,0\n7,8,9,2\n';
    const file = tmp.write('same.csv', text);
    const a = parseCsv(text);
    const b = parseCsv(new TextEncoder().encode(text));
    const c = readCsvFile(file);
    for (const d of [b, c]) {
      expect(Array.from(d.features)).toEqual(Array.from(a.features));
      expect(Array.from(d.labels)).toEqual(Array.from(a.labels));
      expect(d.sha256).toBe(a.sha256);
    }
    expect(c.source).toBe(file);
    expect(a.classes).toBe(3);
  });

  it('takes the label column by name and features by name, in the order asked', () => {
    const text = 'id,Class,v1,v2\n10,1,0.1,0.2\n11,0,0.3,0.4\n';
    const d = parseCsv(text, { label: 'Class' });
    expect(d.featureNames).toEqual(['id', 'v1', 'v2']);
    expect(Array.from(d.features)).toEqual([10, 0.1, 0.2, 11, 0.3, 0.4]);
    expect(Array.from(d.labels)).toEqual([1, 0]);
    const picked = parseCsv(text, { label: 'Class', features: ['v2', 'v1'] });
    expect(picked.featureNames).toEqual(['v2', 'v1']);
    expect(Array.from(picked.features)).toEqual([0.2, 0.1, 0.4, 0.3]);
  });

  it('accepts integral labels written as decimals (1.0) and other delimiters', () => {
    const d = parseCsv('a;b;label\n1.5;2;1.0\n2;-0;0\n', { delimiter: ';' });
    expect(Array.from(d.features)).toEqual([1.5, 2, 2, -0]);
    expect(Array.from(d.labels)).toEqual([1, 0]);
    // The delimiter splits fields; it does not make ',' a decimal mark.
    expect(caught(() => parseCsv('a;label\n1,5;1\n2;0\n', { delimiter: ';' })).message).toMatch(/'1,5', which is not a number/);
  });

  it('maps string labels to classes in sorted (code-unit) order and reports the mapping', () => {
    const d = parseCsv('a,kind\n1,setosa\n2,virginica\n3,versicolor\n4,setosa\n', { stringLabels: true });
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.labelMapping).toEqual({ setosa: 0, versicolor: 1, virginica: 2 });
    expect(Array.from(d.labels)).toEqual([0, 2, 1, 0]);
    expect(JSON.parse(JSON.stringify(d.labelMapping))).toEqual(d.labelMapping);
    const numeric = parseCsv('a,kind\n1,10\n2,2\n', { stringLabels: true });
    expect(numeric.classNames).toEqual(['10', '2']);
  });
});

interface BadCase {
  readonly name: string;
  readonly content: string | Uint8Array;
  readonly options?: Parameters<typeof readCsvFile>[1];
  readonly code: LandscapeErrorCode;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
  readonly message: RegExp;
}

const utf16le = (s: string, bom: boolean): Uint8Array => {
  const body = Buffer.from(s, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
};

const BAD: readonly BadCase[] = [
  { name: 'missing value', content: 'a,b,label\n1,2,0\n3,,1\n', code: 'ERR_CSV_VALUE', line: 3, column: 2, field: 'b', message: /missing value \(empty field\)/ },
  { name: 'missing value token NA', content: 'a,b,label\n1,NA,0\n3,4,1\n', code: 'ERR_CSV_VALUE', line: 2, column: 2, message: /missing value \('NA'\)/ },
  { name: 'non-numeric value', content: 'a,b,label\n1,2,0\nabc,4,1\n', code: 'ERR_CSV_VALUE', line: 3, column: 1, field: 'a', message: /'abc', which is not a number/ },
  { name: 'hexadecimal is not a decimal number', content: 'a,b,label\n0x1F,2,0\n3,4,1\n', code: 'ERR_CSV_VALUE', line: 2, column: 1, message: /not a number/ },
  { name: 'NaN', content: 'a,b,label\n1,2,0\n3,NaN,1\n', code: 'ERR_CSV_VALUE', line: 3, column: 2, message: /NaN/ },
  { name: 'infinite value', content: 'a,b,label\n1,-Infinity,0\n3,4,1\n', code: 'ERR_CSV_VALUE', line: 2, column: 2, message: /infinite value/ },
  { name: 'out of float64 range', content: 'a,b,label\n1,2,0\n1e999,4,1\n', code: 'ERR_CSV_VALUE', line: 3, column: 1, message: /'1e999', which is out of float64 range/ },
  { name: 'negative label', content: 'a,label\n1,0\n2,-1\n3,1\n', code: 'ERR_LABEL_RANGE', line: 3, column: 2, field: 'label', message: /negative label '-1'/ },
  { name: 'fractional label', content: 'a,label\n1,0\n2,0.5\n3,1\n', code: 'ERR_LABEL_RANGE', line: 3, column: 2, message: /fractional label '0.5'/ },
  { name: 'text label without the string-labels option', content: 'a,label\n1,yes\n2,no\n', code: 'ERR_LABEL_RANGE', line: 2, column: 2, message: /'yes' \(use the string-labels option/ },
  { name: 'a class missing between labels', content: 'a,label\n1,0\n2,0\n3,2\n', code: 'ERR_LABEL_RANGE', line: 4, column: 2, message: /class 1 has no rows/ },
  { name: 'missing label', content: 'a,label\n1,0\n2,\n3,1\n', code: 'ERR_CSV_VALUE', line: 3, column: 2, message: /missing value/ },
  { name: 'empty string label', content: 'a,label\n1,x\n2, \n', options: { stringLabels: true }, code: 'ERR_CSV_VALUE', line: 3, column: 2, message: /missing value/ },
  { name: 'too few fields', content: 'a,b,label\n1,2,0\n3,1\n', code: 'ERR_CSV_PARSE', line: 3, message: /Expected 3 fields \(as in the header\) for a row at .* line 3 but received 2 fields/ },
  { name: 'too many fields', content: 'a,b,label\r\n1,2,0\r\n3,4,1,9\r\n', code: 'ERR_CSV_PARSE', line: 3, message: /received 4 fields/ },
  { name: 'duplicate column name', content: 'a,b,a,label\n1,2,3,0\n4,5,6,1\n', code: 'ERR_CSV_HEADER', line: 1, column: 3, field: 'a', message: /unique column names .* duplicate of column 1/ },
  { name: 'empty column name', content: 'a,,label\n1,2,0\n3,4,1\n', code: 'ERR_CSV_HEADER', line: 1, column: 2, message: /empty name/ },
  { name: 'unknown label column', content: 'a,b,label\n1,2,0\n3,4,1\n', options: { label: 'Class' }, code: 'ERR_CSV_HEADER', line: 1, message: /label column named 'Class' .* only the columns 'a', 'b', 'label'/ },
  { name: 'unknown feature column', content: 'a,b,label\n1,2,0\n3,4,1\n', options: { features: ['a', 'z'] }, code: 'ERR_CSV_HEADER', line: 1, message: /feature column named 'z'/ },
  { name: 'the label among the features', content: 'a,b,label\n1,2,0\n3,4,1\n', options: { features: ['a', 'label'] }, code: 'ERR_CSV_HEADER', line: 1, column: 3, field: 'label', message: /other than the label/ },
  { name: 'unterminated quote', content: 'a,b,label\n1,2,0\n\n3,"4,1\n5,6,0\n', code: 'ERR_CSV_PARSE', line: 4, column: 2, message: /never closed \(unterminated quote\)/ },
  { name: 'stray quote inside a field', content: 'a,b,label\n1,2,0\n3,4"x,1\n', code: 'ERR_CSV_PARSE', line: 3, column: 2, message: /stray quote/ },
  { name: 'binary data (NUL bytes)', content: Uint8Array.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x00, 0x32, 0x0a]), code: 'ERR_FILE_FORMAT', line: 2, column: 2, message: /binary data \(a NUL byte at byte offset 5\)/ },
  { name: 'a gzip file', content: Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48]), code: 'ERR_FILE_FORMAT', line: 1, message: /NUL byte/ },
  { name: 'invalid UTF-8 (a Latin-1 é)', content: Buffer.concat([Buffer.from('name,v,label\nok,1,0\ncaf'), Buffer.from([0xe9]), Buffer.from(',2,1\n')]), code: 'ERR_FILE_FORMAT', line: 3, column: 4, message: /invalid UTF-8 \(bytes E9 2C 32 2C at byte offset 23\)/ },
  { name: 'UTF-16LE with a byte-order mark', content: utf16le('a,label\n1,0\n2,1\n', true), code: 'ERR_FILE_FORMAT', line: 1, message: /UTF-16LE text \(byte-order mark FF FE\)/ },
  { name: 'UTF-16LE without a byte-order mark', content: utf16le('a,label\n1,0\n2,1\n', false), code: 'ERR_FILE_FORMAT', line: 1, column: 2, message: /UTF-16 text or binary data/ },
  { name: 'a single class', content: 'a,label\n1,1\n2,1\n3,1\n', code: 'ERR_SINGLE_CLASS', field: 'label', message: /at least two classes .* only class 1 in all 3 rows/ },
  { name: 'a single string class', content: 'a,label\n1,yes\n2,yes\n', options: { stringLabels: true }, code: 'ERR_SINGLE_CLASS', message: /only 'yes' in all 2 rows/ },
  { name: 'an empty file', content: '', code: 'ERR_CSV_EMPTY', message: /an empty file/ },
  { name: 'a file of blank lines', content: '\n  \r\n\n', code: 'ERR_CSV_EMPTY', message: /an empty file/ },
  { name: 'a header without rows', content: 'a,b,label\n\n\n', code: 'ERR_CSV_EMPTY', line: 1, message: /at least one data row .* a header without rows/ },
  { name: 'no header (numbers on the first line)', content: '1,2,0\n3,4,1\n', code: 'ERR_CSV_HEADER', line: 1, message: /header line of column names .* a row of numbers/ },
  { name: 'a single column', content: 'label\n0\n1\n', code: 'ERR_CSV_HEADER', line: 1, message: /at least two columns/ },
];

describe('readCsvFile: every malformed file gives one coded, located, one-line error', () => {
  it.each(BAD)('$name', (c) => {
    const file = tmp.write(`${c.name.replace(/[^a-z0-9]+/gi, '-')}.csv`, c.content);
    const err = caught(() => readCsvFile(file, c.options));
    expect(err.code).toBe(c.code);
    expect(err.file).toBe(file);
    expect(err.line).toBe(c.line);
    if (c.column !== undefined) expect(err.column).toBe(c.column);
    if (c.field !== undefined) expect(err.field).toBe(c.field);
    expect(err.message).toMatch(c.message);
    expect(err.message).toMatch(/^Expected .+ but received .+/);
    expect(err.message).not.toMatch(/[\n\r]/);
    expect(err.message).toContain(file);
    if (c.line !== undefined) expect(err.message).toContain(`line ${c.line}`);
    if (c.column !== undefined) expect(err.message).toContain(`column ${c.column}`);
  });

  it('names a missing file and a directory', () => {
    const missing = path.join(tmp.dir, 'nope.csv');
    const e1 = caught(() => readCsvFile(missing));
    expect(e1.code).toBe('ERR_FILE_NOT_FOUND');
    expect(e1.file).toBe(missing);
    expect(e1.message).toBe(`Expected an existing CSV file for ${missing} but received no such file`);
    const dir = path.join(tmp.dir, 'a-folder.csv');
    mkdirSync(dir);
    const e2 = caught(() => readCsvFile(dir));
    expect(e2.code).toBe('ERR_FILE_FORMAT');
    expect(e2.message).toMatch(/received a directory/);
  });

  it('names `source` for text input and escapes control characters in quoted values', () => {
    const err = caught(() => parseCsv('a,label\n"x\ty",0\n2,1\n', { source: 'pasted' }));
    expect(err.file).toBe('pasted');
    expect(err.message).toContain("'x\\ty'");
    expect(caught(() => parseCsv('a,label\n1\u0000,0\n', { source: 'pasted' })).code).toBe('ERR_FILE_FORMAT');
  });

  it('rejects a wrong input type with a TypeError', () => {
    expect(() => parseCsv(42 as unknown as string)).toThrow(TypeError);
    expect(() => readCsvFile('')).toThrow(TypeError);
    expect(() => parseCsv('a,label\n1,0\n', { delimiter: '' })).toThrow(/Expected a non-empty delimiter/);
  });
});

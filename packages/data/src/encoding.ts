// SPDX-License-Identifier: MIT
/**
 * Text checks before CSV parsing: a CSV must be UTF-8 (an optional UTF-8 byte-order mark is
 * fine). Binary files, UTF-16 and invalid UTF-8 are refused with ERR_FILE_FORMAT naming the line
 * and column of the first offending byte, instead of turning into a confusing parse error later.
 */
import { isUtf8 } from 'node:buffer';
import { dataError } from './errors.js';

const LF = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** 1-based line of byte `offset`, and the 1-based character column within that line. */
function locateByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === LF) {
      line++;
      lineStart = i + 1;
    }
  }
  // Characters, not bytes: the prefix of the line up to the offset is valid UTF-8 here.
  const column = decoder.decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, column };
}

function hex(bytes: Uint8Array, offset: number, count: number): string {
  return Array.from(bytes.subarray(offset, offset + count), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/**
 * Decodes `bytes` as UTF-8 text for the CSV parser, or throws ERR_FILE_FORMAT for a binary,
 * UTF-16 or wrongly encoded file. Cost O(n); the slow search for the exact spot runs only on
 * the failure path.
 */
export function decodeCsvText(bytes: Uint8Array, file: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const which = bytes[0] === 0xff ? 'UTF-16LE' : 'UTF-16BE';
    throw dataError('ERR_FILE_FORMAT', 'a UTF-8 text file', { file, line: 1, column: 1 }, `${which} text (byte-order mark ${hex(bytes, 0, 2)}); save it as UTF-8`, 'CSV');
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    // ASCII text in UTF-16 without a byte-order mark has a NUL beside nearly every character.
    const sample = bytes.subarray(0, Math.min(bytes.length, 4096));
    let nuls = 0;
    for (const b of sample) if (b === 0) nuls++;
    const kind = nuls >= sample.length / 4 ? 'UTF-16 text or binary data' : 'binary data';
    const at = locateByte(bytes, nul);
    throw dataError('ERR_FILE_FORMAT', 'a UTF-8 text file', { file, ...at }, `${kind} (a NUL byte at byte offset ${nul})`, 'CSV');
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    const at = locateByte(bytes, offset);
    throw dataError('ERR_FILE_FORMAT', 'a UTF-8 text file', { file, ...at }, `invalid UTF-8 (bytes ${hex(bytes, offset, 4)} at byte offset ${offset}); save it as UTF-8`, 'CSV');
  }
  let text = decoder.decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Checks text given as a string (NUL characters mean binary data pasted as text). */
export function checkCsvString(text: string, file: string): string {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const before = text.slice(0, nul);
    const line = before.split('\n').length;
    const column = nul - (before.lastIndexOf('\n') + 1) + 1;
    throw dataError('ERR_FILE_FORMAT', 'CSV text', { file, line, column }, `binary data (a NUL character at offset ${nul})`, 'CSV');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Byte offset of the first invalid UTF-8 sequence. LF (0x0A) never occurs inside a multi-byte
 * sequence, so lines can be checked one by one; within the bad line, the longest valid prefix
 * ends where the first bad sequence starts.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(LF, start);
    if (end < 0) end = bytes.length;
    const line = bytes.subarray(start, end);
    if (!isUtf8(line)) {
      let valid = 0;
      for (let k = 1; k <= line.length; k++) if (isUtf8(line.subarray(0, k))) valid = k;
      return start + valid;
    }
    start = end + 1;
  }
  return bytes.length;
}

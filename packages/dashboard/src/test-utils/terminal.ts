// SPDX-License-Identifier: MIT
/** Test helpers for reading Ink frames as plain text and for fake terminals. */
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';

/** The frame as plain text (colours and cursor codes stripped). */
export function plain(frame: string | undefined): string {
  return stripVTControlCharacters(frame ?? '');
}

/** Lines of a frame, trailing spaces removed. */
export function linesOf(frame: string | undefined): string[] {
  return plain(frame)
    .split('\n')
    .map((l) => l.trimEnd());
}

/** The widest line of a frame, in characters (code points). */
export function widestLine(frame: string | undefined): number {
  return Math.max(0, ...linesOf(frame).map((l) => [...l].length));
}

/** A writable TTY-like stream with a settable size; records every write. */
export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;
  readonly writes: string[] = [];
  constructor(columns = 100, rows = 30) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (chunk: string): boolean => {
    this.writes.push(chunk);
    return true;
  };
  /** Everything written so far, as plain text. */
  text(): string {
    return plain(this.writes.join(''));
  }
  resize(columns: number, rows = this.rows): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** A readable TTY-like stream that Ink can put in raw mode; `type(s)` sends keys. */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private pending: string | null = null;
  type(data: string): void {
    this.pending = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const data = this.pending;
    this.pending = null;
    return data;
  };
  setEncoding(): this {
    return this;
  }
  setRawMode(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

// SPDX-License-Identifier: MIT
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

const DEFAULT_SIZE: TerminalSize = { columns: 80, rows: 24 };
/** Erase the visible screen and move the cursor home. */
const CLEAR_SCREEN = '\u001B[2J\u001B[H';

function sizeOf(stdout: { readonly columns?: number; readonly rows?: number }): TerminalSize {
  return { columns: stdout.columns || DEFAULT_SIZE.columns, rows: stdout.rows || DEFAULT_SIZE.rows };
}

/**
 * Columns and rows of Ink's stdout, updated on its 'resize' event (a pipe has no size: 80×24).
 * Ink itself re-lays out on resize, but components that choose columns and labels by width need
 * the number as state. On a TTY that gets narrower, the screen is cleared first (see below).
 */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => sizeOf(stdout));
  useEffect(() => {
    let columns = sizeOf(stdout).columns;
    const onResize = (): void => {
      const next = sizeOf(stdout);
      // Terminals such as tmux reflow the frame already on screen when they get narrower, so it
      // takes more lines than Ink knows to erase; clear the screen (not the scrollback) first.
      if (next.columns < columns && stdout.isTTY) stdout.write(CLEAR_SCREEN);
      columns = next.columns;
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

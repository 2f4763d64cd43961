// SPDX-License-Identifier: MIT
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

const DEFAULT_SIZE: TerminalSize = { columns: 80, rows: 24 };

function sizeOf(stdout: { readonly columns?: number; readonly rows?: number }): TerminalSize {
  return { columns: stdout.columns || DEFAULT_SIZE.columns, rows: stdout.rows || DEFAULT_SIZE.rows };
}

/**
 * Columns and rows of Ink's stdout, updated on its 'resize' event (a pipe has no size: 80×24).
 * Ink itself re-lays out on resize, but components that choose columns and labels by width need
 * the number as state.
 */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = (): void => {
      const next = sizeOf(stdout);
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

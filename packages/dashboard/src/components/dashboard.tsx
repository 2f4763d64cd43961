// SPDX-License-Identifier: MIT
import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import { Box, useInput, useStdin } from 'ink';
import { createFrameSelector } from '../frame.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { Lines } from '../lines.js';
import type { DashboardStore } from '../store.js';
import { DASHBOARD_VIEWS, type DashboardView } from './key-bar.js';

export interface DashboardProps {
  /** Where the state comes from (see `createDashboardStore`); the component never reduces events itself. */
  readonly store: DashboardStore;
  /** Called on `p` while running; without it (and onResume) `p` does nothing (read-only watch). */
  readonly onPause?: () => void;
  readonly onResume?: () => void;
  /** Called on every `q` (and ctrl+c); the caller stops the run and unmounts. */
  readonly onQuit?: () => void;
  readonly initialView?: DashboardView;
}

/**
 * The whole dashboard: header, the current view (1 overview, 2 minima, 3 graph) or the help,
 * and the key bar. Width and height follow the terminal (resizes included); below 60 columns
 * the views drop columns and shorten labels. React re-renders only when the drawn text changes
 * (see `createFrameSelector`), at most once per store frame interval.
 */
export function Dashboard({ store, onPause, onResume, onQuit, initialView = 'overview' }: DashboardProps) {
  const { columns, rows } = useTerminalSize();
  const { isRawModeSupported } = useStdin();
  const [view, setView] = useState<DashboardView>(initialView);
  const [help, setHelp] = useState(false);
  const canPause = onPause !== undefined;

  const select = useMemo(() => createFrameSelector(), []);
  const getFrame = useCallback(() => select(store.getSnapshot(), { view, help, canPause, columns, rows }), [select, store, view, help, canPause, columns, rows]);
  const frame = useSyncExternalStore(store.subscribe, getFrame, getFrame);

  const togglePause = useCallback(() => {
    const now = store.getState();
    if (now.finished || now.sourceEnded || now.quitting) return;
    if (now.paused) onResume?.();
    else onPause?.();
    store.dispatch({ type: 'dashboard-paused', paused: !now.paused });
    store.flush();
  }, [store, onPause, onResume]);

  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) {
        store.dispatch({ type: 'dashboard-quitting' });
        store.flush();
        onQuit?.();
      } else if (input === '?') setHelp((h) => !h);
      else if (key.escape) setHelp(false);
      else if (input === 'p' && canPause) togglePause();
      else if (input >= '1' && input <= String(DASHBOARD_VIEWS.length)) {
        setView(DASHBOARD_VIEWS[Number(input) - 1]);
        setHelp(false);
      } else if (key.tab) {
        const step = key.shift ? DASHBOARD_VIEWS.length - 1 : 1;
        setView((v) => DASHBOARD_VIEWS[(DASHBOARD_VIEWS.indexOf(v) + step) % DASHBOARD_VIEWS.length]);
        setHelp(false);
      }
    },
    { isActive: isRawModeSupported },
  );

  // Clipped to the terminal: on a shrinking resize Ink redraws the old tree once at the new width
  // before React hears of it; unclipped, its wider lines would wrap in the terminal and leave
  // stale lines behind that Ink does not know to erase.
  return (
    <Box width="100%" overflow="hidden">
      <Lines lines={frame.lines} width={frame.width} />
    </Box>
  );
}

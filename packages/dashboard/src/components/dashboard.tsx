// SPDX-License-Identifier: MIT
import { useCallback, useState } from 'react';
import { Box, useInput, useStdin } from 'ink';
import { runStatus } from '../derive.js';
import { useDashboardState } from '../hooks/use-dashboard-state.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import type { DashboardStore } from '../store.js';
import { NARROW_COLUMNS } from '../table.js';
import { Header } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import { DASHBOARD_VIEWS, KeyBar, type DashboardView } from './key-bar.js';
import { GraphView, MinimaView, OverviewView } from './views.js';

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
 * the views drop columns and shorten labels.
 */
export function Dashboard({ store, onPause, onResume, onQuit, initialView = 'overview' }: DashboardProps) {
  const state = useDashboardState(store);
  const { columns, rows } = useTerminalSize();
  const { isRawModeSupported } = useStdin();
  const [view, setView] = useState<DashboardView>(initialView);
  const [help, setHelp] = useState(false);
  const canPause = onPause !== undefined;

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

  const width = Math.max(10, columns);
  const headerRows = width < NARROW_COLUMNS ? 3 : 2;
  // One line short of the terminal: a frame as tall as the terminal makes Ink clear the screen each time.
  const bodyRows = Math.max(4, rows - headerRows - 2);
  const View = view === 'overview' ? OverviewView : view === 'minima' ? MinimaView : GraphView;
  return (
    <Box flexDirection="column" width={width}>
      <Header run={state.run} status={runStatus(state)} elapsedMs={state.elapsedMs} width={width} />
      {help ? <HelpOverlay canPause={canPause} width={width} /> : <View state={state} width={width} rows={bodyRows} />}
      <KeyBar view={view} canPause={canPause} paused={state.paused} width={width} />
    </Box>
  );
}

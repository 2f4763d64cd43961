// SPDX-License-Identifier: MIT
import { useMemo } from 'react';
import { Box, Text } from 'ink';
import { discoveryValues, progressOf } from '../derive.js';
import { formatCount, formatDuration, truncate } from '../format.js';
import type { DashboardState } from '../state.js';
import { NARROW_COLUMNS } from '../table.js';
import { ChainTable } from './chain-table.js';
import { DisconnectivityGraph } from './disconnectivity-graph.js';
import { EnergyHistogram } from './energy-histogram.js';
import { LatestMinima, MinimaList } from './minima-list.js';
import { ProgressBar } from './progress-bar.js';
import { Sparkline } from './sparkline.js';
import { Summary } from './summary.js';
import { Warnings } from './warnings.js';

export interface ViewProps {
  readonly state: DashboardState;
  readonly width: number;
  /** Lines available for the view. */
  readonly rows: number;
}

function progressLabel(state: DashboardState, narrow: boolean): string {
  const p = progressOf(state);
  const steps = Number.isFinite(p.stepBudget) ? `${formatCount(p.stepsDone, narrow)}/${formatCount(p.stepBudget, narrow)} steps` : `${formatCount(p.stepsDone, narrow)} steps`;
  return p.limitedBy === 'time' && !narrow ? `${steps} · ${formatDuration(state.elapsedMs)}/${formatDuration(state.timeBudgetMs)}` : steps;
}

/** View 1: progress, ETA, rate, minima over time, latest minima, chains, warnings. */
export function OverviewView({ state, width, rows }: ViewProps) {
  const narrow = width < NARROW_COLUMNS;
  const p = progressOf(state);
  const warningRows = state.warningCount > 0 ? Math.min(narrow ? 2 : 4, state.warnings.length + 1) : 0;
  const chainRows = Math.min(state.chains.length + 1, Math.max(2, rows - 6 - warningRows));
  return (
    <Box flexDirection="column">
      <ProgressBar fraction={p.fraction} etaMs={p.etaMs} label={progressLabel(state, narrow)} width={width} />
      <Summary state={state} width={width} />
      <Sparkline values={discoveryValues(state)} label={narrow ? 'min' : 'minima over time'} width={width} />
      <LatestMinima minima={state.latestMinima} width={width} rows={1} />
      <ChainTable chains={state.chains} width={width} rows={chainRows} />
      <Warnings warnings={state.warnings} total={state.warningCount} width={width} rows={warningRows} />
    </Box>
  );
}

/** View 2: the lowest minima with their properties, and the latest new ones. */
export function MinimaView({ state, width, rows }: ViewProps) {
  const kept = state.lowestMinima.length;
  const title = width < NARROW_COLUMNS ? `Lowest ${kept} of ${formatCount(state.distinctMinima, true)}` : `Lowest minima (${kept} kept of ${formatCount(state.distinctMinima)} distinct)`;
  return (
    <Box flexDirection="column">
      <MinimaList minima={state.lowestMinima} title={title} width={width} rows={Math.max(3, rows - 2)} />
      <LatestMinima minima={state.latestMinima} width={width} rows={2} />
    </Box>
  );
}

/** View 3: disconnectivity graph once transition states exist, else an energy histogram. */
export function GraphView({ state, width, rows }: ViewProps) {
  const narrow = width < NARROW_COLUMNS;
  const n = state.lowestMinima.length;
  const ts = state.lowestTransitionStates.length;
  const energies = useMemo(() => state.lowestMinima.map((m) => m.energy), [state.lowestMinima]);
  if (ts > 0) {
    const title = narrow ? `Graph: ${n} minima, ${ts} TS` : `Disconnectivity graph of the lowest ${n} minima (${ts} transition states kept)`;
    return (
      <Box flexDirection="column">
        <Text bold>{truncate(title, width)}</Text>
        <DisconnectivityGraph minima={state.lowestMinima} transitionStates={state.lowestTransitionStates} width={width} rows={Math.max(4, rows - 1)} />
      </Box>
    );
  }
  const title = narrow ? `Energies of lowest ${n} minima` : `Energy histogram of the lowest ${n} minima (no transition states yet)`;
  return (
    <Box flexDirection="column">
      <Text bold>{truncate(title, width)}</Text>
      <EnergyHistogram energies={energies} width={width} rows={Math.max(1, rows - 1)} />
    </Box>
  );
}

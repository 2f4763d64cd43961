// SPDX-License-Identifier: MIT
import { discoveryValues, progressOf } from '../derive.js';
import { formatCount, formatDuration } from '../format.js';
import { Lines, type StyledLine } from '../lines.js';
import type { DashboardState, MinimumView, TransitionStateView } from '../state.js';
import { NARROW_COLUMNS } from '../table.js';
import { chainTableLines } from './chain-table.js';
import { disconnectivityText } from './disconnectivity-graph.js';
import { energyHistogramLines } from './energy-histogram.js';
import { latestMinimaLines, minimaListLines } from './minima-list.js';
import { progressLine } from './progress-bar.js';
import { sparklineLine } from './sparkline.js';
import { summaryLines } from './summary.js';
import { warningLines } from './warnings.js';

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
export function overviewLines({ state, width, rows }: ViewProps): StyledLine[] {
  const narrow = width < NARROW_COLUMNS;
  const p = progressOf(state);
  const warningRows = state.warningCount > 0 ? Math.min(narrow ? 2 : 4, state.warnings.length + 1) : 0;
  const chainRows = Math.min(state.chains.length + 1, Math.max(2, rows - 6 - warningRows));
  return [
    progressLine({ fraction: p.fraction, etaMs: p.etaMs, label: progressLabel(state, narrow), width }),
    ...summaryLines({ state, width }),
    sparklineLine({ values: discoveryValues(state), label: narrow ? 'min' : 'minima over time', width }),
    ...latestMinimaLines({ minima: state.latestMinima, width, rows: 1 }),
    ...chainTableLines({ chains: state.chains, width, rows: chainRows }),
    ...warningLines({ warnings: state.warnings, total: state.warningCount, width, rows: warningRows }),
  ];
}

/** View 2: the lowest minima with their properties, and the latest new ones. */
export function minimaViewLines({ state, width, rows }: ViewProps): StyledLine[] {
  const kept = state.lowestMinima.length;
  const title = width < NARROW_COLUMNS ? `Lowest ${kept} of ${formatCount(state.distinctMinima, true)}` : `Lowest minima (${kept} kept of ${formatCount(state.distinctMinima)} distinct)`;
  return [
    ...minimaListLines({ minima: state.lowestMinima, title, width, rows: Math.max(3, rows - 2) }),
    ...latestMinimaLines({ minima: state.latestMinima, width, rows: 2 }),
  ];
}

/**
 * The graph body (disconnectivity text or histogram) for given inputs. Separate so that callers
 * can cache it: it changes only when the kept minima or transition states change.
 */
export function graphBodyLines(minima: readonly MinimumView[], transitionStates: readonly TransitionStateView[], width: number, rows: number): StyledLine[] {
  if (transitionStates.length > 0) return disconnectivityText(minima, transitionStates, width, Math.max(4, rows)).split('\n');
  return energyHistogramLines({ energies: minima.map((m) => m.energy), width, rows: Math.max(1, rows) });
}

/** View 3: disconnectivity graph once transition states exist, else an energy histogram. */
export function graphViewLines({ state, width, rows }: ViewProps, body = graphBodyLines): StyledLine[] {
  const narrow = width < NARROW_COLUMNS;
  const n = state.lowestMinima.length;
  const ts = state.lowestTransitionStates.length;
  const title =
    ts > 0
      ? narrow
        ? `Graph: ${n} minima, ${ts} TS`
        : `Disconnectivity graph of the lowest ${n} minima (${ts} transition states kept)`
      : narrow
        ? `Energies of lowest ${n} minima`
        : `Energy histogram of the lowest ${n} minima (no transition states yet)`;
  return [[{ text: title, bold: true }], ...body(state.lowestMinima, state.lowestTransitionStates, width, rows - 1)];
}

export function OverviewView(props: ViewProps) {
  return <Lines lines={overviewLines(props)} width={props.width} />;
}

export function MinimaView(props: ViewProps) {
  return <Lines lines={minimaViewLines(props)} width={props.width} />;
}

export function GraphView(props: ViewProps) {
  return <Lines lines={graphViewLines(props)} width={props.width} />;
}

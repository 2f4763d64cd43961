// SPDX-License-Identifier: MIT
export {
  initialDashboard,
  reduceDashboard,
  reduceDashboardMany,
  isSamplerEvent,
  requireRunInfo,
  DASHBOARD_LIMITS,
  type RunInfo,
  type RunBudget,
  type DashboardState,
  type DashboardAction,
  type DashboardControlEvent,
  type ChainView,
  type MinimumView,
  type TransitionStateView,
  type WarningView,
  type RateSample,
} from './state.js';
export type { DecimatedSeries } from './bounded.js';
export { quenchRate, progressOf, stepBudgetOf, meanTestAuc, runStatus, discoveryValues, type Progress, type RunStatus } from './derive.js';
export { createDashboardStore, type DashboardStore, type DashboardStoreOptions, type DashboardStats } from './store.js';
export { formatLogLine, formatRunInfoLine, formatSummaryLine, type LogLineOptions } from './line-log.js';
export { isInteractiveTerminal } from './terminal.js';
export {
  formatDuration,
  formatEnergy,
  formatAuc,
  formatRatio,
  formatRate,
  formatCount,
  truncate,
  sparkline,
  progressBarText,
} from './format.js';
export { energyHistogram, type Histogram } from './histogram.js';
export { fitColumns, tableLines, packItems, NARROW_COLUMNS, type Column } from './table.js';
export { Lines, ColorContext, plainText, fitLine, toAnsi, type LinesProps, type Span, type SpanColor, type StyledLine } from './lines.js';
export { useDashboardState } from './hooks/use-dashboard-state.js';
export { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
export { Dashboard, type DashboardProps } from './components/dashboard.js';
export { Header, headerLines, type HeaderProps } from './components/header.js';
export { ProgressBar, progressLine, type ProgressBarProps } from './components/progress-bar.js';
export { Sparkline, sparklineLine, type SparklineProps } from './components/sparkline.js';
export { Summary, summaryLines, type SummaryProps } from './components/summary.js';
export { ChainTable, chainTableLines, type ChainTableProps } from './components/chain-table.js';
export { MinimaList, LatestMinima, minimaListLines, latestMinimaLines, type MinimaListProps, type LatestMinimaProps } from './components/minima-list.js';
export { EnergyHistogram, energyHistogramLines, type EnergyHistogramProps } from './components/energy-histogram.js';
export { DisconnectivityGraph, disconnectivityText, type DisconnectivityGraphProps } from './components/disconnectivity-graph.js';
export { Warnings, warningLines, type WarningsProps } from './components/warnings.js';
export { HelpOverlay, helpLines, type HelpOverlayProps } from './components/help-overlay.js';
export { KeyBar, keyBarLine, DASHBOARD_VIEWS, type KeyBarProps, type DashboardView } from './components/key-bar.js';
export { OverviewView, MinimaView, GraphView, overviewLines, minimaViewLines, graphViewLines, graphBodyLines, type ViewProps } from './components/views.js';
export { dashboardLines, createFrameSelector, type Frame, type FrameOptions } from './frame.js';
export { renderDashboard, type RenderDashboardOptions, type DashboardHandle } from './render.js';

// SPDX-License-Identifier: MIT
/**
 * The whole dashboard frame as lines (header, view or help, key bar), and a selector that
 * returns the previous frame object when the new one would look the same: React then skips the
 * render and Ink draws nothing (Ink's cost is per character on screen, so an unchanged minima or
 * graph view costs nothing late in a run).
 */
import { headerLines } from './components/header.js';
import { helpLines } from './components/help-overlay.js';
import { keyBarLine, type DashboardView } from './components/key-bar.js';
import { graphBodyLines, graphViewLines, minimaViewLines, overviewLines } from './components/views.js';
import { runStatus } from './derive.js';
import { fitLine, toAnsi, type StyledLine } from './lines.js';
import type { DashboardState, MinimumView, TransitionStateView } from './state.js';

export interface FrameOptions {
  readonly view: DashboardView;
  readonly help: boolean;
  readonly canPause: boolean;
  readonly columns: number;
  readonly rows: number;
}

type GraphBody = typeof graphBodyLines;

/** Every line of one frame, at most `rows − 1` of them (a frame as tall as the terminal makes Ink clear the screen each time). */
export function dashboardLines(state: DashboardState, options: FrameOptions, graphBody: GraphBody = graphBodyLines): StyledLine[] {
  const width = Math.max(10, Math.floor(options.columns));
  const header = headerLines({ run: state.run, status: runStatus(state), elapsedMs: state.elapsedMs, width, activity: state.activity });
  const bodyRows = Math.max(4, options.rows - header.length - 2);
  const viewProps = { state, width, rows: bodyRows };
  const body = options.help
    ? helpLines({ canPause: options.canPause, width })
    : options.view === 'overview'
      ? overviewLines(viewProps)
      : options.view === 'minima'
        ? minimaViewLines(viewProps)
        : graphViewLines(viewProps, graphBody);
  const keys = keyBarLine({ view: options.view, canPause: options.canPause, paused: state.paused, width });
  return [...header, ...body.slice(0, bodyRows), keys].map((line) => fitLine(line, width));
}

export interface Frame {
  readonly lines: readonly StyledLine[];
  readonly width: number;
}

/**
 * A memoising frame selector for `useSyncExternalStore`: the same `Frame` object while the
 * state and options are the same, and also while a new state would draw exactly the same text.
 * It also caches the graph body, which only changes with the kept minima and transition states.
 */
export function createFrameSelector(): (state: DashboardState, options: FrameOptions) => Frame {
  let last: { state: DashboardState; options: FrameOptions; frame: Frame; text: string } | undefined;
  let graph: { minima: readonly MinimumView[]; ts: readonly TransitionStateView[]; width: number; rows: number; lines: StyledLine[] } | undefined;
  const cachedGraph: GraphBody = (minima, ts, width, rows) => {
    if (graph === undefined || graph.minima !== minima || graph.ts !== ts || graph.width !== width || graph.rows !== rows) {
      graph = { minima, ts, width, rows, lines: graphBodyLines(minima, ts, width, rows) };
    }
    return graph.lines;
  };
  const same = (a: FrameOptions, b: FrameOptions): boolean =>
    a.view === b.view && a.help === b.help && a.canPause === b.canPause && a.columns === b.columns && a.rows === b.rows;
  return (state, options) => {
    if (last !== undefined && last.state === state && same(last.options, options)) return last.frame;
    const lines = dashboardLines(state, options, cachedGraph);
    const text = lines.map((l) => toAnsi(l, true)).join('\n');
    if (last !== undefined && last.text === text && same(last.options, options)) {
      last = { ...last, state };
      return last.frame;
    }
    last = { state, options, frame: { lines, width: Math.max(10, Math.floor(options.columns)) }, text };
    return last.frame;
  };
}

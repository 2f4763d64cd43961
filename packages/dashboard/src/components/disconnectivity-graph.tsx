// SPDX-License-Identifier: MIT
import { useMemo } from 'react';
import { computeDisconnectivity, layoutDisconnectivity, renderDisconnectivityText } from '@lossscape/landscape';
import { Lines } from '../lines.js';
import type { MinimumView, TransitionStateView } from '../state.js';

export interface DisconnectivityGraphProps {
  readonly minima: readonly MinimumView[];
  readonly transitionStates: readonly TransitionStateView[];
  readonly width: number;
  /** Lines available, the summary line included. */
  readonly rows: number;
}

/** Text block of the disconnectivity graph, or a one-line reason it cannot be drawn. */
export function disconnectivityText(minima: readonly MinimumView[], transitionStates: readonly TransitionStateView[], width: number, rows: number): string {
  if (width < 16 || rows < 4) return 'terminal too small for the graph';
  try {
    const maxMinima = Math.max(2, Math.floor((width - 12) / 2));
    const tree = computeDisconnectivity(
      { minima: minima.map((m) => ({ id: m.id, energy: m.energy })), transitionStates },
      { levels: Math.min(20, rows - 1), maxMinima },
    );
    return renderDisconnectivityText(tree, layoutDisconnectivity(tree), { width, height: rows - 1 }).trimEnd();
  } catch (err) {
    return `cannot draw the graph: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * The disconnectivity graph of the kept lowest minima and transition states, drawn by
 * @lossscape/landscape's text renderer (recomputed only when its inputs or size change).
 */
export function DisconnectivityGraph({ minima, transitionStates, width, rows }: DisconnectivityGraphProps) {
  const lines = useMemo(() => disconnectivityText(minima, transitionStates, width, rows).split('\n'), [minima, transitionStates, width, rows]);
  return <Lines lines={lines} width={width} />;
}

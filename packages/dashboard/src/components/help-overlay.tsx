// SPDX-License-Identifier: MIT
import { Lines, type StyledLine } from '../lines.js';

export interface HelpOverlayProps {
  /** False when the run cannot be paused (e.g. watching another process's database). */
  readonly canPause: boolean;
  readonly width: number;
}

/** Keys and what each view shows. */
export function helpLines({ canPause }: HelpOverlayProps): StyledLine[] {
  const keys: [string, string][] = [
    ['p', canPause ? 'pause / resume the run' : 'pause (not available: read-only)'],
    ['q', 'quit cleanly: the run stops after the current quench and can be resumed (q again: at once)'],
    ['?', 'show / hide this help (esc hides it)'],
    ['1', 'overview: progress, ETA, quenches/s, minima over time, best energy and test AUC, chains, warnings'],
    ['2', 'minima: the lowest minima with ΔE, test AUC, LPPHE; the latest new ones'],
    ['3', 'graph: disconnectivity graph of the lowest minima, or an energy histogram before any transition state'],
    ['tab', 'next view (shift+tab: previous)'],
  ];
  return [
    [{ text: 'Keys', bold: true }],
    ...keys.map(([key, text]): StyledLine => [{ text: key.padEnd(4), color: 'cyan' }, { text }]),
    [{ text: 'The screen redraws at most 10 times per second.', dim: true }],
  ];
}

/** Replaces the view while `?` is on. */
export function HelpOverlay(props: HelpOverlayProps) {
  return <Lines lines={helpLines(props)} width={props.width} />;
}

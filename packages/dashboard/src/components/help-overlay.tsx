// SPDX-License-Identifier: MIT
import { Box, Text } from 'ink';
import { truncate } from '../format.js';

export interface HelpOverlayProps {
  /** False when the run cannot be paused (e.g. watching another process's database). */
  readonly canPause: boolean;
  readonly width: number;
}

/** Keys and what each view shows (replaces the view while `?` is on). */
export function HelpOverlay({ canPause, width }: HelpOverlayProps) {
  const lines: [string, string][] = [
    ['p', canPause ? 'pause / resume the run' : 'pause (not available: read-only)'],
    ['q', 'quit cleanly: the run stops after the current quench and can be resumed (q again: at once)'],
    ['?', 'show / hide this help (esc hides it)'],
    ['1', 'overview: progress, ETA, quenches/s, minima over time, best energy and test AUC, chains, warnings'],
    ['2', 'minima: the lowest minima with ΔE, test AUC, LPPHE; the latest new ones'],
    ['3', 'graph: disconnectivity graph of the lowest minima, or an energy histogram before any transition state'],
    ['tab', 'next view (shift+tab: previous)'],
  ];
  return (
    <Box flexDirection="column">
      <Text bold>Keys</Text>
      {lines.map(([key, text]) => (
        <Text key={key}>
          <Text color="cyan">{key.padEnd(4)}</Text>
          {truncate(text, Math.max(1, width - 4))}
        </Text>
      ))}
      <Text dimColor>{truncate('The screen redraws at most 10 times per second.', width)}</Text>
    </Box>
  );
}

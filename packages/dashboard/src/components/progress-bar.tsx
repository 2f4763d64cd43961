// SPDX-License-Identifier: MIT
import { Text } from 'ink';
import { formatDuration, progressBarText, truncate } from '../format.js';

export interface ProgressBarProps {
  /** 0 … 1, or NaN when the run has no budget. */
  readonly fraction: number;
  /** Milliseconds left, NaN when unknown. */
  readonly etaMs: number;
  /** What is counted, e.g. "1234/3000 steps" (dropped first when the line is short). */
  readonly label: string;
  readonly width: number;
}

/** A one-line progress bar with percentage, label and ETA, fitted to `width`. */
export function ProgressBar({ fraction, etaMs, label, width }: ProgressBarProps) {
  const eta = `ETA ${formatDuration(etaMs)}`;
  if (!Number.isFinite(fraction)) return <Text>{truncate(`no budget · ${label}`, width)}</Text>;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  let suffix = ` ${percent}  ${label}  ${eta}`;
  if (width - suffix.length < 12) suffix = ` ${percent} ${eta}`;
  const barWidth = Math.max(4, width - suffix.length);
  return (
    <Text>
      <Text color="green">{progressBarText(fraction, barWidth)}</Text>
      {truncate(suffix, Math.max(0, width - barWidth))}
    </Text>
  );
}

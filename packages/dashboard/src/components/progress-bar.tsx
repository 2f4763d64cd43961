// SPDX-License-Identifier: MIT
import { formatDuration, progressBarText, truncate } from '../format.js';
import { Lines, type StyledLine } from '../lines.js';

export interface ProgressBarProps {
  /** 0 … 1, or NaN when the run has no budget. */
  readonly fraction: number;
  /** Milliseconds left, NaN when unknown. */
  readonly etaMs: number;
  /** What is counted, e.g. "1234/3000 steps" (dropped first when the line is short). */
  readonly label: string;
  readonly width: number;
}

/** The bar line: bar, percentage, label and ETA, exactly `width` wide when there is a budget. */
export function progressLine({ fraction, etaMs, label, width }: ProgressBarProps): StyledLine {
  const eta = `ETA ${formatDuration(etaMs)}`;
  if (!Number.isFinite(fraction)) return truncate(`no budget · ${label}`, width);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  let suffix = ` ${percent}  ${label}  ${eta}`;
  if (width - suffix.length < 12) suffix = ` ${percent} ${eta}`;
  const barWidth = Math.max(4, width - suffix.length);
  return [{ text: progressBarText(fraction, barWidth), color: 'green' }, { text: truncate(suffix, Math.max(0, width - barWidth)) }];
}

/** A one-line progress bar with percentage, label and ETA, fitted to `width`. */
export function ProgressBar(props: ProgressBarProps) {
  return <Lines lines={[progressLine(props)]} width={props.width} />;
}

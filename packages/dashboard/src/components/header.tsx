// SPDX-License-Identifier: MIT
import type { RunStatus } from '../derive.js';
import { formatDuration, truncate } from '../format.js';
import { Lines, type SpanColor, type StyledLine } from '../lines.js';
import type { RunInfo } from '../state.js';
import { NARROW_COLUMNS, packItems } from '../table.js';

export interface HeaderProps {
  readonly run: RunInfo;
  readonly status: RunStatus;
  readonly elapsedMs: number;
  readonly width: number;
  /** What the run is doing between quenches (e.g. "calibrating …"), shown while it runs. */
  readonly activity?: string;
}

const STATUS_TEXT: Record<RunStatus, string> = {
  waiting: 'waiting',
  running: '● running',
  paused: '❚❚ PAUSED',
  stopping: 'stopping…',
  finished: '✓ finished',
  ended: 'ended',
  failed: '✗ FAILED',
};

const STATUS_COLOR: Record<RunStatus, SpanColor> = {
  waiting: 'gray',
  running: 'green',
  paused: 'yellow',
  stopping: 'yellow',
  finished: 'cyan',
  ended: 'gray',
  failed: 'red',
};

/** Lines of the header: name with status and elapsed time at the right; data and loss below. */
export function headerLines({ run, status, elapsedMs, width, activity }: HeaderProps): StyledLine[] {
  const narrow = width < NARROW_COLUMNS;
  const label = (status === 'waiting' || status === 'running') && activity ? `● ${truncate(activity, Math.max(10, Math.floor(width / 2)))}` : STATUS_TEXT[status];
  const right = `${label} ${formatDuration(elapsedMs)}`;
  const title = truncate(narrow ? run.name : `Lossscape · ${run.name}`, Math.max(1, width - right.length - 1));
  const gap = ' '.repeat(Math.max(1, width - title.length - right.length));
  const details = narrow ? [truncate(`data ${run.data}`, width), truncate(`loss ${run.loss}`, width)] : packItems([`data ${run.data}`, `loss ${run.loss}`], width);
  return [
    [{ text: title, bold: true }, { text: gap }, { text: right, color: STATUS_COLOR[status] }],
    ...details.map((text): StyledLine => [{ text, dim: true }]),
  ];
}

/** Run name, status and elapsed time on the first line; data and loss below. */
export function Header(props: HeaderProps) {
  return <Lines lines={headerLines(props)} width={props.width} />;
}

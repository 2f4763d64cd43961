// SPDX-License-Identifier: MIT
import { Box, Text } from 'ink';
import type { RunStatus } from '../derive.js';
import { formatDuration, truncate } from '../format.js';
import type { RunInfo } from '../state.js';
import { NARROW_COLUMNS, packItems } from '../table.js';

export interface HeaderProps {
  readonly run: RunInfo;
  readonly status: RunStatus;
  readonly elapsedMs: number;
  readonly width: number;
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

const STATUS_COLOR: Record<RunStatus, string> = {
  waiting: 'gray',
  running: 'green',
  paused: 'yellow',
  stopping: 'yellow',
  finished: 'cyan',
  ended: 'gray',
  failed: 'red',
};

/** Run name, status and elapsed time on the first line; data and loss below. */
export function Header({ run, status, elapsedMs, width }: HeaderProps) {
  const narrow = width < NARROW_COLUMNS;
  const right = `${STATUS_TEXT[status]} ${formatDuration(elapsedMs)}`;
  const title = truncate(narrow ? run.name : `Lossscape · ${run.name}`, Math.max(1, width - right.length - 1));
  const details = narrow ? [truncate(`data ${run.data}`, width), truncate(`loss ${run.loss}`, width)] : packItems([`data ${run.data}`, `loss ${run.loss}`], width);
  return (
    <Box flexDirection="column" width={width}>
      <Box justifyContent="space-between">
        <Text bold>{title}</Text>
        <Text color={STATUS_COLOR[status]}>{right}</Text>
      </Box>
      {details.map((line, i) => (
        <Text key={i} dimColor>
          {line}
        </Text>
      ))}
    </Box>
  );
}

// SPDX-License-Identifier: MIT
import { Text } from 'ink';
import { formatCount, sparkline, truncate } from '../format.js';

export interface SparklineProps {
  /** The series, oldest first; the last value is printed beside the chart. */
  readonly values: readonly number[];
  readonly label: string;
  readonly width: number;
}

/** `label ▁▂▃▅▇ last`: a whole series resampled to the room left on the line. */
export function Sparkline({ values, label, width }: SparklineProps) {
  const last = values.length > 0 ? formatCount(values[values.length - 1], width < 60) : '–';
  const room = width - label.length - last.length - 2;
  if (room < 4) return <Text>{truncate(`${label} ${last}`, width)}</Text>;
  return (
    <Text>
      {label} <Text color="cyan">{sparkline(values, room)}</Text> {last}
    </Text>
  );
}

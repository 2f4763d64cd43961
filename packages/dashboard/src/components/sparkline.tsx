// SPDX-License-Identifier: MIT
import { formatCount, sparkline, truncate } from '../format.js';
import { Lines, type StyledLine } from '../lines.js';

export interface SparklineProps {
  /** The series, oldest first; the last value is printed beside the chart. */
  readonly values: readonly number[];
  readonly label: string;
  readonly width: number;
}

/** `label ▁▂▃▅▇ last`: the whole series resampled to the room left on the line. */
export function sparklineLine({ values, label, width }: SparklineProps): StyledLine {
  const last = values.length > 0 ? formatCount(values[values.length - 1], width < 60) : '–';
  const room = width - label.length - last.length - 2;
  if (room < 4) return truncate(`${label} ${last}`, width);
  return [{ text: `${label} ` }, { text: sparkline(values, room), color: 'cyan' }, { text: ` ${last}` }];
}

export function Sparkline(props: SparklineProps) {
  return <Lines lines={[sparklineLine(props)]} width={props.width} />;
}

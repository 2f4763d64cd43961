// SPDX-License-Identifier: MIT
import { Text } from 'ink';
import { truncate } from '../format.js';
import { NARROW_COLUMNS } from '../table.js';

export type DashboardView = 'overview' | 'minima' | 'graph';
export const DASHBOARD_VIEWS: readonly DashboardView[] = ['overview', 'minima', 'graph'];

export interface KeyBarProps {
  readonly view: DashboardView;
  readonly canPause: boolean;
  readonly paused: boolean;
  readonly width: number;
}

/** The bottom line: views (current one marked) and keys. */
export function KeyBar({ view, canPause, paused, width }: KeyBarProps) {
  const narrow = width < NARROW_COLUMNS;
  const views = DASHBOARD_VIEWS.map((v, i) => {
    const name = narrow ? `${i + 1}` : `${i + 1} ${v}`;
    return v === view ? `[${name}]` : name;
  }).join(' ');
  const pause = canPause ? (narrow ? ' p' : paused ? ' · p resume' : ' · p pause') : '';
  const keys = narrow ? `${views}${pause} q ?` : `${views}${pause} · q quit · ? help`;
  return <Text dimColor>{truncate(keys, width)}</Text>;
}

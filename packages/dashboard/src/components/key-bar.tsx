// SPDX-License-Identifier: MIT
import { Lines, type StyledLine } from '../lines.js';
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
export function keyBarLine({ view, canPause, paused, width }: KeyBarProps): StyledLine {
  const narrow = width < NARROW_COLUMNS;
  const views = DASHBOARD_VIEWS.map((v, i) => {
    const name = narrow ? `${i + 1}` : `${i + 1} ${v}`;
    return v === view ? `[${name}]` : name;
  }).join(' ');
  const pause = canPause ? (narrow ? ' p' : paused ? ' · p resume' : ' · p pause') : '';
  const keys = narrow ? `${views}${pause} q ?` : `${views}${pause} · q quit · ? help`;
  return [{ text: keys, dim: true }];
}

export function KeyBar(props: KeyBarProps) {
  return <Lines lines={[keyBarLine(props)]} width={props.width} />;
}

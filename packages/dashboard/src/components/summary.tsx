// SPDX-License-Identifier: MIT
import { meanTestAuc, quenchRate } from '../derive.js';
import { formatAuc, formatCount, formatEnergy, formatRate } from '../format.js';
import { Lines, type StyledLine } from '../lines.js';
import type { DashboardState } from '../state.js';
import { NARROW_COLUMNS, packItems } from '../table.js';

export interface SummaryProps {
  readonly state: DashboardState;
  readonly width: number;
}

/** Rate, minima, best energy, test AUC and transition states, packed into as few lines as fit. */
export function summaryLines({ state, width }: SummaryProps): StyledLine[] {
  const narrow = width < NARROW_COLUMNS;
  const rate = formatRate(quenchRate(state));
  const items = narrow
    ? [`q/s ${rate}`, `min ${formatCount(state.distinctMinima, true)}`, `TS ${formatCount(state.transitionStates, true)}`, `E ${formatEnergy(state.bestEnergy)}`]
    : [`quench/s ${rate}`, `minima ${formatCount(state.distinctMinima)}`, `best E ${formatEnergy(state.bestEnergy)}`];
  if (state.testAucCount > 0) {
    items.push(
      narrow
        ? `AUC ${formatAuc(state.bestTestAuc)}/${formatAuc(meanTestAuc(state))}`
        : `test AUC best ${formatAuc(state.bestTestAuc)} mean ${formatAuc(meanTestAuc(state))} (${formatCount(state.testAucCount)})`,
    );
  }
  if (!narrow) items.push(`TS ${formatCount(state.transitionStates)}`);
  if (!narrow && state.failedQuenches > 0) items.push(`failed quenches ${formatCount(state.failedQuenches)}`);
  return packItems(items, width);
}

export function Summary(props: SummaryProps) {
  return <Lines lines={summaryLines(props)} width={props.width} />;
}

// SPDX-License-Identifier: MIT
/**
 * Plain line logs for `--no-tui` (a pipe, a CI log, a file): the same information as the
 * dashboard, one line per noteworthy event, no escape codes.
 *
 * ```ts
 * for await (const event of events) {
 *   const line = formatLogLine(event);
 *   if (line !== undefined) process.stdout.write(line + '\n');
 * }
 * ```
 */
import type { SamplerEvent } from '@lossscape/sampler';
import { formatAuc, formatCount, formatDuration, formatEnergy, formatRate, formatRatio } from './format.js';
import { meanTestAuc, progressOf, quenchRate } from './derive.js';
import type { DashboardState, RunInfo } from './state.js';

export interface LogLineOptions {
  /** Also print one line per quench (very many). Default false. */
  readonly quenches?: boolean;
  /** Significant digits of energies. Default 10. */
  readonly digits?: number;
}

function who(chain: number): string {
  return chain >= 0 ? `chain ${chain}` : 'connect';
}

/**
 * One line for `event`, or undefined when it is not worth a line (quenches, unless asked).
 * Pure: the same event always gives the same line. Lines start with the elapsed time.
 */
export function formatLogLine(event: SamplerEvent, options: LogLineOptions = {}): string | undefined {
  const digits = options.digits ?? 10;
  const e = (v: number): string => formatEnergy(v, digits);
  const at = `[${formatDuration(event.elapsedMs)}]`;
  switch (event.type) {
    case 'run-started': {
      const budget = [event.steps === Infinity ? 'no step limit' : `${event.steps} steps`];
      if (Number.isFinite(event.timeBudgetMs)) budget.push(`${formatDuration(event.timeBudgetMs)} time`);
      const resumed = event.resumedQuenches > 0 || event.resumedMinima > 0 ? `, resumed at ${event.resumedQuenches} quenches and ${event.resumedMinima} minima` : '';
      const chains = event.chains > 1 ? `${event.chains} chains` : who(event.chain);
      return `${at} ${chains} started: budget ${budget.join(' and ')}, temperature ${event.temperature}, step size ${formatEnergy(event.stepSize, 4)}, seed ${event.seed}${resumed}`;
    }
    case 'quench':
      if (!options.quenches) return undefined;
      return `${at} ${who(event.chain)} step ${event.step}: E ${e(event.energy)} ${event.converged ? '' : '(not converged) '}${event.accepted ? 'accepted' : 'rejected'}${event.isNew ? ', new' : ''}`;
    case 'minimum-added':
      return `${at} ${who(event.chain)} step ${event.step}: new minimum #${event.minimum.id} E ${e(event.minimum.energy)} (${event.distinctMinima} distinct)`;
    case 'minimum-properties': {
      const p = event.properties;
      const parts: string[] = [];
      if (p.testAuc !== undefined) parts.push(`test AUC ${formatAuc(p.testAuc)}`);
      if (p.trainAuc !== undefined) parts.push(`train AUC ${formatAuc(p.trainAuc)}`);
      if (p.lpphe !== undefined) parts.push(`LPPHE ${formatEnergy(p.lpphe, 6)}`);
      if (p.index !== undefined) parts.push(`index ${p.index}`);
      if (p.flag !== undefined) parts.push(`flag: ${p.flag}`);
      return `${at} minimum #${event.minimumId}: ${parts.length > 0 ? parts.join(', ') : 'evaluated'}`;
    }
    case 'step-size':
      return `${at} ${who(event.chain)} step ${event.step}: step size ${formatEnergy(event.stepSize, 4)}, acceptance ${formatRatio(event.acceptance)}, temperature ${event.temperature}`;
    case 'progress': {
      const steps = event.steps === Infinity ? `${event.step} steps` : `${event.step}/${event.steps} steps`;
      return `${at} ${who(event.chain)}: ${steps}, ${event.totalQuenches} quenches, ${event.distinctMinima} minima, best E ${e(event.bestEnergy)}, acceptance ${formatRatio(event.acceptance)}, step size ${formatEnergy(event.stepSize, 4)}, ${event.sinceLastNew} since new`;
    }
    case 'reseed':
      return `${at} ${who(event.chain)} step ${event.step}: reseeded (${event.reason})`;
    case 'transition-state-added': {
      const t = event.transitionState;
      return `${at} transition state #${t.id} E ${e(t.energy)} joins #${t.minimum1} and #${t.minimum2} (${event.transitionStates} total)`;
    }
    case 'connection-attempt':
      return `${at} connect #${event.minimum1}–#${event.minimum2}: ${event.connected ? 'connected' : 'not connected'}, ${event.transitionStatesFound} transition states found${event.message ? ` (${event.message})` : ''}`;
    case 'status':
      return `${at} ${event.message}`;
    case 'warning':
      return `${at} warning ${event.code} (${who(event.chain)}): ${event.message}`;
    case 'chain-finished':
      return `${at} ${who(event.chain)} finished after ${event.steps} steps (${event.reason})`;
    case 'run-finished':
      return `${at} run finished (${event.reason}): ${event.totalQuenches} quenches, ${event.distinctMinima} minima, ${event.transitionStates} transition states`;
    default:
      return undefined;
  }
}

/** The run's description, for the first line of a log. */
export function formatRunInfoLine(run: RunInfo): string {
  return `${run.name} · data ${run.data} · loss ${run.loss}`;
}

/**
 * A one-line summary of the whole run so far (rate, ETA, best figures), for `--no-tui` logs to
 * print every few seconds next to the per-event lines.
 */
export function formatSummaryLine(state: DashboardState): string {
  const p = progressOf(state);
  const steps = p.stepBudget === Infinity ? `${state.stepsDone} steps` : `${state.stepsDone}/${p.stepBudget} steps`;
  // The fraction is of whichever budget ends first: say so when that is the time budget.
  const percent = Number.isFinite(p.fraction) ? ` (${Math.floor(p.fraction * 100)}%${p.limitedBy === 'time' ? ' of the time budget' : ''})` : '';
  const parts = [
    `[${formatDuration(state.elapsedMs)}] ${steps}${percent}`,
    `${formatRate(quenchRate(state))} quench/s`,
    `ETA ${formatDuration(p.etaMs)}`,
    `${formatCount(state.distinctMinima)} minima`,
    `best E ${formatEnergy(state.bestEnergy, 10)}`,
  ];
  if (state.testAucCount > 0) parts.push(`test AUC best ${formatAuc(state.bestTestAuc)} mean ${formatAuc(meanTestAuc(state))}`);
  if (state.transitionStates > 0) parts.push(`${state.transitionStates} TS`);
  if (state.warningCount > 0) parts.push(`${state.warningCount} warnings`);
  return parts.join(' · ');
}

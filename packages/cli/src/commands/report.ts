// SPDX-License-Identifier: MIT
/**
 * `lossscape report <db>`: the landscape statistics of the study's tables — minima and
 * transition states, best / mean / σ test AUC, mean / σ LPPHE, Pearson r of loss with test
 * AUC — as text, JSON or CSV.
 */
import type { Command } from 'commander';
import { summariseLandscape, type LandscapeStatistics, type RunManifest } from '@lossscape/landscape';
import { println, type CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { csvField, formatNumber, toJson, withRunDatabase } from '../database.js';
import { formatParameter } from '../engine/run.js';
import { totalQuenches } from '../engine/progress.js';

export interface RunReport {
  readonly database: string;
  readonly name: string | undefined;
  readonly config: RunManifest['config'] | undefined;
  readonly statistics: LandscapeStatistics;
  readonly quenches: number;
}

export async function buildReport(ctx: CliContext, file: string, schema?: string): Promise<RunReport> {
  return withRunDatabase(ctx, file, async (store) => {
    const [minima, tsCount, manifest] = await Promise.all([store.minima(), store.transitionStateCount(), store.getManifest()]);
    const chains = Number((manifest?.config as { sampler?: { chains?: unknown } } | undefined)?.sampler?.chains ?? 1);
    return {
      database: file,
      name: manifest?.name,
      config: manifest?.config,
      statistics: summariseLandscape(minima, tsCount),
      quenches: await totalQuenches(store, Number.isInteger(chains) && chains > 0 ? chains : 1),
    };
  }, { schema });
}

/** Rows of (statistic, value): the text and CSV forms share them. */
export function reportRows(r: RunReport): Array<[string, number | string | undefined]> {
  const s = r.statistics;
  return [
    ['minima', s.minima],
    ['transition states', s.transitionStates],
    ['flagged minima (left out)', s.flaggedMinima],
    ['quenches', r.quenches],
    ['global minimum energy', s.globalMinimum?.energy],
    ['global minimum test AUC', s.globalMinimum?.testAuc],
    ['best test AUC', s.testAuc.best],
    ['mean test AUC', s.testAuc.mean],
    ['σ test AUC', s.testAuc.std],
    ['mean train AUC', s.trainAuc.mean],
    ['mean LPPHE', s.lpphe.mean],
    ['σ LPPHE', s.lpphe.std],
    ['mean CE loss', s.ceLoss.mean],
    ['Pearson r (loss, test AUC)', s.energyTestAucCorrelation],
  ];
}

function describeConfig(config: RunReport['config']): string {
  if (!config) return 'no manifest';
  const c = config as { dataset?: { kind?: string }; loss?: { kind?: string; beta?: number; margin?: number }; model?: { hidden?: number }; l2?: number };
  const param = c.loss?.beta !== undefined ? ` β=${c.loss.beta}` : c.loss?.margin !== undefined ? ` m=${c.loss.margin}` : '';
  return `${c.dataset?.kind ?? '?'} · ${c.loss?.kind ?? '?'}${param} · λ=${c.l2 === undefined ? '?' : formatParameter(c.l2)} · ${c.model?.hidden ?? '?'} hidden`;
}

export function formatReportText(r: RunReport): string {
  const rows = reportRows(r);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`${r.name ?? r.database} (${describeConfig(r.config)})`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'number' ? formatNumber(v, 6) : (v ?? '–')}`)];
  return lines.join('\n');
}

export function registerReport(program: Command, ctx: CliContext): Command {
  return program
    .command('report')
    .description("Landscape statistics of a run (the study's tables): counts, test AUC, LPPHE, loss–AUC correlation")
    .argument('<db>', 'run database')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output (statistic,value)')
    .option('--schema <name>', 'PostgreSQL schema of the run (with a postgres:// database)')
    .action(async (db: string, flags: { json?: boolean; csv?: boolean; schema?: string }) => {
      if (flags.json && flags.csv) throw new UsageError('Expected at most one of --json and --csv but received both');
      const report = await buildReport(ctx, db, flags.schema);
      if (flags.json) println(ctx, toJson(report));
      else if (flags.csv) println(ctx, ['statistic,value', ...reportRows(report).map(([k, v]) => `${csvField(k)},${csvField(v)}`)].join('\n'));
      else println(ctx, formatReportText(report));
    });
}

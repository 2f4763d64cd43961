// SPDX-License-Identifier: MIT
/**
 * `lossscape export <db> --format pathsample|json|csv`: PATHSAMPLE files (min.data, ts.data,
 * points.min, points.ts) into a folder, or every minimum and transition state as JSON or CSV.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { exportPathsample, type MinimumProperties } from '@lossscape/landscape';
import { println, type CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { csvField, toJson, withRunDatabase } from '../database.js';

const PROPERTY_COLUMNS: ReadonlyArray<keyof MinimumProperties> = [
  'trainAuc',
  'testAuc',
  'ceLoss',
  'dataLoss',
  'lpphe',
  'positiveCount',
  'negativeCount',
  'droppedCount',
  'flatCount',
  'index',
  'smallestEigenvalue',
  'largestEigenvalue',
  'flag',
];

interface ExportFlags {
  format: 'pathsample' | 'json' | 'csv';
  out?: string;
  coordinates?: boolean;
  schema?: string;
}

function write(ctx: CliContext, out: string | undefined, text: string): void {
  if (out === undefined) println(ctx, text);
  else writeFileSync(path.resolve(ctx.cwd, out), text + '\n');
}

export function registerExport(program: Command, ctx: CliContext): Command {
  return program
    .command('export')
    .description('Export a run: PATHSAMPLE files, or minima and transition states as JSON / CSV')
    .argument('<db>', 'run database')
    .addOption(new Option('--format <format>', 'output format').choices(['pathsample', 'json', 'csv']).makeOptionMandatory())
    .option('--out <path>', 'folder (pathsample) or file (json, csv); default: ./pathsample or stdout')
    .option('--coordinates', 'include weight vectors (json, csv)')
    .option('--schema <name>', 'PostgreSQL schema of the run (with a postgres:// database)')
    .action(async (db: string, flags: ExportFlags) =>
      withRunDatabase(ctx, db, async (store) => {
        if (flags.format === 'pathsample') {
          const folder = path.resolve(ctx.cwd, flags.out ?? 'pathsample');
          mkdirSync(folder, { recursive: true });
          const r = await exportPathsample(store, folder);
          println(ctx, `wrote PATHSAMPLE files to ${folder} (${JSON.stringify(r)})`);
          return;
        }
        const [minima, transitionStates, manifest] = await Promise.all([store.minima(), store.transitionStates(), store.getManifest()]);
        if (flags.format === 'json') {
          const strip = <T extends { coordinates: Float64Array }>(r: T) => (flags.coordinates ? r : { ...r, coordinates: undefined });
          write(ctx, flags.out, toJson({ manifest, minima: minima.map(strip), transitionStates: transitionStates.map(strip) }));
          return;
        }
        if (flags.format !== 'csv') throw new UsageError(`Expected pathsample, json or csv for --format but received '${String(flags.format)}'`);
        const header = ['id', 'energy', 'rmsGradient', 'hits', 'firstStep', 'chain', ...PROPERTY_COLUMNS, ...(flags.coordinates ? ['coordinates'] : [])];
        const rows = minima.map((m) =>
          [m.id, m.energy, m.rmsGradient, m.hits, m.firstStep, m.chain, ...PROPERTY_COLUMNS.map((k) => m.properties[k]), ...(flags.coordinates ? [Array.from(m.coordinates).join(' ')] : [])]
            .map(csvField)
            .join(','),
        );
        write(ctx, flags.out, [header.join(','), ...rows].join('\n'));
      }, { schema: flags.schema }),
    );
}

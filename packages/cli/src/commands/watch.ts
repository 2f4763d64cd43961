// SPDX-License-Identifier: MIT
/**
 * `lossscape watch <db>`: the dashboard (or a line log) of a run in progress in another process
 * — e.g. an overnight run whose SSH session dropped — or of a finished one. Read-only: the
 * database is polled through WAL and never written.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { formatLogLine, isInteractiveTerminal, renderDashboard, type RunInfo } from '@lossscape/dashboard';
import { println, type CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { openRunDatabase } from '../database.js';
import { prepareRunFromManifest } from '../engine/run.js';
import { watchEvents } from '../engine/watch.js';
import { positiveNumber } from '../options.js';

interface WatchFlags {
  interval?: number;
  tui?: boolean;
  follow?: boolean;
  schema?: string;
}

export function registerWatch(program: Command, ctx: CliContext): Command {
  return program
    .command('watch')
    .description('Follow a run from its database (another process, read-only), live or finished')
    .argument('<db>', 'run database')
    .option('--interval <seconds>', 'poll interval (default 1)', positiveNumber('--interval'))
    .option('--follow', 'keep watching after the run stops (e.g. until it is resumed)')
    .option('--no-tui', 'plain line logs instead of the dashboard')
    .option('--schema <name>', 'PostgreSQL schema of the run (with a postgres:// database)')
    .action(async (db: string, flags: WatchFlags) => {
      const store = await openRunDatabase(ctx, db, { readonly: true, schema: flags.schema });
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const manifest = await store.getManifest();
        if (!manifest) throw new UsageError(`Expected a run manifest in ${db} but received none (not a lossscape explore database?)`);
        const run = prepareRunFromManifest(manifest, db);
        const runInfo: RunInfo = {
          name: `${path.basename(db, '.sqlite')} (watch)`,
          data: run.dataLabel,
          loss: run.lossLabel,
          budget: {
            chains: run.config.sampler.chains,
            ...(run.config.sampler.steps === null ? {} : { stepsPerChain: run.config.sampler.steps }),
          },
        };
        const events = watchEvents(store, run.config, { intervalMs: (flags.interval ?? 1) * 1000, signal: controller.signal, untilDone: !flags.follow });
        if (flags.tui !== false && isInteractiveTerminal(ctx.stdout, ctx.env)) {
          const dashboard = renderDashboard({ runInfo, events, onQuit: () => controller.abort(), exitOnEnd: false });
          await dashboard.waitUntilExit();
        } else {
          println(ctx, `${runInfo.name} · ${run.dataLabel} · ${run.lossLabel}`);
          for await (const event of events) {
            if (event.type === 'progress') continue;
            const line = formatLogLine(event);
            if (line !== undefined) println(ctx, line);
          }
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await store.close();
      }
    });
}

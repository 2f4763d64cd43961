// SPDX-License-Identifier: MIT
/**
 * `lossscape graph <db>`: the disconnectivity graph of a run, as SVG, PNG or terminal text,
 * with minima coloured by a per-minimum property (test AUC by default).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import {
  computeDisconnectivity,
  layoutDisconnectivity,
  minimumValues,
  renderDisconnectivityPng,
  renderDisconnectivitySvg,
  renderDisconnectivityText,
  type MinimumProperties,
} from '@lossscape/landscape';
import { println, type CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { withRunDatabase } from '../database.js';
import { integer, positiveInteger, positiveNumber } from '../options.js';

const COLOUR_PROPERTIES = ['testAuc', 'trainAuc', 'lpphe', 'ceLoss', 'dataLoss', 'none'] as const;

interface GraphFlags {
  out?: string;
  text?: boolean;
  levels?: number;
  top?: number;
  delta?: number;
  connectedTo?: string;
  maxMinima?: number;
  isolated?: boolean;
  colourBy?: (typeof COLOUR_PROPERTIES)[number];
  width?: number;
  title?: string;
  schema?: string;
}

function parseConnectedTo(v: string | undefined): number | 'global-minimum' | undefined {
  if (v === undefined) return undefined;
  if (v === 'global' || v === 'global-minimum') return 'global-minimum';
  const id = integer('--connected-to')(v);
  if (id < 1) throw new UsageError(`Expected a minimum id ≥ 1 or 'global' for --connected-to but received '${v}'`);
  return id;
}

export async function renderGraph(ctx: CliContext, db: string, flags: GraphFlags): Promise<{ text?: string; written?: string; minima: number; transitionStates: number }> {
  return withRunDatabase(ctx, db, async (store) => {
    const [minima, transitionStates, manifest] = await Promise.all([store.minima(), store.transitionStates(), store.getManifest()]);
    if (minima.length === 0) throw new UsageError(`Expected at least one minimum in ${db} but received none`);
    const tree = computeDisconnectivity(
      { minima, transitionStates },
      {
        ...(flags.levels !== undefined ? { levels: flags.levels } : {}),
        ...(flags.top !== undefined ? { topEnergy: flags.top } : {}),
        ...(flags.delta !== undefined ? { delta: flags.delta } : {}),
        ...(flags.maxMinima !== undefined ? { maxMinima: flags.maxMinima } : {}),
        ...(parseConnectedTo(flags.connectedTo) !== undefined ? { connectedTo: parseConnectedTo(flags.connectedTo) } : {}),
        includeIsolated: flags.isolated !== false,
      },
    );
    const layout = layoutDisconnectivity(tree);
    if (flags.text || flags.out === undefined) {
      return { text: renderDisconnectivityText(tree, layout, { width: Math.max(40, (ctx.stdout.columns ?? 100) - 1) }), minima: minima.length, transitionStates: transitionStates.length };
    }
    const property = flags.colourBy ?? 'testAuc';
    const colour =
      property === 'none'
        ? undefined
        : { label: property === 'testAuc' ? 'test AUC' : property, values: minimumValues(minima, property as keyof MinimumProperties) };
    const svg = renderDisconnectivitySvg(layout, {
      title: flags.title ?? `${manifest?.name ?? path.basename(db)}: ${minima.length} minima, ${transitionStates.length} transition states`,
      ...(colour && colour.values.size > 0 ? { colour } : {}),
      ...(flags.width !== undefined ? { width: flags.width } : {}),
    });
    const out = path.resolve(ctx.cwd, flags.out);
    if (out.endsWith('.png')) writeFileSync(out, await renderDisconnectivityPng(svg, flags.width !== undefined ? { width: flags.width } : {}));
    else if (out.endsWith('.svg')) writeFileSync(out, svg);
    else throw new UsageError(`Expected an output file ending in .svg or .png for --out but received '${flags.out}'`);
    return { written: out, minima: minima.length, transitionStates: transitionStates.length };
  }, { schema: flags.schema });
}

export function registerGraph(program: Command, ctx: CliContext): Command {
  return program
    .command('graph')
    .description('Disconnectivity graph of a run: SVG, PNG or text (coloured by test AUC)')
    .argument('<db>', 'run database')
    .option('--out <file>', 'write an .svg or .png file (default: text on the terminal)')
    .option('--text', 'text rendering on stdout')
    .option('--levels <n>', 'energy levels (default 20)', positiveInteger('--levels'))
    .option('--top <energy>', 'first (highest) level', (v) => {
      const x = Number(v);
      if (!Number.isFinite(x)) throw new UsageError(`Expected a number for --top but received '${v}'`);
      return x;
    })
    .option('--delta <dE>', 'spacing between levels', positiveNumber('--delta'))
    .option('--connected-to <id|global>', 'only minima connected to this one (or to the global minimum)')
    .option('--max-minima <n>', 'only the lowest n minima', positiveInteger('--max-minima'))
    .option('--no-isolated', 'leave out minima no transition state reaches')
    .addOption(new Option('--colour-by <property>', 'colour minima by').choices([...COLOUR_PROPERTIES]).default('testAuc'))
    .option('--width <px>', 'picture width', positiveInteger('--width'))
    .option('--title <text>', 'picture title')
    .option('--schema <name>', 'PostgreSQL schema of the run (with a postgres:// database)')
    .action(async (db: string, flags: GraphFlags) => {
      const r = await renderGraph(ctx, db, flags);
      if (r.text !== undefined) println(ctx, r.text);
      else println(ctx, `wrote ${r.written} (${r.minima} minima, ${r.transitionStates} transition states)`);
    });
}

// SPDX-License-Identifier: MIT
/**
 * The `lossscape` command. `main(argv, ctx)` returns the exit code instead of exiting, so the
 * whole CLI is testable in-process: 0 success, 2 bad input (one line, no stack), 1 a bug.
 */
import { Command, CommanderError } from 'commander';
import { isLandscapeError } from '@lossscape/numeric';
import { processContext, type CliContext } from './context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, isUserError, oneLine } from './errors.js';
import { COMMANDS } from './commands/index.js';

export const VERSION = '0.1.0';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('lossscape')
    .description('Explore loss-function landscapes of small neural networks: minima, transition states, disconnectivity graphs, Hessian spectra.')
    .version(VERSION)
    .configureOutput({
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
      // Errors are printed once, in our own format, by main().
      outputError: () => undefined,
    })
    .exitOverride();
  for (const register of COMMANDS) {
    const sub = register(program, ctx);
    sub.exitOverride().configureOutput({ writeOut: (s) => void ctx.stdout.write(s), writeErr: (s) => void ctx.stderr.write(s), outputError: () => undefined });
  }
  return program;
}

export async function main(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return ctx.exitCode || EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      ctx.stderr.write(`lossscape: ${err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')} (see lossscape --help)\n`);
      return EXIT_USAGE;
    }
    if (isUserError(err)) {
      ctx.stderr.write(`lossscape: ${oneLine(err)}\n`);
      return EXIT_USAGE;
    }
    const e = err as Error;
    ctx.stderr.write(`lossscape: internal error${isLandscapeError(e) ? ` (${e.code})` : ''}: ${e?.stack ?? String(err)}\n`);
    return EXIT_FAILURE;
  }
}

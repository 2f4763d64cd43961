// SPDX-License-Identifier: MIT
/** Running the CLI in-process in tests, with captured output. */
import { PassThrough } from 'node:stream';
import type { CliContext } from '../context.js';
import { main } from '../main.js';

export interface CapturedContext extends CliContext {
  out(): string;
  err(): string;
}

export function testContext(cwd: string, env: NodeJS.ProcessEnv = {}): CapturedContext {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    stdin: new PassThrough(),
    env,
    cwd,
    exitCode: 0,
    out: () => out,
    err: () => err,
  };
}

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(cwd: string, ...argv: string[]): Promise<CliResult> {
  const ctx = testContext(cwd);
  const code = await main(argv, ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

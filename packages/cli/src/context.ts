// SPDX-License-Identifier: MIT
/** What every command receives: where to write, the environment, and the exit code to set. */

export interface OutputStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliContext {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Set by a command that finishes with a non-zero status without throwing. */
  exitCode: number;
}

export function processContext(): CliContext {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), exitCode: 0 };
}

/** Writes one line to stdout. */
export function println(ctx: CliContext, line = ''): void {
  ctx.stdout.write(line + '\n');
}

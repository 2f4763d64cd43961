// SPDX-License-Identifier: MIT
/**
 * Whether the live dashboard can work on a stream. Ink draws nothing live when it thinks it runs
 * in CI (its `is-in-ci` check: `CI` or `CONTINUOUS_INTEGRATION` set to anything but "0" or
 * "false"): it only prints the last frame at exit. A pipe or a file cannot redraw either. In
 * both cases the CLI should print plain line logs (`formatLogLine`) instead.
 *
 * ```ts
 * const tui = isInteractiveTerminal(process.stdout, process.env) && !flags.noTui;
 * ```
 */

function isSet(env: Readonly<Record<string, string | undefined>>, key: string): boolean {
  const v = env[key];
  return v !== undefined && v !== '0' && v !== 'false';
}

/**
 * True when `stream` is a TTY and the environment is not CI (same rule as Ink: `CI` or
 * `CONTINUOUS_INTEGRATION` set to anything but "0"/"false"), and `TERM` is not "dumb".
 */
export function isInteractiveTerminal(stream: { readonly isTTY?: boolean } | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  if (stream === undefined || stream === null || stream.isTTY !== true) return false;
  if (isSet(env, 'CI') || isSet(env, 'CONTINUOUS_INTEGRATION')) return false;
  return env.TERM !== 'dumb';
}

// SPDX-License-Identifier: MIT
/**
 * A real pseudo-terminal for end-to-end tests, driven through tmux (Debian package, installed by
 * `npm run setup`): start a command in a detached session of a given size, read the screen,
 * send keys, and collect the exit code. Each session uses its own tmux server socket.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

export interface TerminalSession {
  /** The visible screen as plain text. */
  screen(): string;
  /** tmux key names or literal text, e.g. sendKeys('q') or sendKeys('C-c'). */
  sendKeys(...keys: string[]): void;
  /** Exit code once the command has finished, else undefined. */
  exitCode(): number | undefined;
  resize(columns: number, rows: number): void;
  kill(): void;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function startTerminal(command: readonly string[], options: { cwd: string; columns?: number; rows?: number; env?: Record<string, string | undefined> }): TerminalSession {
  const socket = `lossscape-e2e-${process.pid}-${Date.now()}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'lossscape-tty-'));
  const exitFile = path.join(dir, 'exit-code');
  // The child must see a real terminal and no CI variable (Ink renders only the last frame when CI is set).
  const unset = ['CI', 'CONTINUOUS_INTEGRATION', 'NX_TASK_TARGET_PROJECT', 'VITEST', 'VITEST_WORKER_ID', 'VITEST_POOL_ID', 'NODE_OPTIONS'];
  const envAssignments = Object.entries(options.env ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${quote(v!)}`);
  const script = `cd ${quote(options.cwd)} && env ${unset.map((u) => `-u ${u}`).join(' ')} TERM=xterm-256color ${envAssignments.join(' ')} ${command.map(quote).join(' ')}; echo $? > ${quote(exitFile)}; sleep 3600`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  tmux('new-session', '-d', '-s', 'main', '-x', String(options.columns ?? 120), '-y', String(options.rows ?? 40), 'sh', '-c', script);
  return {
    screen: () => stripVTControlCharacters(tmux('capture-pane', '-p', '-t', 'main')),
    sendKeys: (...keys) => void tmux('send-keys', '-t', 'main', ...keys),
    exitCode: () => (existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '' ? Number(readFileSync(exitFile, 'utf8').trim()) : undefined),
    resize: (columns, rows) => void tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows)),
    kill: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}

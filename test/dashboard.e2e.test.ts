// SPDX-License-Identifier: MIT
// The main job end to end: `lossscape explore --preset demo` in a real pseudo-terminal (tmux),
// the live dashboard on screen, `p` pauses, `q` quits cleanly, and the database resumes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTerminal, type TerminalSession } from './support/tmux.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/dist/bin.js');

let term: TerminalSession | undefined;
afterEach(() => term?.kill());

describe('lossscape explore --preset demo in a terminal', () => {
  it('shows the live dashboard, pauses, quits on q with exit 0, and the run resumes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lossscape-demo-'));
    const db = path.join(dir, 'demo.sqlite');
    term = startTerminal(['node', bin, 'explore', '--preset', 'demo', '--db', db], { cwd: dir, columns: 120, rows: 40 });
    const t = term;
    // The dashboard draws its header at once and counts minima as they come.
    await vi.waitFor(() => expect(t.screen()).toMatch(/Lossscape · demo/), { timeout: 60_000, interval: 250 });
    await vi.waitFor(() => expect(t.screen()).toMatch(/· minima [1-9]\d* ·/), { timeout: 180_000, interval: 500 });
    expect(t.screen()).toMatch(/sigmoid β=40, λ=1e-5, 2-10-2/);
    t.sendKeys('p');
    await vi.waitFor(() => expect(t.screen()).toMatch(/PAUSED/), { timeout: 20_000, interval: 200 });
    t.sendKeys('?');
    await vi.waitFor(() => expect(t.screen()).toMatch(/pause|resume/i), { timeout: 20_000, interval: 200 });
    t.sendKeys('q');
    await vi.waitFor(() => expect(t.exitCode()).toBe(0), { timeout: 120_000, interval: 500 });
    expect(t.screen()).toMatch(/Continue with: lossscape explore --resume/);

    // The database is intact and continues from where it stopped.
    const report = JSON.parse(execFileSync('node', [bin, 'report', db, '--json'], { encoding: 'utf8' }));
    expect(report.statistics.minima).toBeGreaterThan(0);
    const done = report.quenches as number;
    const resumed = execFileSync('node', [bin, 'explore', '--resume', db, '--steps', String(done + 1), '--no-tui'], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(resumed).toMatch(new RegExp(`resumed at ${done} quenches`));
    const after = JSON.parse(execFileSync('node', [bin, 'report', db, '--json'], { encoding: 'utf8' }));
    expect(after.quenches).toBeGreaterThan(done);
    expect(after.statistics.minima).toBeGreaterThanOrEqual(report.statistics.minima);
  });
});

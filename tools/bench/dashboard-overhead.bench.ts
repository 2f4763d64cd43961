// SPDX-License-Identifier: MIT
/**
 * What the live dashboard costs a run (issue 8: ≤ 3 % of throughput, flat memory).
 *
 * The same fixed exploration (spiral CE landscape, fixed temperature and step size, no Hessians,
 * no transition states) runs with the dashboard in a real terminal (tmux) and with line logs to a
 * pipe, alternating, BENCH_ROUNDS times (default 3); the wall times give the throughput ratio.
 * Then one run of BENCH_HEAP_MINUTES (default 2; the issue asks for 10) with the dashboard logs
 * the main thread's heap every 5 s (LOSSSCAPE_HEAP_LOG) and prints the least-squares slope.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTerminal } from '../../test/support/tmux.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'packages/cli/dist/bin.js');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const steps = Number(process.env.BENCH_STEPS ?? 150);
const heapMinutes = Number(process.env.BENCH_HEAP_MINUTES ?? 2);
const dir = mkdtempSync(path.join(tmpdir(), 'lossscape-dash-bench-'));
const args = (db: string, extra: string[] = []) => ['explore', '--loss', 'ce', '--steps', String(steps), '--temperature', '0.05', '--step-size', '0.5', '--no-ts', '--no-hessian', '--db', db, ...extra];

async function withDashboard(db: string, env: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now();
  const term = startTerminal(['node', bin, ...args(db)], { cwd: dir, columns: 120, rows: 40, env });
  try {
    for (;;) {
      const code = term.exitCode();
      if (code !== undefined) {
        if (code !== 0) throw new Error(`explore with the dashboard exited with ${code}:\n${term.screen()}`);
        return performance.now() - t0;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    term.kill();
  }
}

function withLineLog(db: string): number {
  const t0 = performance.now();
  const r = spawnSync('node', [bin, ...args(db)], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (r.status !== 0) throw new Error(`explore --no-tui exited with ${r.status}: ${r.stderr}`);
  return performance.now() - t0;
}

const tui: number[] = [];
const plain: number[] = [];
for (let k = 0; k < rounds; k++) {
  // Alternate which goes first, so a drift in machine load hits both.
  if (k % 2 === 0) {
    tui.push(await withDashboard(path.join(dir, `t${k}.sqlite`)));
    plain.push(withLineLog(path.join(dir, `p${k}.sqlite`)));
  } else {
    plain.push(withLineLog(path.join(dir, `p${k}.sqlite`)));
    tui.push(await withDashboard(path.join(dir, `t${k}.sqlite`)));
  }
}
const min = (v: number[]) => Math.min(...v);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`explore, spiral CE 2-10-2, ${steps} steps, ${rounds} rounds each (wall time of the whole command, s)`);
console.log(`| mode | min | median |\n| dashboard (tmux) | ${(min(tui) / 1000).toFixed(2)} | ${(median(tui) / 1000).toFixed(2)} |\n| line log (pipe) | ${(min(plain) / 1000).toFixed(2)} | ${(median(plain) / 1000).toFixed(2)} |`);
console.log(`throughput cost of the dashboard: ${((min(tui) / min(plain) - 1) * 100).toFixed(1)} % (min), ${((median(tui) / median(plain) - 1) * 100).toFixed(1)} % (median); target ≤ 3 %`);

if (heapMinutes > 0) {
  const log = path.join(dir, 'heap.log');
  const db = path.join(dir, 'heap.sqlite');
  const term = startTerminal(['node', bin, 'explore', '--loss', 'sigmoid', '--steps', '1000000', '--time', String(heapMinutes), '--temperature', '0.01', '--step-size', '0.5', '--ts', '--db', db], {
    cwd: dir,
    columns: 120,
    rows: 40,
    env: { LOSSSCAPE_HEAP_LOG: log },
  });
  while (term.exitCode() === undefined) await new Promise((r) => setTimeout(r, 1000));
  term.kill();
  const rows = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
  // Skip the first minute: start-up allocations are not a trend.
  const steady = rows.filter(([t]) => t >= 60);
  const n = steady.length;
  const mt = steady.reduce((s, [t]) => s + t, 0) / n;
  const mh = steady.reduce((s, [, h]) => s + h, 0) / n;
  const slope = steady.reduce((s, [t, h]) => s + (t - mt) * (h - mh), 0) / steady.reduce((s, [t]) => s + (t - mt) ** 2, 0);
  const last = rows[rows.length - 1];
  console.log(`\nheap of the main thread over a ${heapMinutes}-minute run with the dashboard (sigmoid, transition states on): ${rows.length} samples`);
  console.log(`first ${(rows[0][1] / 2 ** 20).toFixed(1)} MiB, last ${(last[1] / 2 ** 20).toFixed(1)} MiB; slope after the first minute ${(slope * 3600 / 2 ** 20).toFixed(2)} MiB/hour (${n} samples)`);
  console.log(`dashboard: ${last[2]} frames, busy fraction ${(last[3] * 100).toFixed(2)} % of the main thread's wall time`);
}
rmSync(dir, { recursive: true, force: true });

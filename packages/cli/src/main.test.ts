// SPDX-License-Identifier: MIT
// The CLI in-process: exit codes, one-line errors, and a tiny exploration through every command.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '@lossscape/landscape';
import { runCli, type CliResult } from './test-utils/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lossscape-cli-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** A user error: exit 2, exactly one line on stderr, no stack trace. */
function expectUsageError(r: CliResult, pattern: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('lossscape (in-process)', () => {
  it('prints help with every command and exits 0', async () => {
    const r = await runCli(dir, '--help');
    expect(r.code).toBe(0);
    for (const c of ['explore', 'watch', 'report', 'graph', 'export', 'hessian', 'study', 'worker']) expect(r.out).toContain(c);
    const e = await runCli(dir, 'explore', '--help');
    expect(e.code).toBe(0);
    expect(e.out).toContain('--resume <db>');
  });

  it('rejects unknown commands, options and bad values with one line and exit 2', async () => {
    expectUsageError(await runCli(dir, 'explode'), /unknown command 'explode'/);
    expectUsageError(await runCli(dir, 'explore', '--bogus'), /unknown option '--bogus'/);
    expectUsageError(await runCli(dir, 'explore', '--chains', 'two'), /Expected a positive integer for --chains but received 'two'/);
    expectUsageError(await runCli(dir, 'explore', '--loss', 'logistic'), /--loss.*logistic/);
  });

  it('names the file and key of a bad config', async () => {
    const cfg = file('bad.json', JSON.stringify({ sampler: { stepz: 1 } }));
    expectUsageError(await runCli(dir, 'explore', '--config', cfg), /bad\.json: unknown key 'sampler\.stepz'/);
    const typed = file('typed.json', JSON.stringify({ l2: 'small' }));
    expectUsageError(await runCli(dir, 'explore', '--config', typed), /typed\.json: expected number for 'l2' but received 'small'/);
  });

  it('names the file, line and column of bad data', async () => {
    expectUsageError(await runCli(dir, 'explore', '--data', path.join(dir, 'missing.csv')), /missing\.csv/);
    const csv = file('bad.csv', 'a,b,label\n1,2,0\n3,oops,1\n');
    expectUsageError(await runCli(dir, 'explore', '--data', csv), /bad\.csv.*line 3/);
    expectUsageError(await runCli(dir, 'report', path.join(dir, 'none.sqlite')), /No such run database/);
    expectUsageError(await runCli(dir, 'report', csv), /bad\.csv/);
  });

  it('refuses a beta for a loss without one', async () => {
    expectUsageError(await runCli(dir, 'explore', '--loss', 'hinge', '--beta', '3', '--steps', '1', '--db', path.join(dir, 'x.sqlite')), /no beta for the hinge loss/);
  });

  // Real explorations: generous limits, since CI machines may be busy.
  describe('a tiny exploration through every command', { timeout: 180_000 }, () => {
    const db = path.join(dir, 'tiny.sqlite');
    const common = ['--hidden', '3', '--points-per-spiral', '30', '--temperature', '0.05', '--step-size', '0.6', '--no-tui'];

    it('explores, stores a manifest and minima with properties', async () => {
      const r = await runCli(dir, 'explore', ...common, '--steps', '4', '--ts', '--neighbours', '1', '--db', db);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/new minimum #1/);
      expect(r.out).toContain(`--resume`);
      const store = await openSqliteStore(db, { readonly: true });
      try {
        const manifest = await store.getManifest();
        expect(manifest?.config).toMatchObject({ model: { hidden: 3 }, loss: { kind: 'sigmoid' } });
        const minima = await store.minima();
        expect(minima.length).toBeGreaterThan(0);
        for (const m of minima) {
          expect(m.rmsGradient).toBeLessThanOrEqual(1e-10);
          expect(m.properties.testAuc).toBeGreaterThanOrEqual(0);
          expect(m.properties.flatCount).toBe(4); // H + 1 softmax flat directions at 2λ
        }
        expect(await store.integrityCheck()).toEqual(['ok']);
      } finally {
        await store.close();
      }
    });

    it('resumes with a larger budget and keeps what was stored', async () => {
      const before = JSON.parse((await runCli(dir, 'report', db, '--json')).out).statistics.minima as number;
      const r = await runCli(dir, 'explore', '--resume', db, '--steps', '6', '--no-tui');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/resumed at 4 quenches/);
      const after = JSON.parse((await runCli(dir, 'report', db, '--json')).out);
      expect(after.statistics.minima).toBeGreaterThanOrEqual(before);
      expect(after.quenches).toBe(6);
    });

    it('refuses to change the landscape on resume', async () => {
      expectUsageError(await runCli(dir, 'explore', '--resume', db, '--l2', '0.1'), /Expected the same 'l2'/);
    });

    it('reports as text, JSON and CSV', async () => {
      const text = await runCli(dir, 'report', db);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/best test AUC/);
      const csv = await runCli(dir, 'report', db, '--csv');
      expect(csv.out.split('\n')[0]).toBe('statistic,value');
      expect(csv.out).toMatch(/^minima,\d+$/m);
    });

    it('draws the graph as text, SVG and PNG', async () => {
      const text = await runCli(dir, 'graph', db, '--text');
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/minima/);
      const svg = path.join(dir, 'g.svg');
      expect((await runCli(dir, 'graph', db, '--out', svg)).code).toBe(0);
      expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      const png = path.join(dir, 'g.png');
      expect((await runCli(dir, 'graph', db, '--out', png)).code).toBe(0);
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      expectUsageError(await runCli(dir, 'graph', db, '--out', path.join(dir, 'g.gif')), /\.svg or \.png/);
    });

    it('exports CSV, JSON and PATHSAMPLE files', async () => {
      const csv = await runCli(dir, 'export', db, '--format', 'csv');
      const report = JSON.parse((await runCli(dir, 'report', db, '--json')).out);
      expect(csv.out.trim().split('\n')).toHaveLength(report.statistics.minima + 1);
      const json = JSON.parse((await runCli(dir, 'export', db, '--format', 'json')).out);
      expect(json.minima).toHaveLength(report.statistics.minima);
      const folder = path.join(dir, 'ps');
      expect((await runCli(dir, 'export', db, '--format', 'pathsample', '--out', folder)).code).toBe(0);
      for (const f of ['min.data', 'ts.data', 'points.min', 'points.ts']) expect(existsSync(path.join(folder, f))).toBe(true);
      expect(readFileSync(path.join(folder, 'min.data'), 'utf8').trim().split('\n')).toHaveLength(report.statistics.minima);
    });

    it('watches a finished run to its end', async () => {
      const r = await runCli(dir, 'watch', db, '--no-tui', '--interval', '0.05');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/new minimum #1/);
      expect(r.out).toMatch(/run finished/);
    });
  });
});

// PostgreSQL runs: CI (.ci/run) always sets LOSSSCAPE_TEST_PG; without a server these are skipped.
const pg = process.env.LOSSSCAPE_TEST_PG;
describe.runIf(pg !== undefined)('explore on PostgreSQL', { timeout: 180_000 }, () => {
  const common = ['--hidden', '3', '--points-per-spiral', '30', '--temperature', '0.05', '--step-size', '0.6', '--no-tui'];
  const schema = (tag: string) => `cli_${tag}_${process.pid}`;

  it('runs in one process on a schema, reports it, and refuses to overwrite it', async () => {
    const s = schema('single');
    const r = await runCli(dir, 'explore', ...common, '--steps', '3', '--db', pg!, '--schema', s);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`--schema ${s}`);
    const report = JSON.parse((await runCli(dir, 'report', pg!, '--schema', s, '--json')).out);
    expect(report.statistics.minima).toBeGreaterThan(0);
    expect(report.quenches).toBe(3);
    expectUsageError(await runCli(dir, 'explore', ...common, '--steps', '3', '--db', pg!, '--schema', s), /already holds one/);
  });

  it('plans a distributed run that a worker completes while explore follows it', async () => {
    const s = schema('dist');
    const [explore, worker] = await Promise.all([
      runCli(dir, 'explore', ...common, '--distributed', '--steps', '6', '--chains', '2', '--db', pg!, '--schema', s),
      runCli(dir, 'worker', '--db', pg!, '--schema', s, '--idle-exit', '10'),
    ]);
    expect(explore.code).toBe(0);
    expect(worker.code).toBe(0);
    expect(explore.out).toMatch(/Run finished/);
    const report = JSON.parse((await runCli(dir, 'report', pg!, '--schema', s, '--json')).out);
    expect(report.quenches).toBe(12);
  });

  it('rejects --schema with a SQLite file', async () => {
    expectUsageError(await runCli(dir, 'explore', '--db', path.join(dir, 'y.sqlite'), '--schema', 'x'), /postgres:\/\/ database/);
  });
});

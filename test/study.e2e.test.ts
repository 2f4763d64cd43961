// SPDX-License-Identifier: MIT
// `lossscape study --budget smoke` end to end with the built CLI: every landscape (CE, the five
// surrogates, the λ and β variants) runs a few quenches, the report folder is written, and the
// same command again resumes (nothing left to run) and rebuilds the report. A smoke budget only:
// the numbers mean nothing, the plumbing is what is tested.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@lossscape/landscape';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'packages/cli/dist/bin.js');
const dir = mkdtempSync(path.join(tmpdir(), 'lossscape-study-e2e-'));
const out = path.join(dir, 'study');

function study(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'study', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 280_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface StudyJson {
  dir: string;
  stopped: boolean;
  partial: boolean;
  findings: Array<{ id: string; verdict: string; reason: string }>;
  outcomes: Array<{ id: string; reason: string; complete: boolean; quenches: number }>;
  written: string[];
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lossscape study --budget smoke', () => {
  let first: StudyJson;

  it('runs every landscape and writes the report folder', () => {
    const r = study('--budget', 'smoke', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    first = JSON.parse(r.stdout) as StudyJson;
    expect(first.stopped).toBe(false);
    expect(first.partial).toBe(false);
    expect(first.outcomes.length).toBeGreaterThanOrEqual(6);
    for (const o of first.outcomes) expect(o, o.id).toMatchObject({ complete: true });
    expect(first.outcomes.map((o) => o.id)).toEqual(expect.arrayContaining(['main-ce-s1', 'main-sigmoid-s1', 'main-tanh-s1', 'main-hinge-s1', 'main-exp-s1', 'main-quad-s1']));
    expect(first.findings).toHaveLength(8);
    // One seed and a few quenches: nothing can be concluded, and the report says so.
    for (const f of first.findings) expect(f.verdict, f.id).toBe('not tested');
    for (const file of ['REPORT.md', 'study.json', 'findings.csv', 'table1.csv', 'table4-lambda.csv', 'ablation-beta.csv', 'mapping.csv', 'report.json', 'figures/fig-minima.png', 'figures/fig4-energy-vs-test-auc.svg', 'figures/fig-disconnectivity-sigmoid.svg']) {
      expect(existsSync(path.join(out, file)), file).toBe(true);
    }
    const report = readFileSync(path.join(out, 'REPORT.md'), 'utf8');
    expect(report).toContain('## Findings');
    expect(report).toContain('**Table 1**');
    expect(report).toContain('## Table 4: test AUC against λ');
    expect(report).toContain('sigmoid landscape at 2β');
    // Every sigmoid minimum (up to the cap) was quenched in the CE landscape of its seed.
    const mapping = readFileSync(path.join(out, 'mapping.csv'), 'utf8').trim().split('\n');
    const header = mapping[0].split(',');
    expect(mapping.length).toBeGreaterThan(1);
    for (const row of mapping.slice(1)) {
      const cells = Object.fromEntries(row.split(',').map((v, i) => [header[i], v]));
      expect(cells.sigmoid_landscape).toBe('main-sigmoid-s1');
      expect(cells.ce_landscape).toBe('main-ce-s1');
      expect(Number(cells.ce_value_at_sigmoid_minimum)).toBeGreaterThan(0);
    }
  });

  it('--report-only rebuilds the report without sampling and maps what is unmapped; --no-mapping leaves the mappings as stored', async () => {
    // Make every sigmoid minimum look mapped against another landscape (so it needs mapping again).
    const store = await openSqliteStore(path.join(out, 'landscapes', 'main-sigmoid-s1.sqlite'));
    try {
      for (const m of await store.minima()) await store.updateMinimumProperties(m.id, { extra: { ...m.properties.extra, 'ceMap.landscape': 'elsewhere' } });
    } finally {
      await store.close();
    }
    const landscapes = () =>
      readFileSync(path.join(out, 'mapping.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((row) => row.split(',')[5]);
    const skip = study('--out', out, '--report-only', '--no-mapping', '--json');
    expect(skip.code, skip.stderr).toBe(0);
    expect((JSON.parse(skip.stdout) as StudyJson).outcomes).toEqual([]);
    expect(new Set(landscapes())).toEqual(new Set(['elsewhere'])); // not remapped
    const remap = study('--out', out, '--report-only', '--json');
    expect(remap.code, remap.stderr).toBe(0);
    expect(new Set(landscapes())).toEqual(new Set(['main-ce-s1'])); // remapped against its CE landscape
    const manifest = JSON.parse(readFileSync(path.join(out, 'study.json'), 'utf8')) as { sessions: unknown[] };
    expect(manifest.sessions).toHaveLength(1); // a report-only rebuild is not a sampling session
  });

  it('the same command again resumes every database (nothing left to run) and rebuilds the report', () => {
    const r = study('--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const again = JSON.parse(r.stdout) as StudyJson;
    for (const o of again.outcomes) expect(o.reason, o.id).toBe('skipped');
    expect(again.outcomes.map((o) => o.quenches)).toEqual(first.outcomes.map((o) => o.quenches));
    const manifest = JSON.parse(readFileSync(path.join(out, 'study.json'), 'utf8')) as { sessions: unknown[]; smoke: boolean };
    expect(manifest.sessions).toHaveLength(2);
    expect(manifest.smoke).toBe(true);
  });

  it('bad input is one line and exit code 2', () => {
    const r = study('--dataset', 'no-such.csv', '--out', path.join(dir, 'other'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--dataset but received 'no-such.csv'/);
    const wrong = study('--dataset', 'credit', '--out', out, '--report-only');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/same data set/);
  });
});

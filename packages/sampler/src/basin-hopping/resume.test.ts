// SPDX-License-Identifier: MIT
// Kill -9 and resume with real processes: a child runs basin-hopping on LJ13 into a SQLite
// database from the built packages; we kill it mid-run (twice), check the file, resume, and
// compare with an uninterrupted run of the same seed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type MinimumRecord, type SqliteStore } from '@lossscape/landscape';
import { ensureBuilt } from '../test-utils/ensure-built.js';
import { chainCheckpointKey } from './basin-hopping.js';
import type { ChainCheckpoint } from './chain.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = resolve(here, '../../test/fixtures/basin-hopping-child.mjs');
const dir = mkdtempSync(join(tmpdir(), 'lossscape-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STEPS = 400;

interface ChildLine {
  type: string;
  id?: number;
  energy?: number;
  resumedQuenches?: number;
  resumedMinima?: number;
  totalQuenches?: number;
}

/** Runs the child; with `killAfter`, SIGKILLs it once that many new minima were reported. */
function runChild(db: string, resume: boolean, killAfter?: number): Promise<{ lines: ChildLine[]; killed: boolean }> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, [child, db, String(STEPS), resume ? '1' : '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: ChildLine[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffer.slice(0, nl)) as ChildLine);
        buffer = buffer.slice(nl + 1);
      }
      if (killAfter !== undefined && !killed && lines.filter((l) => l.type === 'minimum-added').length >= killAfter) {
        killed = true;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', fail);
    proc.on('close', (code, signal) => {
      if (killed && signal === 'SIGKILL') done({ lines, killed });
      else if (code === 0) done({ lines, killed });
      else fail(new Error(`child exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

async function inspect(db: string): Promise<{ minima: MinimumRecord[]; checkpoint: ChainCheckpoint | undefined; integrity: string[] }> {
  const store: SqliteStore = await openSqliteStore(db);
  try {
    return { minima: await store.minima(), checkpoint: await store.loadCheckpoint<ChainCheckpoint>(chainCheckpointKey(0)), integrity: await store.integrityCheck() };
  } finally {
    await store.close();
  }
}

const signature = (m: MinimumRecord) => [m.id, m.energy, m.hits, m.firstStep, m.chain, Array.from(m.coordinates)];

describe('kill -9 and resume (child processes on the built packages)', () => {
  beforeAll(() => {
    for (const name of ['numeric', 'landscape', 'sampler']) ensureBuilt(name);
  }, 240_000);

  it('keeps every committed minimum, leaves an intact file, and resumes to the uninterrupted result', async () => {
    const reference = join(dir, 'reference.sqlite');
    const interrupted = join(dir, 'interrupted.sqlite');
    const full = await runChild(reference, false);
    expect(full.lines.at(-1)).toMatchObject({ type: 'run-finished', totalQuenches: STEPS });

    let seen = 0;
    let resume = false;
    for (const killAfter of [6, 10]) {
      const run = await runChild(interrupted, resume, killAfter);
      expect(run.killed).toBe(true);
      const started = run.lines[0];
      expect(started.type).toBe('run-started');
      const reported = run.lines.filter((l) => l.type === 'minimum-added');
      const after = await inspect(interrupted);
      expect(after.integrity).toEqual(['ok']);
      // Every minimum the child announced (after its commit) is in the file, unchanged.
      for (const r of reported) expect(after.minima[r.id! - 1]).toMatchObject({ id: r.id, energy: r.energy });
      expect(after.minima.length).toBeGreaterThanOrEqual(seen + reported.length);
      // The checkpoint was committed with the last stored minimum: hits never exceed converged quenches.
      expect(after.checkpoint).toBeDefined();
      expect(after.minima.reduce((s, m) => s + m.hits, 0)).toBe(after.checkpoint!.converged);
      if (resume) {
        expect(started.resumedQuenches).toBeGreaterThan(0);
        expect(started.resumedMinima).toBe(seen);
      }
      seen = after.minima.length;
      resume = true;
    }

    const last = await runChild(interrupted, true);
    expect(last.lines[0]).toMatchObject({ type: 'run-started', resumedMinima: seen });
    expect(last.lines.at(-1)).toMatchObject({ type: 'run-finished', totalQuenches: STEPS });
    const a = await inspect(reference);
    const b = await inspect(interrupted);
    expect(b.integrity).toEqual(['ok']);
    expect(b.minima.map(signature)).toEqual(a.minima.map(signature));
    expect(b.checkpoint!.step).toBe(STEPS);

    const curves = await Promise.all(
      [reference, interrupted].map(async (db) => {
        const s = await openSqliteStore(db, { readonly: true });
        try {
          return (await s.discoveryCurve()).map((p) => [p.quenches, p.distinctMinima]);
        } finally {
          await s.close();
        }
      }),
    );
    expect(curves[1]).toEqual(curves[0]);
  }, 120_000);
});

// SPDX-License-Identifier: MIT
// Resumability: a tiny study landscape is stopped mid-run and run again; its database and quench
// log continue from the checkpoint. Runs the real engine on a task thread (packages/cli/dist).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@lossscape/landscape';
import type { SamplerEvent } from '@lossscape/sampler';
import { CALIBRATION_KEY } from '../engine/explore.js';
import { buildStudyReport } from './run-study.js';
import { planManifest, writeStudyManifest } from './manifest.js';
import { landscapeConfig, SMOKE_BUDGET, type LandscapeSpec } from './plan.js';
import { foldWriteAheadLog, readQuenchLog, runLandscapes, storedQuenches, type LandscapeJob, type StudyRunEvent } from './runner.js';

const STEPS = 6;
let dir: string;

function job(spec: LandscapeSpec, extra: Partial<LandscapeJob> = {}): LandscapeJob {
  return {
    spec,
    index: 1,
    total: 1,
    dbPath: path.join(dir, 'landscapes', `${spec.id}.sqlite`),
    logPath: path.join(dir, 'landscapes', `${spec.id}.quenches.csv`),
    config: landscapeConfig(spec, { kind: 'spiral' }, SMOKE_BUDGET),
    ...extra,
  };
}

const ce1: LandscapeSpec = { id: 'main-ce-s1', group: 'main', loss: 'ce', l2: 1e-5, seed: 1, steps: STEPS, transitionStates: false };
const ce2: LandscapeSpec = { ...ce1, id: 'main-ce-s2', seed: 2 };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lossscape-study-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a study landscape resumes from its database', () => {
  let firstQuenches = 0;
  let firstMinima: Array<{ id: number; energy: number }> = [];

  it('stops cleanly when asked, partway', async () => {
    const controller = new AbortController();
    const events: StudyRunEvent[] = [];
    const outcomes = await runLandscapes([job(ce1)], dir, {
      lanes: 1,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'landscape-event' && e.event.type === 'quench' && e.event.step === 1) controller.abort();
      },
    });
    expect(outcomes).toHaveLength(1);
    const o = outcomes[0];
    expect(o.complete).toBe(false);
    expect(o.reason).toBe('aborted');
    expect(o.quenches).toBeGreaterThanOrEqual(2);
    expect(o.quenches).toBeLessThan(STEPS);
    expect(events[0]).toMatchObject({ type: 'landscape-started', resumedQuenches: 0 });
    firstQuenches = await storedQuenches(job(ce1).dbPath);
    expect(firstQuenches).toBe(o.quenches);
    const log = readQuenchLog(job(ce1).logPath);
    expect(log.map((e) => e.step)).toEqual(Array.from({ length: firstQuenches }, (_, i) => i));
    const store = await openSqliteStore(job(ce1).dbPath, { readonly: true });
    firstMinima = (await store.minima()).map((m) => ({ id: m.id, energy: m.energy }));
    await store.close();
    expect(firstMinima.length).toBeGreaterThan(0);
  });

  it('the same job again continues to its step budget, keeping what was found', async () => {
    const events: StudyRunEvent[] = [];
    const [o] = await runLandscapes([job(ce1)], dir, { lanes: 1, onEvent: (e) => events.push(e) });
    expect(events[0]).toMatchObject({ type: 'landscape-started', resumedQuenches: firstQuenches });
    const started = events.find((e): e is Extract<StudyRunEvent, { type: 'landscape-event' }> => e.type === 'landscape-event' && e.event.type === 'run-started');
    expect((started!.event as Extract<SamplerEvent, { type: 'run-started' }>).resumedQuenches).toBe(firstQuenches);
    expect(o).toMatchObject({ complete: true, reason: 'steps', quenches: STEPS, sessionQuenches: STEPS - firstQuenches });
    const log = readQuenchLog(job(ce1).logPath);
    expect(log.map((e) => e.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i));
    for (const e of log) expect(e.iterations).toBeGreaterThan(0);
    const store = await openSqliteStore(job(ce1).dbPath, { readonly: true });
    const minima = await store.minima();
    await store.close();
    for (const m of firstMinima) expect(minima.find((x) => x.id === m.id)?.energy).toBe(m.energy);
  });

  it('a complete landscape is skipped', async () => {
    const [o] = await runLandscapes([job(ce1)], dir, { lanes: 1 });
    expect(o).toMatchObject({ reason: 'skipped', complete: true, quenches: STEPS, sessionQuenches: 0 });
  });

  it('another seed starts from the seed-1 calibration instead of its own', async () => {
    const s1 = await openSqliteStore(job(ce1).dbPath);
    await s1.saveCheckpoint(CALIBRATION_KEY, { temperature: 0.123, stepSize: 0.456, calibrated: true });
    await s1.close();
    let temperature: number | undefined;
    const [o] = await runLandscapes([job({ ...ce2, steps: 1 }, { calibrationSource: job(ce1).dbPath })], dir, {
      lanes: 1,
      onEvent: (e) => {
        if (e.type === 'landscape-event' && e.event.type === 'run-started') temperature = e.event.temperature;
      },
    });
    expect(o.complete).toBe(true);
    expect(temperature).toBe(0.123);
  });

  it('the report of a partial study says so', async () => {
    const base = planManifest(undefined, { preset: 'quick', smoke: true, dataset: { kind: 'spiral' }, budget: SMOKE_BUDGET });
    const manifest = { ...base, landscapes: base.landscapes.map((e) => (e.spec.id === ce1.id ? { ...e, spec: { ...e.spec, steps: STEPS } } : e)) };
    writeStudyManifest(dir, manifest);
    const { written, manifest: reported } = await buildStudyReport(dir, manifest, { png: false });
    expect(reported.landscapes.find((e) => e.spec.id === ce1.id)!.complete).toBe(true);
    expect(reported.landscapes.filter((e) => e.complete)).toHaveLength(1);
    expect(written).toEqual(expect.arrayContaining(['REPORT.md', 'findings.csv', 'table1.csv', 'report.json', 'figures/fig-minima.svg']));
    expect(existsSync(path.join(dir, 'REPORT.md'))).toBe(true);
    expect(readFileSync(path.join(dir, 'REPORT.md'), 'utf8')).toMatch(/\*\*PARTIAL\*\*: 1 of \d+ landscapes/);
  });
});

describe('foldWriteAheadLog', () => {
  it('moves the commits a process left in the WAL (it exited without closing) into the database file', async () => {
    const db = path.join(dir, 'unclosed.sqlite');
    // A writer that exits without closing its connection, as a terminated landscape thread does.
    const script = `import { openSqliteStore } from '@lossscape/landscape';
      const s = await openSqliteStore(${JSON.stringify(db)});
      for (let i = 0; i < 3; i++) await s.addMinimum({ energy: i, coordinates: Float64Array.of(i), rmsGradient: 0, step: i, chain: 0 }, { energyTolerance: 1e-9 });
      process.exit(0);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.dirname(new URL(import.meta.url).pathname), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(`${db}-wal`).size).toBeGreaterThan(0);
    const countIn = async (file: string) => {
      const s = await openSqliteStore(file, { readonly: true });
      try {
        return await s.minimumCount();
      } finally {
        await s.close();
      }
    };
    // The main file alone (as a copy or a commit would take it) does not hold them yet: here not even the schema.
    copyFileSync(db, path.join(dir, 'alone-before.sqlite'));
    await expect(countIn(path.join(dir, 'alone-before.sqlite'))).rejects.toThrow(/received an empty database/);
    await foldWriteAheadLog(db);
    expect(existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0).toBe(0);
    copyFileSync(db, path.join(dir, 'alone-after.sqlite'));
    expect(await countIn(path.join(dir, 'alone-after.sqlite'))).toBe(3);
    await foldWriteAheadLog(path.join(dir, 'no-such.sqlite')); // no log, no file: nothing to do
    expect(existsSync(path.join(dir, 'no-such.sqlite'))).toBe(false);
  });
});

// SPDX-License-Identifier: MIT
/**
 * One `lossscape study` session: plan (or grow) the study in its folder, run every landscape
 * that has not reached its budget, map the sigmoid minima into the CE landscape, and rebuild the
 * report from the databases. Stopping (the signal) leaves every database resumable; the report
 * is rebuilt from what exists and says it is partial.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createRng } from '@lossscape/numeric';
import { UsageError } from '../errors.js';
import { prepareRunFromManifest } from '../engine/run.js';
import { createRunPotential } from '../engine/potential-factory.js';
import type { LandscapeData } from './analysis.js';
import { analyseStudy } from './analysis.js';
import { readStudyData } from './collect.js';
import { assessFindings, type Finding } from './findings.js';
import { studyFigures } from './figures.js';
import { mapSigmoidIntoCe, type MappingProgress } from './mapping.js';
import { planManifest, readStudyManifest, sameDataset, sessionStart, writeStudyManifest, type LandscapeEntry, type StudyManifest } from './manifest.js';
import { landscapeConfig, studyBudget, type StudyDataset, type StudyPresetName } from './plan.js';
import { csvTable, nearestNeighbourBaseline, writeStudyReport, type SettingFacts } from './report.js';
import { foldWriteAheadLog, runLandscapes, type LandscapeJob, type LandscapeOutcome, type StudyControl, type StudyRunEvent } from './runner.js';

export interface StudyRequest {
  /** Study folder (created if absent). */
  readonly dir: string;
  /** Default: the folder's stored preset, else quick. */
  readonly preset?: StudyPresetName;
  readonly smoke?: boolean;
  /** Default: the folder's stored data set, else the spirals. */
  readonly dataset?: StudyDataset;
  readonly seeds?: number;
  /** Landscapes at a time (default one per core). */
  readonly lanes?: number;
  /** Only rebuild the report from the databases (no sampling; the mapping still maps minima not yet mapped). */
  readonly reportOnly?: boolean;
  /** Quench the sigmoid minima not yet mapped in the CE landscape before the report (default true). */
  readonly mapping?: boolean;
  /** Write PNG copies of the figures (default true). */
  readonly png?: boolean;
  /** Recorded in the session entry. */
  readonly argv?: readonly string[];
}

export interface StudyHooks {
  readonly signal?: AbortSignal;
  readonly onRunEvent?: (event: StudyRunEvent) => void;
  readonly onControl?: (control: StudyControl) => void;
  /** Phases after sampling: "mapping", "report". */
  readonly onPhase?: (message: string) => void;
  readonly onMapping?: (p: MappingProgress) => void;
}

export interface StudyResult {
  readonly dir: string;
  readonly manifest: StudyManifest;
  readonly outcomes: readonly LandscapeOutcome[];
  readonly findings: readonly Finding[];
  readonly written: readonly string[];
  readonly stopped: boolean;
  readonly partial: boolean;
}

function jobsOf(manifest: StudyManifest, dir: string): LandscapeJob[] {
  const total = manifest.landscapes.length;
  const byId = new Map(manifest.landscapes.map((e) => [e.spec.id, e]));
  return manifest.landscapes.map((e, i) => {
    // Calibration (8–32 quenches) is done once per loss, by its main landscape of seed 1; the
    // other seeds and the λ / β variants of that loss start from its temperature and step size.
    const seedOne = e.spec.group !== 'main' || e.spec.seed > 1 ? byId.get(`main-${e.spec.loss}-s1`) : undefined;
    return {
      spec: e.spec,
      index: i + 1,
      total,
      dbPath: path.join(dir, e.db),
      logPath: path.join(dir, e.log),
      config: landscapeConfig(e.spec, manifest.dataset, manifest.budget),
      ...(seedOne ? { calibrationSource: path.join(dir, seedOne.db) } : {}),
    };
  });
}

/** Facts about the setting, from a main landscape's manifest (the data re-created exactly). */
export function settingFacts(data: readonly LandscapeData[]): SettingFacts | undefined {
  const first = data.find((d) => d.spec.group === 'main' && d.manifest) ?? data.find((d) => d.manifest);
  if (!first?.manifest) return undefined;
  const run = prepareRunFromManifest(first.manifest, first.spec.id);
  const { train, test } = run.dataset;
  const counts = (labels: Int32Array, classes: number) => {
    const c = new Array<number>(classes).fill(0);
    for (const l of labels) c[l]++;
    return c;
  };
  const model = run.model;
  const weights = model.hidden * model.inputs + model.hidden + model.classes * model.hidden + model.classes;
  const commits = [...new Set(data.map((d) => d.manifest?.gitCommit).filter((c): c is string => c !== undefined))];
  const s = run.config.sampler;
  return {
    dataLabel: run.dataLabel,
    network: `${model.inputs}-${model.hidden}-${model.classes} (${weights} weights)`,
    classCounts: { train: counts(train.labels, model.classes), test: counts(test.labels, model.classes) },
    nearestNeighbour: nearestNeighbourBaseline(train, test, run.config.loss.positiveClass),
    calibrations: data.filter((d) => d.calibration).map((d) => ({ id: d.spec.id, ...d.calibration! })),
    gitCommits: commits,
    packageVersions: first.manifest.packageVersions,
    backends: first.manifest.backends,
    lbfgsMemory: s.lbfgsMemory,
    gradientTolerance: s.gradientTolerance,
    energyTolerance: run.config.duplicates.energyTolerance,
    distanceTolerance: run.config.duplicates.distanceTolerance,
  };
}

/** Rebuilds the report folder from the databases; returns the findings and the files written. */
export async function buildStudyReport(dir: string, stored: StudyManifest, options: { png?: boolean; signal?: AbortSignal } = {}): Promise<{ findings: Finding[]; written: string[]; manifest: StudyManifest }> {
  const data = await readStudyData(dir, stored.landscapes);
  // Completion as the databases say now (another session may be running beside a --report-only).
  const quenches = new Map(data.map((d) => [d.spec.id, d.quenches]));
  const manifest: StudyManifest = {
    ...stored,
    landscapes: stored.landscapes.map((e) => ({ ...e, quenches: quenches.get(e.spec.id) ?? 0, complete: (quenches.get(e.spec.id) ?? 0) >= e.spec.steps })),
  };
  const setting = settingFacts(data);
  const sameSource = data.find((d) => d.manifest);
  const potential = sameSource?.manifest ? createRunPotential(prepareRunFromManifest(sameSource.manifest, sameSource.spec.id).potentialArgs) : undefined;
  const energyTolerance = setting?.energyTolerance ?? 1e-9;
  const analysis = analyseStudy(data, {
    lambdaGrid: manifest.lambdaGrid,
    betaGrid: manifest.betaGrid,
    variantSteps: manifest.budget.variantSteps,
    ...(potential ? { same: (a: Float64Array, b: Float64Array) => potential.sameMinimum(a, b) } : {}),
    energyTolerance,
    rng: createRng(0x57d1),
    resamples: manifest.budget.bootstrapResamples,
  });
  const findings = assessFindings(analysis.findingInputs, { rng: createRng(0xf1d), resamples: manifest.budget.bootstrapResamples });
  const figures = studyFigures(analysis, data);
  const written = await writeStudyReport(
    dir,
    {
      manifest,
      analysis,
      findings,
      figures,
      setting: setting ?? {
        dataLabel: manifest.dataset.kind,
        network: '?',
        calibrations: [],
        gitCommits: [],
        lbfgsMemory: NaN,
        gradientTolerance: NaN,
        energyTolerance,
        distanceTolerance: NaN,
      },
      generatedAt: new Date().toISOString(),
    },
    figures,
    options,
  );
  writeFileSync(
    path.join(dir, 'discovery.csv'),
    csvTable(
      ['landscape', 'quenches', 'distinct_minima_stored', 'elapsed_ms'],
      data.filter((d) => d.spec.group === 'main').flatMap((d) => d.discovery.map((p) => [d.spec.id, p.quenches, p.distinctMinima, Math.round(p.elapsedMs)])),
    ),
  );
  written.push('discovery.csv');
  return { findings, written, manifest };
}

function updateEntries(manifest: StudyManifest, outcomes: readonly LandscapeOutcome[]): LandscapeEntry[] {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  return manifest.landscapes.map((e) => {
    const o = byId.get(e.spec.id);
    return o ? { ...e, quenches: o.quenches, minima: o.minima, transitionStates: o.transitionStates, complete: o.complete } : e;
  });
}

export async function runStudy(request: StudyRequest, cwd: string, hooks: StudyHooks = {}): Promise<StudyResult> {
  const dir = path.resolve(cwd, request.dir);
  const stored = readStudyManifest(dir);
  if (request.reportOnly && !stored) throw new UsageError(`Expected a study folder (with study.json) for --report-only but ${request.dir} has none`);
  if (!stored && existsSync(dir) && !existsSync(path.join(dir, 'landscapes')) && readdirSync(dir).length > 0) {
    throw new UsageError(`Expected an empty or study folder for --out but ${request.dir} holds other files`);
  }
  if (stored && request.dataset && !sameDataset(stored.dataset, request.dataset)) {
    throw new UsageError(`Expected the same data set as the study in ${request.dir} (${JSON.stringify(stored.dataset)}) but received ${JSON.stringify(request.dataset)}`);
  }
  const preset = request.preset ?? stored?.preset ?? 'quick';
  // Without --budget smoke or --preset, a study continues as it was (smoke or not).
  const smoke = request.smoke ?? (request.preset === undefined ? (stored?.smoke ?? false) : false);
  const dataset = request.dataset ?? stored?.dataset ?? { kind: 'spiral' };
  const budget = studyBudget(preset, dataset.kind, { smoke, ...(request.seeds !== undefined ? { seeds: request.seeds } : {}) });
  let manifest = request.reportOnly && stored ? stored : planManifest(stored, { preset, smoke, dataset, budget });
  mkdirSync(path.join(dir, 'landscapes'), { recursive: true });
  let outcomes: LandscapeOutcome[] = [];
  const lanes = Math.max(1, request.lanes ?? availableParallelism());
  if (!request.reportOnly) {
    const session = sessionStart(preset, smoke, lanes, request.argv ?? []);
    manifest = { ...manifest, sessions: [...manifest.sessions, session] };
    writeStudyManifest(dir, manifest);
    const t0 = performance.now();
    try {
      outcomes = await runLandscapes(jobsOf(manifest, dir), cwd, {
        lanes,
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        ...(hooks.onRunEvent ? { onEvent: hooks.onRunEvent } : {}),
        ...(hooks.onControl ? { onControl: hooks.onControl } : {}),
      });
    } finally {
      const sessions = manifest.sessions.slice(0, -1);
      manifest = {
        ...manifest,
        updatedAt: new Date().toISOString(),
        landscapes: updateEntries(manifest, outcomes),
        sessions: [
          ...sessions,
          {
            ...session,
            endedAt: new Date().toISOString(),
            wallSeconds: (performance.now() - t0) / 1000,
            quenches: outcomes.reduce((n, o) => n + o.sessionQuenches, 0),
            landscapesRun: outcomes.filter((o) => o.reason !== 'skipped').length,
            stopped: hooks.signal?.aborted ?? false,
          },
        ],
      };
      writeStudyManifest(dir, manifest);
    }
  }
  // The mapping is incremental (only minima not mapped yet, or whose CE minimum was unknown and the
  // CE database has grown), so it runs after any session that was not stopped, and in --report-only.
  if (request.mapping !== false && !hooks.signal?.aborted) {
    hooks.onPhase?.('mapping the sigmoid minima into the CE landscape');
    await mapSigmoidIntoCe(dir, manifest.landscapes, { cap: manifest.budget.mappingCap, ...(hooks.signal ? { signal: hooks.signal } : {}), ...(hooks.onMapping ? { onProgress: hooks.onMapping } : {}) });
  }
  for (const e of manifest.landscapes) await foldWriteAheadLog(path.join(dir, e.db));
  hooks.onPhase?.('building the report');
  const { findings, written, manifest: reported } = await buildStudyReport(dir, manifest, { png: request.png !== false });
  return {
    dir,
    manifest: reported,
    outcomes,
    findings,
    written,
    stopped: hooks.signal?.aborted ?? false,
    partial: reported.landscapes.some((e) => !e.complete),
  };
}

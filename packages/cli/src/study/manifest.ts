// SPDX-License-Identifier: MIT
/**
 * The study manifest (`study.json` in the study folder): the data set, the budget, every
 * landscape with its database and quench log (paths relative to the folder, so it can be moved
 * or committed), and one entry per session. A study folder only grows: running it again with a
 * larger preset or more seeds adds landscapes and raises step targets, never lowers them.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { planStudy, type GridPoint, type LandscapeSpec, type StudyBudget, type StudyDataset, type StudyPresetName } from './plan.js';

export const STUDY_MANIFEST = 'study.json';
export const STUDY_MANIFEST_VERSION = 1;

export interface LandscapeEntry {
  readonly spec: LandscapeSpec;
  /** Relative to the study folder. */
  readonly db: string;
  readonly log: string;
  /** As of the last session that ran it. */
  readonly quenches: number;
  readonly minima: number;
  readonly transitionStates: number;
  readonly complete: boolean;
}

export interface StudySession {
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly preset: StudyPresetName;
  readonly smoke: boolean;
  /** Landscapes run at a time. */
  readonly lanes: number;
  readonly argv: readonly string[];
  readonly cores: number;
  readonly wallSeconds?: number;
  /** Quenches done by this session over all landscapes. */
  readonly quenches?: number;
  readonly landscapesRun?: number;
  readonly stopped?: boolean;
}

export interface StudyManifest {
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly preset: StudyPresetName;
  readonly smoke: boolean;
  readonly dataset: StudyDataset;
  /** The largest budget asked for so far (step targets never shrink). */
  readonly budget: StudyBudget;
  readonly landscapes: readonly LandscapeEntry[];
  readonly lambdaGrid: readonly GridPoint[];
  readonly betaGrid: readonly GridPoint[];
  readonly sessions: readonly StudySession[];
}

export function readStudyManifest(dir: string): StudyManifest | undefined {
  const file = path.join(dir, STUDY_MANIFEST);
  if (!existsSync(file)) return undefined;
  let parsed: StudyManifest;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as StudyManifest;
  } catch (cause) {
    throw new UsageError(`Expected JSON in ${file} but it does not parse: ${(cause as Error).message}`, { cause });
  }
  if (parsed?.version !== STUDY_MANIFEST_VERSION || !Array.isArray(parsed.landscapes)) {
    throw new UsageError(`Expected a version-${STUDY_MANIFEST_VERSION} study manifest in ${file} but received version ${String(parsed?.version)}`);
  }
  return parsed;
}

/** Writes atomically (a killed process leaves the old or the new file, never half of one). */
export function writeStudyManifest(dir: string, manifest: StudyManifest): void {
  const file = path.join(dir, STUDY_MANIFEST);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(tmp, file);
}

export function sameDataset(a: StudyDataset, b: StudyDataset): boolean {
  return a.kind === b.kind && (a.path ?? '') === (b.path ?? '') && (a.label ?? '') === (b.label ?? '');
}

const union = (a: readonly number[], b: readonly number[]) => [...new Set([...a, ...b])].sort((x, y) => x - y);

/** The larger of two budgets, field by field (grids united). */
export function mergeBudgets(a: StudyBudget, b: StudyBudget): StudyBudget {
  return {
    seeds: Math.max(a.seeds, b.seeds),
    mainSteps: Math.max(a.mainSteps, b.mainSteps),
    variantSteps: Math.max(a.variantSteps, b.variantSteps),
    transitionStates: {
      neighbours: Math.max(a.transitionStates.neighbours, b.transitionStates.neighbours),
      maxAttempts: Math.max(a.transitionStates.maxAttempts, b.transitionStates.maxAttempts),
    },
    sessionMinutes: b.sessionMinutes,
    mappingCap: Math.max(a.mappingCap, b.mappingCap),
    bootstrapResamples: Math.max(a.bootstrapResamples, b.bootstrapResamples),
    lambdas: union(a.lambdas, b.lambdas),
    sigmoidBetas: union(a.sigmoidBetas, b.sigmoidBetas),
    expBetas: union(a.expBetas, b.expBetas),
    // Calibration is skipped only while every session asked for it (smoke runs).
    ...(a.fixedSampler && b.fixedSampler ? { fixedSampler: b.fixedSampler } : {}),
  };
}

export function landscapeFiles(spec: LandscapeSpec): { db: string; log: string } {
  return { db: `landscapes/${spec.id}.sqlite`, log: `landscapes/${spec.id}.quenches.csv` };
}

/**
 * The manifest for this session: a fresh one, or the stored one grown to `budget` (same data set
 * required; a stored landscape keeps the larger of its old and new step targets).
 */
export function planManifest(
  stored: StudyManifest | undefined,
  request: { preset: StudyPresetName; smoke: boolean; dataset: StudyDataset; budget: StudyBudget },
  now = new Date().toISOString(),
): StudyManifest {
  if (stored && !sameDataset(stored.dataset, request.dataset)) {
    throw new UsageError(`Expected the same data set as the study in this folder (${JSON.stringify(stored.dataset)}) but received ${JSON.stringify(request.dataset)}`);
  }
  const budget = stored ? mergeBudgets(stored.budget, request.budget) : request.budget;
  const plan = planStudy(budget);
  const old = new Map((stored?.landscapes ?? []).map((e) => [e.spec.id, e]));
  const landscapes: LandscapeEntry[] = plan.landscapes.map((spec) => {
    const prev = old.get(spec.id);
    old.delete(spec.id);
    const merged = prev ? { ...spec, steps: Math.max(spec.steps, prev.spec.steps) } : spec;
    return prev
      ? { ...prev, spec: merged, complete: prev.quenches >= merged.steps }
      : { spec, ...landscapeFiles(spec), quenches: 0, minima: 0, transitionStates: 0, complete: false };
  });
  // Landscapes of an earlier, larger plan stay part of the study.
  landscapes.push(...old.values());
  const grid = (a: readonly GridPoint[], b: readonly GridPoint[]) => {
    const seen = new Map<string, GridPoint>();
    for (const g of [...a, ...b]) seen.set(`${g.loss}:${g.value}`, g);
    return [...seen.values()].sort((x, y) => (x.loss === y.loss ? x.value - y.value : x.loss < y.loss ? -1 : 1));
  };
  return {
    version: STUDY_MANIFEST_VERSION,
    createdAt: stored?.createdAt ?? now,
    updatedAt: now,
    preset: request.preset,
    smoke: request.smoke && (stored?.smoke ?? true),
    dataset: request.dataset,
    budget,
    landscapes,
    lambdaGrid: grid(stored?.lambdaGrid ?? [], plan.lambdaGrid),
    betaGrid: grid(stored?.betaGrid ?? [], plan.betaGrid),
    sessions: stored?.sessions ?? [],
  };
}

export function sessionStart(preset: StudyPresetName, smoke: boolean, lanes: number, argv: readonly string[]): StudySession {
  return { startedAt: new Date().toISOString(), preset, smoke, lanes, argv, cores: availableParallelism() };
}

// SPDX-License-Identifier: MIT
/**
 * What a study runs: its presets (budgets) and the list of landscapes — CE and every surrogate
 * on the same network, data split and budget, several sampler seeds each (the main
 * landscapes), plus the λ grid (table 4) and the β grids for sigmoid and exp (figures 6, 7).
 * Pure data: the runner turns each landscape into an `explore` config and a database.
 */
import { exploreConfigSchema, lossDefaults, type ExploreConfig, type LossKind } from '../config/schema.js';

export const STUDY_LOSSES: readonly LossKind[] = ['ce', 'sigmoid', 'tanh', 'hinge', 'exp', 'quad'];
/** The appAUC surrogates (everything but CE). */
export const SURROGATES: readonly LossKind[] = ['sigmoid', 'tanh', 'hinge', 'exp', 'quad'];

/** DESIGN.md ablation grids. */
export const LAMBDA_GRID = [1e-1, 1e-3, 1e-5, 1e-7, 1e-9] as const;
export const SIGMOID_BETA_GRID = [1, 2, 5, 10, 20, 40, 80, 160] as const;
export const EXP_BETA_GRID = [0.25, 0.5, 1, 2, 4, 8] as const;
/** Losses whose λ dependence table 4 reports. */
export const LAMBDA_LOSSES: readonly LossKind[] = ['ce', 'sigmoid'];
export const DEFAULT_L2 = 1e-5;

export type StudyPresetName = 'quick' | 'medium' | 'full';
export const STUDY_PRESET_NAMES: readonly StudyPresetName[] = ['quick', 'medium', 'full'];

/** How much work a study does. Steps are totals per landscape: a resumed study runs up to them. */
export interface StudyBudget {
  /** Sampler seeds per main landscape (1, 2, …). */
  readonly seeds: number;
  /** Basin-hopping steps per main landscape (per seed). */
  readonly mainSteps: number;
  /** Basin-hopping steps per λ / β variant (one seed, no transition states). */
  readonly variantSteps: number;
  /** Transition states in the main landscapes: neighbours per new minimum, attempts per landscape. */
  readonly transitionStates: { readonly neighbours: number; readonly maxAttempts: number };
  /** Wall-clock cap of one session of one landscape (minutes); a capped landscape resumes next run. */
  readonly sessionMinutes: { readonly main: number; readonly variant: number };
  /** Sigmoid minima per seed quenched into the CE landscape (lowest ids first). */
  readonly mappingCap: number;
  readonly bootstrapResamples: number;
  readonly lambdas: readonly number[];
  readonly sigmoidBetas: readonly number[];
  readonly expBetas: readonly number[];
  /** Fixed temperature and step size (skip calibration): only for the smoke budget. */
  readonly fixedSampler?: { readonly temperature: number; readonly stepSize: number };
}

const FULL_GRIDS = { lambdas: LAMBDA_GRID, sigmoidBetas: SIGMOID_BETA_GRID, expBetas: EXP_BETA_GRID };

/**
 * Budgets per preset and data set. Measured on this machine (2 cores shared with other work):
 * spiral 2-10-2 quenches take ~0.5 s (CE) to ~1 s (sigmoid), a transition-state attempt 2–50 s
 * (the failing ones are the slow ones); credit-card 30-10-2 quenches ~15–30 s (3,921 training
 * rows, 1.3 M pairs), and a calibration 8–32 quenches. Wall times: quick < 15 min, medium ~2 h
 * (spiral; credit longer), full overnight — on 2 free cores, 2 landscapes at a time.
 */
const PRESETS: Record<StudyPresetName, Record<'spiral' | 'large', StudyBudget>> = {
  quick: {
    spiral: {
      seeds: 2,
      mainSteps: 30,
      variantSteps: 15,
      transitionStates: { neighbours: 1, maxAttempts: 4 },
      sessionMinutes: { main: 1.2, variant: 0.5 },
      mappingCap: 25,
      bootstrapResamples: 2000,
      ...FULL_GRIDS,
    },
    large: {
      seeds: 2,
      mainSteps: 4,
      variantSteps: 2,
      transitionStates: { neighbours: 1, maxAttempts: 1 },
      sessionMinutes: { main: 1.2, variant: 0.5 },
      mappingCap: 4,
      bootstrapResamples: 2000,
      ...FULL_GRIDS,
    },
  },
  medium: {
    spiral: {
      seeds: 3,
      mainSteps: 150,
      variantSteps: 80,
      transitionStates: { neighbours: 1, maxAttempts: 8 },
      sessionMinutes: { main: 10, variant: 4 },
      mappingCap: 150,
      bootstrapResamples: 4000,
      ...FULL_GRIDS,
    },
    large: {
      seeds: 3,
      mainSteps: 10,
      variantSteps: 4,
      transitionStates: { neighbours: 1, maxAttempts: 2 },
      sessionMinutes: { main: 12, variant: 6 },
      mappingCap: 20,
      bootstrapResamples: 4000,
      ...FULL_GRIDS,
    },
  },
  full: {
    spiral: {
      seeds: 4,
      mainSteps: 800,
      variantSteps: 300,
      transitionStates: { neighbours: 1, maxAttempts: 80 },
      sessionMinutes: { main: 60, variant: 20 },
      mappingCap: 1000,
      bootstrapResamples: 10000,
      ...FULL_GRIDS,
    },
    large: {
      seeds: 4,
      mainSteps: 60,
      variantSteps: 20,
      transitionStates: { neighbours: 1, maxAttempts: 10 },
      sessionMinutes: { main: 60, variant: 30 },
      mappingCap: 200,
      bootstrapResamples: 10000,
      ...FULL_GRIDS,
    },
  },
};

/**
 * The smoke budget (CI, tests): a few steps, no calibration, shortened grids — every code path
 * of the study in seconds, nothing to conclude from.
 */
export const SMOKE_BUDGET: StudyBudget = {
  seeds: 1,
  mainSteps: 3,
  variantSteps: 2,
  // Transition-state searches take seconds to a minute each: none in the smoke budget.
  transitionStates: { neighbours: 1, maxAttempts: 0 },
  sessionMinutes: { main: 1, variant: 0.5 },
  mappingCap: 3,
  bootstrapResamples: 200,
  lambdas: [1e-1, DEFAULT_L2],
  sigmoidBetas: [10, 40],
  expBetas: [0.5, 1],
  fixedSampler: { temperature: 0.1, stepSize: 0.5 },
};

export function studyBudget(preset: StudyPresetName, datasetKind: 'spiral' | 'credit' | 'csv', options: { smoke?: boolean; seeds?: number } = {}): StudyBudget {
  const base = options.smoke ? SMOKE_BUDGET : PRESETS[preset][datasetKind === 'spiral' ? 'spiral' : 'large'];
  return options.seeds === undefined ? base : { ...base, seeds: options.seeds };
}

export type LandscapeGroup = 'main' | 'lambda' | 'beta';

/** One landscape of the study: one database. */
export interface LandscapeSpec {
  /** File-name-safe id, e.g. "main-sigmoid-s2", "beta-sigmoid-b10", "lambda-ce-l1e-3". */
  readonly id: string;
  readonly group: LandscapeGroup;
  readonly loss: LossKind;
  readonly beta?: number;
  readonly margin?: number;
  readonly l2: number;
  /** Sampler seed. */
  readonly seed: number;
  readonly steps: number;
  readonly transitionStates: boolean;
}

/** Where a grid point's numbers come from: its own variant landscape or a main one (seed 1). */
export interface GridPoint {
  readonly loss: LossKind;
  readonly value: number;
  readonly landscape: string;
}

export interface StudyPlan {
  readonly landscapes: readonly LandscapeSpec[];
  readonly lambdaGrid: readonly GridPoint[];
  readonly betaGrid: readonly GridPoint[];
}

function lossParameter(loss: LossKind, beta?: number): { beta?: number; margin?: number } {
  const d = lossDefaults(loss);
  if ('beta' in d) return { beta: beta ?? d.beta };
  if ('margin' in d) return { margin: d.margin };
  return {};
}

function mainId(loss: LossKind, seed: number): string {
  return `main-${loss}-s${seed}`;
}

/** A number for a file name: 1e-3 → "1e-3", 0.25 → "0.25". */
export function fileNumber(v: number): string {
  return v !== 0 && (Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4) ? v.toExponential().replace('e+', 'e') : String(v);
}

/** Every landscape of the study, main ones first (seed by seed), then the λ and β variants. */
export function planStudy(budget: StudyBudget): StudyPlan {
  const landscapes: LandscapeSpec[] = [];
  for (let seed = 1; seed <= budget.seeds; seed++) {
    for (const loss of STUDY_LOSSES) {
      landscapes.push({ id: mainId(loss, seed), group: 'main', loss, ...lossParameter(loss), l2: DEFAULT_L2, seed, steps: budget.mainSteps, transitionStates: budget.transitionStates.maxAttempts > 0 });
    }
  }
  const lambdaGrid: GridPoint[] = [];
  for (const loss of LAMBDA_LOSSES) {
    for (const l2 of budget.lambdas) {
      if (l2 === DEFAULT_L2) {
        lambdaGrid.push({ loss, value: l2, landscape: mainId(loss, 1) });
        continue;
      }
      const id = `lambda-${loss}-l${fileNumber(l2)}`;
      landscapes.push({ id, group: 'lambda', loss, ...lossParameter(loss), l2, seed: 1, steps: budget.variantSteps, transitionStates: false });
      lambdaGrid.push({ loss, value: l2, landscape: id });
    }
  }
  const betaGrid: GridPoint[] = [];
  for (const [loss, grid] of [
    ['sigmoid', budget.sigmoidBetas],
    ['exp', budget.expBetas],
  ] as const) {
    const defaultBeta = lossDefaults(loss).beta;
    for (const beta of grid) {
      if (beta === defaultBeta) {
        betaGrid.push({ loss, value: beta, landscape: mainId(loss, 1) });
        continue;
      }
      const id = `beta-${loss}-b${fileNumber(beta)}`;
      landscapes.push({ id, group: 'beta', loss, beta, l2: DEFAULT_L2, seed: 1, steps: budget.variantSteps, transitionStates: false });
      betaGrid.push({ loss, value: beta, landscape: id });
    }
  }
  return { landscapes, lambdaGrid, betaGrid };
}

/** The study's data set, as the explore config's `dataset` section takes it. */
export interface StudyDataset {
  readonly kind: 'spiral' | 'credit' | 'csv';
  readonly path?: string;
  readonly label?: string;
}

/** The validated explore config of one landscape (budget fields are this session's). */
export function landscapeConfig(spec: LandscapeSpec, dataset: StudyDataset, budget: StudyBudget): ExploreConfig {
  const sessionMinutes = spec.group === 'main' ? budget.sessionMinutes.main : budget.sessionMinutes.variant;
  return exploreConfigSchema.parse({
    name: spec.id,
    dataset: { kind: dataset.kind, ...(dataset.path !== undefined ? { path: dataset.path } : {}), ...(dataset.label !== undefined ? { label: dataset.label } : {}) },
    model: { hidden: 10 },
    loss: { kind: spec.loss, ...(spec.beta !== undefined ? { beta: spec.beta } : {}), ...(spec.margin !== undefined ? { margin: spec.margin } : {}) },
    l2: spec.l2,
    sampler: {
      steps: spec.steps,
      timeMinutes: sessionMinutes,
      chains: 1,
      seed: spec.seed,
      ...(budget.fixedSampler ? { temperature: budget.fixedSampler.temperature, stepSize: budget.fixedSampler.stepSize } : {}),
    },
    transitionStates:
      spec.transitionStates && budget.transitionStates.maxAttempts > 0
        ? { enabled: true, neighbours: budget.transitionStates.neighbours, maxAttempts: budget.transitionStates.maxAttempts }
        : { enabled: false },
    properties: { hessian: true },
  });
}

// SPDX-License-Identifier: MIT
/**
 * The `explore` configuration: one schema for the JSON config file, the presets and the flags.
 * Unknown keys are errors (a typo must never be silently ignored in an overnight run).
 * Defaults are DESIGN.md's; every report states them.
 */
import { z } from 'zod';

export const LOSS_KINDS = ['ce', 'sigmoid', 'tanh', 'hinge', 'exp', 'quad'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

const positive = z.number().positive().finite();
const positiveInt = z.number().int().positive();

export const datasetSchema = z.strictObject({
  /** `spiral` (generated), `credit` (shipped credit-card subsample) or `csv` (any file). */
  kind: z.enum(['spiral', 'credit', 'csv']).default('spiral'),
  /** CSV path (kind `csv`). */
  path: z.string().min(1).optional(),
  /** Label column by name (default: the last column). */
  label: z.string().min(1).optional(),
  /** Map string labels to classes in sorted order. */
  stringLabels: z.boolean().default(false),
  pointsPerSpiral: positiveInt.default(97),
  /** Uniform noise ± this per coordinate (spiral). */
  noise: z.number().nonnegative().finite().default(0.1),
  testFraction: z.number().gt(0).lt(1).default(0.2),
  /** Standardise features with training statistics (default: on for credit and csv, off for spiral). */
  standardise: z.boolean().optional(),
  /** Seed for noise and the split. */
  seed: z.number().int().default(1),
});

export const modelSchema = z.strictObject({
  hidden: positiveInt.default(10),
});

export const lossSchema = z.strictObject({
  kind: z.enum(LOSS_KINDS).default('sigmoid'),
  beta: positive.optional(),
  margin: positive.optional(),
  positiveClass: z.number().int().nonnegative().default(1),
});

export const samplerSchema = z.strictObject({
  /** Basin-hopping steps per chain (null: no step limit). */
  steps: z.number().int().nonnegative().nullable().default(1000),
  /** Wall-clock budget in minutes (null: none). */
  timeMinutes: positive.nullable().default(null),
  /** Stop after this many quenches in a row found no new minimum (null: never). */
  stopAfterNoNew: positiveInt.nullable().default(null),
  chains: positiveInt.default(1),
  /** Fictitious temperature, or 'auto' for a short calibration. */
  temperature: z.union([positive, z.literal('auto')]).default('auto'),
  stepSize: z.union([positive, z.literal('auto')]).default('auto'),
  targetAcceptance: z.number().gt(0).lt(1).default(0.5),
  seed: z.number().int().default(1),
  /** L-BFGS convergence criterion (RMS gradient). */
  gradientTolerance: positive.default(1e-10),
  /** L-BFGS iteration cap per quench (a quench from a random start can need ~10⁵ at memory 4). */
  maxIterations: positiveInt.default(100_000),
  /** L-BFGS memory. GMIN uses 4; 30 quenches network landscapes 3–5× faster (measured on the spirals). */
  lbfgsMemory: positiveInt.default(30),
  /** Quenches since the last new minimum before a chain restarts from a fresh random point. */
  reseedAfter: positiveInt.default(500),
});

export const transitionStatesSchema = z.strictObject({
  /** Search transition states between each new minimum and its nearest neighbours. */
  enabled: z.boolean().default(false),
  neighbours: positiveInt.default(2),
  /** Upper bound on connection attempts in the run. */
  maxAttempts: positiveInt.default(1000),
});

export const duplicatesSchema = z.strictObject({
  energyTolerance: positive.default(1e-9),
  distanceTolerance: positive.default(1e-3),
});

export const propertiesSchema = z.strictObject({
  /** Dense Hessian spectrum (LPPHE, index) for each new minimum. */
  hessian: z.boolean().default(true),
});

export const exploreConfigSchema = z.strictObject({
  name: z.string().min(1).optional(),
  dataset: datasetSchema.prefault({}),
  model: modelSchema.prefault({}),
  loss: lossSchema.prefault({}),
  l2: z.number().nonnegative().finite().default(1e-5),
  sampler: samplerSchema.prefault({}),
  transitionStates: transitionStatesSchema.prefault({}),
  duplicates: duplicatesSchema.prefault({}),
  properties: propertiesSchema.prefault({}),
  /** Folder for run databases. */
  runsDir: z.string().min(1).default('runs'),
});

export type ExploreConfig = z.infer<typeof exploreConfigSchema>;
/** What a config file or a preset may say: any subset, nested. */
export type ExploreConfigInput = z.input<typeof exploreConfigSchema>;

/** Default β / m per loss (DESIGN.md). */
export function lossDefaults(kind: LossKind): { beta?: number; margin?: number } {
  switch (kind) {
    case 'sigmoid':
      return { beta: 40 };
    case 'tanh':
    case 'exp':
      return { beta: 1 };
    case 'hinge':
    case 'quad':
      return { margin: 1 };
    case 'ce':
      return {};
  }
}

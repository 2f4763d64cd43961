// SPDX-License-Identifier: MIT
/**
 * What a distributed run is: plain JSON stored once in the landscape (checkpoint key
 * `distributed/spec`), read by every worker. The potential, evaluator and random start travel as
 * factories (module + export name + JSON args); jobs carry only small payloads (a chain and its
 * step range, a pair of minimum ids, a minimum id).
 *
 * ```json
 * { "name": "lj13",
 *   "potential": { "module": "lossscape:factories", "exportName": "createLennardJonesCluster", "args": { "atoms": 13, "containerRadius": 3 } },
 *   "starts": [[...39 numbers...], [...]],
 *   "sampling": { "steps": 2000, "segmentSteps": 50, "temperature": 0.8, "stepSize": 0.4, "seed": 1 },
 *   "jobs": { "leaseSeconds": 900, "retryLimit": 10, "retryDelaySeconds": 5 } }
 * ```
 */
import { z } from 'zod';
import { LandscapeError } from '@lossscape/numeric';
import { describeIssue } from '../config/load.js';
import type { BasinHoppingOptions } from '@lossscape/sampler';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const positive = z.number().positive().finite();

const factorySchema = z.strictObject({
  module: z.string().min(1),
  exportName: z.string().min(1),
  args: z.unknown().optional(),
});

export const samplingSpecSchema = z.strictObject({
  /** Steps (quenches) per chain in the whole run. */
  steps: positiveInt,
  /** Steps per basin-hopping job: the unit of work, of retry and of lease. */
  segmentSteps: positiveInt.default(50),
  temperature: z.number().nonnegative().finite(),
  stepSize: positive,
  seed: z.number().int(),
  targetAcceptance: z.number().gt(0).lt(1).optional(),
  /** null: never adapt. */
  adaptEvery: positiveInt.nullable().optional(),
  adaptFactor: z.number().gt(0).lt(1).optional(),
  minStepSize: positive.optional(),
  maxStepSize: positive.optional(),
  /** null: never reseed (the chain's path then does not depend on which worker saw a minimum first). */
  reseedAfter: positiveInt.nullable().optional(),
  reseedScale: positive.optional(),
  /** A chain stops after this many quenches in a row without a new minimum (null: never). */
  stopAfterNoNewMinima: positiveInt.nullable().optional(),
  minimize: z
    .strictObject({
      gradientTolerance: positive.optional(),
      maxIterations: positiveInt.optional(),
      memory: positiveInt.optional(),
      maxStep: positive.optional(),
      initialInverseHessian: positive.optional(),
      maxEnergyRise: positive.optional(),
    })
    .optional(),
  duplicate: z.strictObject({ energyTolerance: z.number().nonnegative().finite().optional(), useSymmetry: z.boolean().optional() }).optional(),
});

export const connectionsSpecSchema = z.strictObject({
  /** Each minimum is paired with this many nearest neighbours (symmetry-aligned distance). */
  neighbours: positiveInt.default(2),
  /** Largest number of connection jobs planned. */
  maxAttempts: positiveInt.default(100),
  /** findTransitionState options (JSON): gradientTolerance, band, maxCandidates, pushOff, minimize, … */
  search: z.record(z.string(), z.unknown()).default({}),
});

export const jobsSpecSchema = z.strictObject({
  /**
   * How long a worker may hold a job before it is presumed dead and the job is retried. Must
   * exceed the longest job (a segment) with margin: a job past its lease is handed out again.
   */
  leaseSeconds: positiveInt.default(900),
  /** Attempts after the first (a job released on shutdown uses one). */
  retryLimit: nonNegativeInt.default(10),
  retryDelaySeconds: nonNegativeInt.default(5),
});

export const runSpecSchema = z.strictObject({
  version: z.literal(1).default(1),
  name: z.string().min(1).default('distributed'),
  potential: factorySchema,
  /** Per-minimum properties: one job per new minimum when present. */
  evaluator: factorySchema.optional(),
  /** `(rng) => Float64Array` for reseeds; default x0 + uniform noise (basinHopping's). */
  randomPoint: factorySchema.optional(),
  /** One start per chain (so the number of chains is its length). */
  starts: z.array(z.array(z.number().finite()).min(1)).min(1),
  sampling: samplingSpecSchema,
  /** Connection jobs between nearest neighbours once every chain has finished. */
  connections: connectionsSpecSchema.optional(),
  jobs: jobsSpecSchema.prefault({}),
  /** ISO time after which no further segment is planned (and a running one stops). */
  deadline: z.iso.datetime().optional(),
});

export type RunSpec = z.infer<typeof runSpecSchema>;
export type RunSpecInput = z.input<typeof runSpecSchema>;
export type SamplingSpec = z.infer<typeof samplingSpecSchema>;
export type ConnectionsSpec = z.infer<typeof connectionsSpecSchema>;

/** Checkpoint key of the spec in the landscape. */
export const RUN_SPEC_KEY = 'distributed/spec';
/** Checkpoint key that marks chain `chain` as finished (no more segments). */
export const chainFinishedKey = (chain: number): string => `distributed/chain/${chain}/finished`;
/** Checkpoint key recording that the connection job for a pair ran to the end. */
export const connectionDoneKey = (a: number, b: number): string => `distributed/connect/${Math.min(a, b)}-${Math.max(a, b)}`;

export interface ChainFinished {
  readonly reason: string;
  readonly step: number;
}

/** Validates a spec (from a file or a caller); errors name the key, as the config loader's do. */
export function parseRunSpec(input: unknown, source = 'run spec'): RunSpec {
  const result = runSpecSchema.safeParse(input);
  if (!result.success) throw new LandscapeError(describeIssue(source, result.error.issues[0], input), 'ERR_CONFIG');
  const spec = result.data;
  const dimension = spec.starts[0].length;
  spec.starts.forEach((x, i) => {
    if (x.length !== dimension) {
      throw new LandscapeError(`Expected ${dimension} coordinates for starts.${i} in ${source} but received ${x.length}`, 'ERR_DIMENSION_MISMATCH');
    }
  });
  return spec;
}

/** The chain count of a run. */
export const chainCount = (spec: RunSpec): number => spec.starts.length;

const orInfinity = (v: number | null | undefined): number | undefined => (v === null ? Infinity : v);

/** basinHopping options for one chain of the run (everything but store, signal and budgets). */
export function basinHoppingSettings(spec: RunSpec): Omit<BasinHoppingOptions, 'potential' | 'x0' | 'store' | 'chain' | 'steps'> {
  const s = spec.sampling;
  const settings = {
    temperature: s.temperature,
    stepSize: s.stepSize,
    seed: s.seed,
    targetAcceptance: s.targetAcceptance,
    adaptEvery: orInfinity(s.adaptEvery),
    adaptFactor: s.adaptFactor,
    minStepSize: s.minStepSize,
    maxStepSize: s.maxStepSize,
    reseedAfter: orInfinity(s.reseedAfter),
    reseedScale: s.reseedScale,
    stopAfterNoNewMinima: orInfinity(s.stopAfterNoNewMinima),
    minimizeOptions: s.minimize,
    duplicate: s.duplicate,
  };
  // basinHopping validates `undefined` as "absent" only when the key is absent.
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as unknown as Omit<
    BasinHoppingOptions,
    'potential' | 'x0' | 'store' | 'chain' | 'steps'
  >;
}

// SPDX-License-Identifier: MIT
/**
 * What a landscape is made of: minima, transition states and the run that found them.
 * Plain readonly records; storage lives in the database module, never here.
 */

/** Per-minimum properties, filled as they are computed (by an injected evaluator). */
export interface MinimumProperties {
  readonly trainAuc?: number;
  readonly testAuc?: number;
  /** Cross-entropy (with the run's λ) at this minimum's weights. */
  readonly ceLoss?: number;
  /** The run's loss without the L2 term (for ΔAUC = |−pair loss − train AUC|). */
  readonly dataLoss?: number;
  /** Σ ln λ over positive Hessian eigenvalues (PATHSAMPLE fvib). */
  readonly lpphe?: number;
  readonly positiveCount?: number;
  readonly negativeCount?: number;
  readonly droppedCount?: number;
  /** Eigenvalues equal to 2λ within tolerance (softmax's flat directions turned by L2). */
  readonly flatCount?: number;
  /** Number of negative eigenvalues beyond tolerance (0 at a true minimum). */
  readonly index?: number;
  readonly smallestEigenvalue?: number;
  readonly largestEigenvalue?: number;
  /** Set when something is wrong with this minimum (e.g. "negative eigenvalue -3e-4"). */
  readonly flag?: string;
  /** Any further numeric property a study adds (e.g. "ce.quenchedTo"). */
  readonly extra?: Readonly<Record<string, number | string>>;
}

export interface MinimumRecord {
  /** 1-based, dense, in order of discovery: also the PATHSAMPLE min.data line number. */
  readonly id: number;
  readonly energy: number;
  readonly coordinates: Float64Array;
  readonly rmsGradient: number;
  /** How many quenches landed here (1 when first found). */
  readonly hits: number;
  /** Global quench index at which it was first found. */
  readonly firstStep: number;
  /** Chain that found it first (−1 when found by a connection search). */
  readonly chain: number;
  readonly properties: MinimumProperties;
}

export interface TransitionStateRecord {
  /** 1-based, dense: the PATHSAMPLE ts.data line number. */
  readonly id: number;
  readonly energy: number;
  readonly coordinates: Float64Array;
  readonly rmsGradient: number;
  /** The one negative Hessian eigenvalue. */
  readonly negativeEigenvalue: number;
  /** Σ ln λ over the positive eigenvalues (PATHSAMPLE fvib). */
  readonly lpphe: number;
  /** Ids of the two minima it connects (may be equal for a degenerate rearrangement). */
  readonly minimum1: number;
  readonly minimum2: number;
}

/** Everything needed to redo or re-evaluate a run later (stored once per database). */
export interface RunManifest {
  readonly schemaVersion: number;
  readonly createdAt: string;
  readonly name: string;
  /** Free-form configuration: dataset, model, loss, λ, temperature, budgets, … */
  readonly config: Readonly<Record<string, unknown>>;
  /** Dataset identity, split indices and scaling, so a minimum can be re-evaluated exactly. */
  readonly dataset?: Readonly<Record<string, unknown>>;
  readonly seeds: readonly number[];
  readonly gitCommit?: string;
  readonly packageVersions: Readonly<Record<string, string>>;
  /** Which backends ran: eigen-solver and its threads, tfjs backend, kernel threads. */
  readonly backends: Readonly<Record<string, string | number>>;
}

/** One point of the discovery curve: after `quenches` quenches, `distinctMinima` were known. */
export interface DiscoveryPoint {
  readonly quenches: number;
  readonly distinctMinima: number;
  readonly elapsedMs: number;
}

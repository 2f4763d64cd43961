// SPDX-License-Identifier: MIT
/**
 * The landscape database behind one interface. Implementations: in-memory (for users of the
 * sampler alone and for tests) and SQLite (the default, via better-sqlite3); a PostgreSQL
 * backend can implement the same interface. Methods return promises so that a networked backend
 * fits; the embedded ones resolve at once.
 */
import type { DiscoveryPoint, MinimumProperties, MinimumRecord, RunManifest, TransitionStateRecord } from './records.js';

/** A freshly quenched point offered to the database. */
export interface MinimumCandidate {
  readonly energy: number;
  readonly coordinates: Float64Array;
  readonly rmsGradient: number;
  /** Global quench index (for `firstStep`). */
  readonly step: number;
  /** Chain that found it (−1 for connection searches). */
  readonly chain: number;
}

/** How two stationary points are judged the same. */
export interface DuplicateTest {
  /**
   * Relative energy tolerance: stored points with |ΔE| ≤ energyTolerance·max(1, |E|) are
   * candidates (DESIGN.md default 1e-9).
   */
  readonly energyTolerance: number;
  /** Symmetry-aware identity (Potential.sameMinimum). Absent → energy alone, as GMIN does. */
  readonly same?: (a: Float64Array, b: Float64Array) => boolean;
}

export interface AddMinimumResult {
  readonly minimum: MinimumRecord;
  /** False when it matched a stored minimum (whose `hits` was incremented). */
  readonly isNew: boolean;
}

export interface AddTransitionStateResult {
  readonly transitionState: TransitionStateRecord;
  readonly isNew: boolean;
}

export type TransitionStateCandidate = Omit<TransitionStateRecord, 'id'>;

/**
 * Work done in the same transaction as `addMinimum`, so that a run killed at any moment never
 * finds a minimum stored without the chain state that produced it (or the other way round).
 */
export interface AddMinimumOptions {
  /** Saved like `saveCheckpoint(key, value(result))`; the value may depend on `isNew`. */
  readonly checkpoint?: { readonly key: string; readonly value: (result: AddMinimumResult) => unknown };
  /** When the candidate is new, a discovery point with the new count of distinct minima. */
  readonly discovery?: { readonly quenches: number; readonly elapsedMs: number };
}

export interface LandscapeStore {
  /** Adds the minimum, or counts a hit on the stored one it duplicates (one transaction). */
  addMinimum(candidate: MinimumCandidate, test: DuplicateTest, options?: AddMinimumOptions): Promise<AddMinimumResult>;
  getMinimum(id: number): Promise<MinimumRecord | undefined>;
  /** All minima, ordered by id. */
  minima(): Promise<MinimumRecord[]>;
  minimumCount(): Promise<number>;
  /** Merges `properties` into the stored ones. */
  updateMinimumProperties(id: number, properties: MinimumProperties): Promise<void>;

  addTransitionState(candidate: TransitionStateCandidate, test: DuplicateTest): Promise<AddTransitionStateResult>;
  transitionStates(): Promise<TransitionStateRecord[]>;
  transitionStateCount(): Promise<number>;

  /** Remembers a double-ended search between two minima and whether it connected them. */
  recordConnectionAttempt(minimum1: number, minimum2: number, connected: boolean): Promise<void>;
  /** Pairs (smaller id first) whose connection attempts all failed. */
  failedConnections(): Promise<Array<readonly [number, number]>>;

  recordDiscovery(point: DiscoveryPoint): Promise<void>;
  discoveryCurve(): Promise<DiscoveryPoint[]>;

  getManifest(): Promise<RunManifest | undefined>;
  setManifest(manifest: RunManifest): Promise<void>;

  /** JSON-serialisable state stored under a key (chain state for resume, RNG state, counters). */
  saveCheckpoint(key: string, value: unknown): Promise<void>;
  loadCheckpoint<T = unknown>(key: string): Promise<T | undefined>;

  close(): Promise<void>;
}

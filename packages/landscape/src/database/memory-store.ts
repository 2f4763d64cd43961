// SPDX-License-Identifier: MIT
/**
 * A LandscapeStore held in memory: for users of the sampler alone, and for tests. It behaves
 * exactly like the SQLite store (one contract suite runs against both): records are copied
 * in and out, properties/manifest/checkpoints go through the same JSON encoding.
 *
 * ```ts
 * const store = createMemoryStore();
 * const { minimum, isNew } = await store.addMinimum(
 *   { energy: -1.5, coordinates: Float64Array.of(0, 1), rmsGradient: 1e-11, step: 0, chain: 0 },
 *   { energyTolerance: 1e-9 },
 * );
 * ```
 * Cost: duplicate lookup O(log n + k) (k minima in the energy window, each tested with `same`),
 * insertion O(n) for the energy-sorted index; memory O(n·dimension).
 */
import type { DiscoveryPoint, MinimumProperties, MinimumRecord, RunManifest, TransitionStateRecord } from '../records.js';
import type {
  AddMinimumOptions,
  AddMinimumResult,
  AddTransitionStateResult,
  DuplicateTest,
  LandscapeStore,
  MinimumCandidate,
  TransitionStateCandidate,
} from '../store.js';
import {
  checkAddMinimumOptions,
  checkCheckpointKey,
  checkDiscoveryPoint,
  checkDuplicateTest,
  checkManifest,
  checkMinimumCandidate,
  checkMinimumId,
  checkProperties,
  checkTransitionStateCandidate,
  closedError,
  energyWindow,
  fromJson,
  mergeProperties,
  pairKey,
  toJson,
  unknownMinimum,
} from './codec.js';

interface StoredMinimum {
  readonly id: number;
  readonly energy: number;
  readonly coordinates: Float64Array;
  readonly rmsGradient: number;
  hits: number;
  readonly firstStep: number;
  readonly chain: number;
  properties: string;
}

/** Ids ordered by energy (ties by id), for the duplicate window. */
class EnergyIndex {
  private readonly energies: number[] = [];
  private readonly ids: number[] = [];

  insert(energy: number, id: number): void {
    let lo = 0;
    let hi = this.energies.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.energies[mid] <= energy) lo = mid + 1;
      else hi = mid;
    }
    this.energies.splice(lo, 0, energy);
    this.ids.splice(lo, 0, id);
  }

  /** Ids with |E − energy| ≤ halfWidth, nearest energy first, ties by id (as the SQL store). */
  window(energy: number, halfWidth: number): number[] {
    let lo = 0;
    let hi = this.energies.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.energies[mid] < energy - halfWidth) lo = mid + 1;
      else hi = mid;
    }
    const found: Array<[number, number]> = [];
    for (let k = lo; k < this.energies.length && this.energies[k] <= energy + halfWidth; k++) {
      found.push([Math.abs(this.energies[k] - energy), this.ids[k]]);
    }
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return found.map((f) => f[1]);
  }
}

/** Duplicate lookup shared by minima and transition states. */
function findDuplicate(
  index: EnergyIndex,
  coordinatesOf: (id: number) => Float64Array,
  energy: number,
  coordinates: Float64Array,
  test: DuplicateTest,
): number | undefined {
  for (const id of index.window(energy, energyWindow(energy, test))) {
    if (!test.same || test.same(coordinatesOf(id), coordinates)) return id;
  }
  return undefined;
}

class MemoryStore implements LandscapeStore {
  private readonly minimaById: StoredMinimum[] = [];
  private readonly minimaIndex = new EnergyIndex();
  private readonly tsById: TransitionStateRecord[] = [];
  private readonly tsIndex = new EnergyIndex();
  private readonly attempts = new Map<string, { pair: readonly [number, number]; connected: boolean }>();
  private readonly discovery: DiscoveryPoint[] = [];
  private readonly checkpoints = new Map<string, string>();
  private manifest: string | undefined;
  private dimension: number | undefined;
  private closed = false;

  private open(method: string): void {
    if (this.closed) throw closedError(method);
  }

  private toRecord(m: StoredMinimum): MinimumRecord {
    return {
      id: m.id,
      energy: m.energy,
      coordinates: Float64Array.from(m.coordinates),
      rmsGradient: m.rmsGradient,
      hits: m.hits,
      firstStep: m.firstStep,
      chain: m.chain,
      properties: fromJson<MinimumProperties>(m.properties),
    };
  }

  private copyTs(t: TransitionStateRecord): TransitionStateRecord {
    return { ...t, coordinates: Float64Array.from(t.coordinates) };
  }

  async addMinimum(candidate: MinimumCandidate, test: DuplicateTest, options?: AddMinimumOptions): Promise<AddMinimumResult> {
    this.open('addMinimum');
    checkMinimumCandidate(candidate, this.dimension);
    checkDuplicateTest(test);
    checkAddMinimumOptions(options);
    const match = findDuplicate(this.minimaIndex, (id) => this.minimaById[id - 1].coordinates, candidate.energy, candidate.coordinates, test);
    // Encode the checkpoint before changing anything, so a failing callback leaves no trace.
    const stored: StoredMinimum =
      match !== undefined
        ? { ...this.minimaById[match - 1], hits: this.minimaById[match - 1].hits + 1 }
        : {
            id: this.minimaById.length + 1,
            energy: candidate.energy,
            coordinates: Float64Array.from(candidate.coordinates),
            rmsGradient: candidate.rmsGradient,
            hits: 1,
            firstStep: candidate.step,
            chain: candidate.chain,
            properties: '{}',
          };
    const result: AddMinimumResult = { minimum: this.toRecord(stored), isNew: match === undefined };
    const checkpoint = options?.checkpoint ? toJson(options.checkpoint.value(result), `checkpoint '${options.checkpoint.key}'`) : undefined;

    if (match !== undefined) {
      this.minimaById[match - 1].hits++;
    } else {
      this.minimaById.push(stored);
      this.minimaIndex.insert(stored.energy, stored.id);
      this.dimension ??= candidate.coordinates.length;
      if (options?.discovery) {
        this.discovery.push({ quenches: options.discovery.quenches, distinctMinima: this.minimaById.length, elapsedMs: options.discovery.elapsedMs });
      }
    }
    if (checkpoint !== undefined) this.checkpoints.set(options!.checkpoint!.key, checkpoint);
    return result;
  }

  async getMinimum(id: number): Promise<MinimumRecord | undefined> {
    this.open('getMinimum');
    checkMinimumId('id', id);
    const m = this.minimaById[id - 1];
    return m ? this.toRecord(m) : undefined;
  }

  async minima(): Promise<MinimumRecord[]> {
    this.open('minima');
    return this.minimaById.map((m) => this.toRecord(m));
  }

  async minimumCount(): Promise<number> {
    this.open('minimumCount');
    return this.minimaById.length;
  }

  async updateMinimumProperties(id: number, properties: MinimumProperties): Promise<void> {
    this.open('updateMinimumProperties');
    checkMinimumId('id', id);
    checkProperties(properties);
    const m = this.minimaById[id - 1];
    if (!m) throw unknownMinimum('id', id);
    m.properties = toJson(mergeProperties(fromJson(m.properties), properties), 'properties');
  }

  async addTransitionState(candidate: TransitionStateCandidate, test: DuplicateTest): Promise<AddTransitionStateResult> {
    this.open('addTransitionState');
    checkTransitionStateCandidate(candidate, this.dimension);
    checkDuplicateTest(test);
    if (!this.minimaById[candidate.minimum1 - 1]) throw unknownMinimum('candidate.minimum1', candidate.minimum1);
    if (!this.minimaById[candidate.minimum2 - 1]) throw unknownMinimum('candidate.minimum2', candidate.minimum2);
    const match = findDuplicate(this.tsIndex, (id) => this.tsById[id - 1].coordinates, candidate.energy, candidate.coordinates, test);
    if (match !== undefined) return { transitionState: this.copyTs(this.tsById[match - 1]), isNew: false };
    const ts: TransitionStateRecord = {
      id: this.tsById.length + 1,
      energy: candidate.energy,
      coordinates: Float64Array.from(candidate.coordinates),
      rmsGradient: candidate.rmsGradient,
      negativeEigenvalue: candidate.negativeEigenvalue,
      lpphe: candidate.lpphe,
      minimum1: candidate.minimum1,
      minimum2: candidate.minimum2,
    };
    this.tsById.push(ts);
    this.tsIndex.insert(ts.energy, ts.id);
    this.dimension ??= candidate.coordinates.length;
    return { transitionState: this.copyTs(ts), isNew: true };
  }

  async transitionStates(): Promise<TransitionStateRecord[]> {
    this.open('transitionStates');
    return this.tsById.map((t) => this.copyTs(t));
  }

  async transitionStateCount(): Promise<number> {
    this.open('transitionStateCount');
    return this.tsById.length;
  }

  async recordConnectionAttempt(minimum1: number, minimum2: number, connected: boolean): Promise<void> {
    this.open('recordConnectionAttempt');
    checkMinimumId('minimum1', minimum1);
    checkMinimumId('minimum2', minimum2);
    if (typeof connected !== 'boolean') throw new TypeError(`Expected boolean for connected but received ${typeof connected}`);
    const pair = pairKey(minimum1, minimum2);
    const key = `${pair[0]}:${pair[1]}`;
    const seen = this.attempts.get(key);
    this.attempts.set(key, { pair, connected: connected || (seen?.connected ?? false) });
  }

  async failedConnections(): Promise<Array<readonly [number, number]>> {
    this.open('failedConnections');
    return [...this.attempts.values()]
      .filter((a) => !a.connected)
      .map((a) => a.pair)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }

  async recordDiscovery(point: DiscoveryPoint): Promise<void> {
    this.open('recordDiscovery');
    checkDiscoveryPoint(point);
    this.discovery.push({ quenches: point.quenches, distinctMinima: point.distinctMinima, elapsedMs: point.elapsedMs });
  }

  async discoveryCurve(): Promise<DiscoveryPoint[]> {
    this.open('discoveryCurve');
    return this.discovery.map((p) => ({ ...p }));
  }

  async getManifest(): Promise<RunManifest | undefined> {
    this.open('getManifest');
    return this.manifest === undefined ? undefined : fromJson<RunManifest>(this.manifest);
  }

  async setManifest(manifest: RunManifest): Promise<void> {
    this.open('setManifest');
    checkManifest(manifest);
    this.manifest = toJson(manifest, 'manifest');
  }

  async saveCheckpoint(key: string, value: unknown): Promise<void> {
    this.open('saveCheckpoint');
    checkCheckpointKey(key);
    this.checkpoints.set(key, toJson(value, `checkpoint '${key}'`));
  }

  async loadCheckpoint<T = unknown>(key: string): Promise<T | undefined> {
    this.open('loadCheckpoint');
    checkCheckpointKey(key);
    const text = this.checkpoints.get(key);
    return text === undefined ? undefined : fromJson<T>(text);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A new, empty in-memory LandscapeStore. */
export function createMemoryStore(): LandscapeStore {
  return new MemoryStore();
}

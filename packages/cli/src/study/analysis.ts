// SPDX-License-Identifier: MIT
/**
 * From the study's databases (read into plain records) to its numbers: per landscape, per loss
 * over seeds (tables 1–3), the λ grid (table 4), the β ablation (figures 6, 7), the mapping of
 * sigmoid minima into the CE landscape, and the inputs of the findings. Pure: no I/O.
 */
import type { DiscoveryPoint, MinimumRecord, RunManifest, TransitionStateRecord } from '@lossscape/landscape';
import { spread, summariseLandscape, type Interval, type LandscapeStatistics, type Spread } from '@lossscape/landscape';
import type { Rng } from '@lossscape/numeric';
import type { LossKind } from '../config/schema.js';
import { correlationInterval, type FindingInputs, type PooledNumbers, type SeedNumbers } from './findings.js';
import { STUDY_LOSSES, type GridPoint, type LandscapeSpec } from './plan.js';
import type { QuenchLogEntry } from './runner.js';

/** One landscape as read from its database and quench log. */
export interface LandscapeData {
  readonly spec: LandscapeSpec;
  readonly minima: readonly MinimumRecord[];
  readonly transitionStates: readonly TransitionStateRecord[];
  readonly discovery: readonly DiscoveryPoint[];
  readonly quenchLog: readonly QuenchLogEntry[];
  /** Quenches the database has done (its chain checkpoint). */
  readonly quenches: number;
  readonly manifest?: RunManifest;
  /** Basin-hopping temperature and step size the engine used (its calibration checkpoint). */
  readonly calibration?: { readonly temperature: number; readonly stepSize: number; readonly calibrated: boolean };
  /** Transition-state searches attempted (the engine's connection counter). */
  readonly connectionAttempts?: number;
}

export interface LandscapeSummary {
  readonly id: string;
  readonly group: LandscapeSpec['group'];
  readonly loss: LossKind;
  readonly beta?: number;
  readonly margin?: number;
  readonly l2: number;
  readonly seed: number;
  readonly steps: number;
  readonly quenches: number;
  readonly complete: boolean;
  readonly minima: number;
  readonly minimaFromQuenches: number;
  readonly minimaFromConnections: number;
  readonly transitionStates: number;
  readonly connectionAttempts: number;
  /** Quenches in the log, and the distinct minima they reached. */
  readonly loggedQuenches: number;
  readonly reached: number;
  readonly statistics: LandscapeStatistics;
  /** L-BFGS iterations per quench (logged quenches). */
  readonly lbfgsPerQuench: Spread;
  /** |−(loss without L2) − train AUC| over minima: sigmoid and tanh only. */
  readonly deltaAuc?: Spread;
  /** Eigenvalues equal to 2λ per minimum (softmax's flat directions). */
  readonly flatCount: Spread;
  /** Minima with a negative Hessian eigenvalue beyond tolerance (index > 0). */
  readonly notMinima: number;
}

export interface LossSummary {
  readonly loss: LossKind;
  readonly seeds: readonly number[];
  readonly perSeed: {
    readonly quenches: readonly number[];
    readonly minima: readonly number[];
    readonly transitionStates: readonly number[];
    readonly reachedAtCommon: readonly number[];
    readonly bestTestAuc: readonly number[];
    readonly meanTestAuc: readonly number[];
    readonly meanLpphe: readonly number[];
  };
  /** Minima of every seed, duplicates across seeds merged. */
  readonly pooled: LandscapeStatistics;
  readonly pooledMinima: readonly MinimumRecord[];
  readonly correlation: { readonly r: number; readonly interval: Interval | undefined; readonly n: number };
  readonly deltaAuc?: Spread;
  readonly lbfgsPerQuench: Spread;
}

export interface GridRow {
  readonly loss: LossKind;
  readonly parameter: 'λ' | 'β';
  readonly value: number;
  readonly landscape: string;
  /** Quenches considered (the first `variantSteps` of the landscape). */
  readonly quenches: number;
  /** Distinct minima those quenches reached. */
  readonly minima: number;
  readonly bestTestAuc: number;
  readonly meanTestAuc: number;
  readonly stdTestAuc: number;
  readonly medianDeltaAuc: number;
  readonly lbfgsMean: number;
  readonly lbfgsMedian: number;
}

/** One sigmoid minimum quenched in the CE landscape (stored in its record's `extra`). */
export interface MappingRow {
  readonly sigmoidLandscape: string;
  readonly ceLandscape: string;
  readonly sourceId: number;
  readonly sourceEnergy: number;
  readonly sourceTestAuc: number;
  /** CE (with λ) at the sigmoid minimum. */
  readonly ceValue: number;
  /** CE energy of the minimum reached. */
  readonly ceEnergy: number;
  readonly converged: boolean;
  /** Id of the reached minimum in the CE database, when it is stored there. */
  readonly targetId: number | undefined;
  readonly targetTestAuc: number | undefined;
  readonly distance: number;
  readonly steps: number;
}

export interface MappingSummary {
  /** CE value at every sigmoid minimum (the `ceLoss` property), pooled over seeds. */
  readonly ceValue: Spread;
  readonly rows: readonly MappingRow[];
  readonly converged: number;
  /** Mapped minima whose CE minimum is stored in the CE database. */
  readonly known: number;
  /** Distinct CE minima reached (by id, known ones only). */
  readonly distinctTargets: number;
  readonly distance: Spread;
  readonly steps: Spread;
}

export interface StudyAnalysis {
  readonly landscapes: readonly LandscapeSummary[];
  readonly losses: readonly LossSummary[];
  /** Quenches every main landscape has logged: the equal budget for comparing minima counts. */
  readonly commonQuenches: number;
  readonly lambdaRows: readonly GridRow[];
  readonly betaRows: readonly GridRow[];
  readonly mapping: MappingSummary;
  readonly findingInputs: FindingInputs;
}

export const MAPPING_PREFIX = 'ceMap.';

/** Distinct minimum ids reached by logged quenches with step < q, in discovery order. */
export function reachedIds(log: readonly QuenchLogEntry[], q = Infinity): number[] {
  const seen = new Set<number>();
  for (const e of log) if (e.step < q && e.minimumId !== null) seen.add(e.minimumId);
  return [...seen];
}

/** Distinct minima reached against quenches (one point per logged quench that found a new one, plus the last). */
export function reachedCurve(log: readonly QuenchLogEntry[]): Array<{ quenches: number; distinct: number }> {
  const seen = new Set<number>();
  const out: Array<{ quenches: number; distinct: number }> = [];
  for (const e of log) {
    if (e.minimumId !== null && !seen.has(e.minimumId)) {
      seen.add(e.minimumId);
      out.push({ quenches: e.step + 1, distinct: seen.size });
    }
  }
  const last = log.length ? log[log.length - 1].step + 1 : 0;
  if (last > 0 && (out.length === 0 || out[out.length - 1].quenches !== last)) out.push({ quenches: last, distinct: seen.size });
  return out;
}

/** Quenches covered by a log (its last step + 1). */
export function loggedQuenches(log: readonly QuenchLogEntry[]): number {
  return log.length ? log[log.length - 1].step + 1 : 0;
}

/**
 * The minima reached by the first `q` quenches: from the quench log when there is one, else the
 * minima the chain found first within `q` steps (which misses quenches into minima first found
 * by a connection search).
 */
export function minimaWithin(data: LandscapeData, q: number): MinimumRecord[] {
  if (data.quenchLog.length > 0) {
    const ids = new Set(reachedIds(data.quenchLog, q));
    return data.minima.filter((m) => ids.has(m.id));
  }
  return data.minima.filter((m) => m.chain >= 0 && m.firstStep < q);
}

function deltaAucOf(minima: readonly MinimumRecord[]): Spread {
  return spread(
    minima
      .filter((m) => m.properties.flag === undefined && m.properties.dataLoss !== undefined && m.properties.trainAuc !== undefined)
      .map((m) => Math.abs(-m.properties.dataLoss! - m.properties.trainAuc!)),
  );
}

const hasDeltaAuc = (loss: LossKind) => loss === 'sigmoid' || loss === 'tanh';

export function summariseLandscapeData(d: LandscapeData): LandscapeSummary {
  const s = d.spec;
  return {
    id: s.id,
    group: s.group,
    loss: s.loss,
    ...(s.beta !== undefined ? { beta: s.beta } : {}),
    ...(s.margin !== undefined ? { margin: s.margin } : {}),
    l2: s.l2,
    seed: s.seed,
    steps: s.steps,
    quenches: d.quenches,
    complete: d.quenches >= s.steps,
    minima: d.minima.length,
    minimaFromQuenches: d.minima.filter((m) => m.chain >= 0).length,
    minimaFromConnections: d.minima.filter((m) => m.chain < 0).length,
    transitionStates: d.transitionStates.length,
    connectionAttempts: d.connectionAttempts ?? 0,
    loggedQuenches: d.quenchLog.length,
    reached: reachedIds(d.quenchLog).length,
    statistics: summariseLandscape(d.minima, d.transitionStates.length),
    lbfgsPerQuench: spread(d.quenchLog.map((e) => e.iterations)),
    ...(hasDeltaAuc(s.loss) ? { deltaAuc: deltaAucOf(d.minima) } : {}),
    flatCount: spread(d.minima.map((m) => m.properties.flatCount).filter((v): v is number => v !== undefined)),
    notMinima: d.minima.filter((m) => (m.properties.index ?? 0) > 0).length,
  };
}

/**
 * Merges minima of several runs of one landscape: a minimum is a duplicate of a kept one when
 * their energies agree within `energyTolerance`·max(1, |E|) and `same` says so (symmetry-aware).
 * Cost: O(n log n) sort plus `same` calls within each energy window.
 */
export function poolMinima(runs: readonly (readonly MinimumRecord[])[], same: ((a: Float64Array, b: Float64Array) => boolean) | undefined, energyTolerance: number): MinimumRecord[] {
  const all = runs.flat().sort((a, b) => a.energy - b.energy);
  const kept: MinimumRecord[] = [];
  for (const m of all) {
    const window = energyTolerance * Math.max(1, Math.abs(m.energy));
    let duplicate = false;
    for (let k = kept.length - 1; k >= 0 && m.energy - kept[k].energy <= window; k--) {
      if (!same || same(kept[k].coordinates, m.coordinates)) {
        duplicate = true;
        break;
      }
    }
    if (!duplicate) kept.push(m);
  }
  return kept;
}

function usable(m: MinimumRecord): boolean {
  return m.properties.flag === undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Mapping rows read from the sigmoid minima's `extra` properties. */
export function mappingRows(sigmoid: readonly LandscapeData[], byId: ReadonlyMap<string, LandscapeData>): MappingRow[] {
  const rows: MappingRow[] = [];
  for (const d of sigmoid) {
    for (const m of d.minima) {
      const x = m.properties.extra;
      if (!x || x[`${MAPPING_PREFIX}energy`] === undefined) continue;
      const ceLandscape = String(x[`${MAPPING_PREFIX}landscape`] ?? '');
      const target = num(x[`${MAPPING_PREFIX}targetId`]);
      const targetId = target !== undefined && target > 0 ? target : undefined;
      const ce = byId.get(ceLandscape);
      rows.push({
        sigmoidLandscape: d.spec.id,
        ceLandscape,
        sourceId: m.id,
        sourceEnergy: m.energy,
        sourceTestAuc: m.properties.testAuc ?? NaN,
        ceValue: num(x[`${MAPPING_PREFIX}startEnergy`]) ?? NaN,
        ceEnergy: num(x[`${MAPPING_PREFIX}energy`]) ?? NaN,
        converged: x[`${MAPPING_PREFIX}converged`] === 1,
        targetId,
        targetTestAuc: targetId !== undefined ? ce?.minima.find((c) => c.id === targetId)?.properties.testAuc : undefined,
        distance: num(x[`${MAPPING_PREFIX}distance`]) ?? NaN,
        steps: num(x[`${MAPPING_PREFIX}steps`]) ?? NaN,
      });
    }
  }
  return rows;
}

function gridRow(point: GridPoint, parameter: 'λ' | 'β', data: LandscapeData | undefined, q: number): GridRow | undefined {
  if (!data) return undefined;
  const minima = minimaWithin(data, q).filter(usable);
  const auc = spread(minima.map((m) => m.properties.testAuc).filter((v): v is number => v !== undefined));
  const log = data.quenchLog.filter((e) => e.step < q);
  const lbfgs = spread(log.map((e) => e.iterations));
  return {
    loss: point.loss,
    parameter,
    value: point.value,
    landscape: point.landscape,
    quenches: Math.min(q, data.quenchLog.length ? loggedQuenches(log) : data.quenches),
    minima: minima.length,
    bestTestAuc: auc.max,
    meanTestAuc: auc.mean,
    stdTestAuc: auc.std,
    medianDeltaAuc: hasDeltaAuc(point.loss) ? deltaAucOf(minima).median : NaN,
    lbfgsMean: lbfgs.mean,
    lbfgsMedian: lbfgs.median,
  };
}

export interface AnalyseOptions {
  readonly lambdaGrid: readonly GridPoint[];
  readonly betaGrid: readonly GridPoint[];
  /** Quenches of each grid point considered (the variants' step budget). */
  readonly variantSteps: number;
  /** Symmetry-aware identity for pooling minima across seeds. */
  readonly same?: (a: Float64Array, b: Float64Array) => boolean;
  readonly energyTolerance: number;
  readonly rng: Rng;
  readonly resamples: number;
}

export function analyseStudy(data: readonly LandscapeData[], options: AnalyseOptions): StudyAnalysis {
  const byId = new Map(data.map((d) => [d.spec.id, d]));
  const main = data.filter((d) => d.spec.group === 'main');
  // Equal-budget minimum counts: only landscapes that have started count (a landscape a partial study
  // has not reached yet would otherwise pull the common budget down to 0). Finding 1 compares sigmoid
  // with CE at the budget both have reached, so a slow third loss does not shrink that comparison.
  const started = main.filter((d) => loggedQuenches(d.quenchLog) > 0);
  const budgetOf = (runs: readonly LandscapeData[]) => (runs.length ? Math.min(...runs.map((d) => loggedQuenches(d.quenchLog))) : 0);
  const commonQuenches = budgetOf(started);
  const pairQuenches = budgetOf(started.filter((d) => d.spec.loss === 'sigmoid' || d.spec.loss === 'ce'));
  const losses: LossSummary[] = [];
  const perSeed: Partial<Record<LossKind, SeedNumbers>> = {};
  const pooledNumbers: Partial<Record<LossKind, PooledNumbers>> = {};
  for (const loss of STUDY_LOSSES) {
    const runs = main.filter((d) => d.spec.loss === loss).sort((a, b) => a.spec.seed - b.spec.seed);
    if (runs.length === 0) continue;
    const stats = runs.map((d) => summariseLandscape(d.minima, d.transitionStates.length));
    const pooledMinima = poolMinima(
      runs.map((d) => d.minima),
      options.same,
      options.energyTolerance,
    );
    const pooled = summariseLandscape(pooledMinima, runs.reduce((n, d) => n + d.transitionStates.length, 0));
    const withAuc = pooledMinima.filter((m) => usable(m) && m.properties.testAuc !== undefined && Number.isFinite(m.properties.testAuc));
    const energy = withAuc.map((m) => m.energy);
    const testAuc = withAuc.map((m) => m.properties.testAuc!);
    const interval = withAuc.length >= 3 ? correlationInterval(energy, testAuc, { rng: options.rng, resamples: options.resamples }) : undefined;
    const summary: LossSummary = {
      loss,
      seeds: runs.map((d) => d.spec.seed),
      perSeed: {
        quenches: runs.map((d) => d.quenches),
        minima: runs.map((d) => d.minima.length),
        transitionStates: runs.map((d) => d.transitionStates.length),
        reachedAtCommon: runs.map((d) => reachedIds(d.quenchLog, commonQuenches).length),
        bestTestAuc: stats.map((s) => s.testAuc.best),
        meanTestAuc: stats.map((s) => s.testAuc.mean),
        meanLpphe: stats.map((s) => s.lpphe.mean),
      },
      pooled,
      pooledMinima,
      correlation: { r: pooled.energyTestAucCorrelation, interval, n: withAuc.length },
      ...(hasDeltaAuc(loss) ? { deltaAuc: deltaAucOf(pooledMinima) } : {}),
      lbfgsPerQuench: spread(runs.flatMap((d) => d.quenchLog.map((e) => e.iterations))),
    };
    losses.push(summary);
    perSeed[loss] = {
      reached: runs.filter((d) => loggedQuenches(d.quenchLog) > 0).map((d) => reachedIds(d.quenchLog, pairQuenches).length),
      totalMinima: summary.perSeed.minima,
      bestTestAuc: summary.perSeed.bestTestAuc.filter((v) => Number.isFinite(v)),
    };
    pooledNumbers[loss] = { lpphe: pooledMinima.filter(usable).map((m) => m.properties.lpphe).filter((v): v is number => v !== undefined && Number.isFinite(v)), energy, testAuc };
  }
  const sigmoidRuns = main.filter((d) => d.spec.loss === 'sigmoid');
  const ceAtSigmoid = losses.find((l) => l.loss === 'sigmoid')?.pooledMinima.filter(usable).map((m) => m.properties.ceLoss).filter((v): v is number => v !== undefined && Number.isFinite(v)) ?? [];
  const rows = mappingRows(sigmoidRuns, byId);
  const mapping: MappingSummary = {
    ceValue: spread(ceAtSigmoid),
    rows,
    converged: rows.filter((r) => r.converged).length,
    known: rows.filter((r) => r.targetId !== undefined).length,
    distinctTargets: new Set(rows.filter((r) => r.targetId !== undefined).map((r) => `${r.ceLandscape}#${r.targetId}`)).size,
    distance: spread(rows.map((r) => r.distance)),
    steps: spread(rows.map((r) => r.steps)),
  };
  const grid = (points: readonly GridPoint[], parameter: 'λ' | 'β') =>
    points.map((p) => gridRow(p, parameter, byId.get(p.landscape), options.variantSteps)).filter((r): r is GridRow => r !== undefined);
  return {
    landscapes: data.map(summariseLandscapeData),
    losses,
    commonQuenches,
    lambdaRows: grid(options.lambdaGrid, 'λ'),
    betaRows: grid(options.betaGrid, 'β'),
    mapping,
    findingInputs: { commonQuenches: pairQuenches, perSeed, pooled: pooledNumbers, ceAtSigmoidMinima: ceAtSigmoid },
  };
}

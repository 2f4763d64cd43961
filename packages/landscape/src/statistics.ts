// SPDX-License-Identifier: MIT
/**
 * The landscape statistics of the study's tables: counts, best / mean / σ test AUC, mean / σ
 * LPPHE, and the Pearson correlation of the loss with test AUC; plus percentile-bootstrap
 * confidence intervals for comparing landscapes.
 *
 * ```ts
 * const stats = summariseLandscape(await store.minima(), await store.transitionStateCount());
 * console.log(stats.testAuc.best, stats.lpphe.mean, stats.energyTestAucCorrelation);
 * ```
 * Flagged minima (a negative Hessian eigenvalue, a failed evaluation) are counted but left out
 * of every statistic.
 */
import { meanAndStd, requireInteger, requireNumberInRange, type Rng } from '@lossscape/numeric';
import type { MinimumRecord } from './records.js';

export interface Spread {
  /** How many values entered (minima with this property). */
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); NaN below two values. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  readonly median: number;
}

export interface LandscapeStatistics {
  readonly minima: number;
  readonly transitionStates: number;
  /** Minima left out because they are flagged. */
  readonly flaggedMinima: number;
  readonly energy: Spread;
  /** `best` is the highest test AUC. */
  readonly testAuc: Spread & { readonly best: number; readonly bestMinimumId: number | undefined };
  readonly trainAuc: Spread;
  readonly lpphe: Spread;
  readonly ceLoss: Spread;
  /** Pearson r of energy (the loss) with test AUC over the minima that have both; NaN below 3. */
  readonly energyTestAucCorrelation: number;
  /** Id and energy of the global minimum. */
  readonly globalMinimum: { readonly id: number; readonly energy: number; readonly testAuc: number | undefined } | undefined;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

export function spread(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  const sorted = [...finite].sort((a, b) => a - b);
  const { mean, std } = meanAndStd(finite);
  return { count: finite.length, mean, std, min: sorted.length ? sorted[0] : NaN, max: sorted.length ? sorted[sorted.length - 1] : NaN, median: median(sorted) };
}

/** Pearson's correlation coefficient; NaN for fewer than 3 pairs or a constant series. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 3) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

function isUsable(m: MinimumRecord): boolean {
  return m.properties.flag === undefined;
}

export function summariseLandscape(minima: readonly MinimumRecord[], transitionStates: number): LandscapeStatistics {
  const usable = minima.filter(isUsable);
  const values = (pick: (m: MinimumRecord) => number | undefined) => usable.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const withAuc = usable.filter((m) => m.properties.testAuc !== undefined && Number.isFinite(m.properties.testAuc));
  let best: MinimumRecord | undefined;
  for (const m of withAuc) if (best === undefined || m.properties.testAuc! > best.properties.testAuc!) best = m;
  let global: MinimumRecord | undefined;
  for (const m of usable) if (global === undefined || m.energy < global.energy) global = m;
  const auc = spread(withAuc.map((m) => m.properties.testAuc!));
  return {
    minima: minima.length,
    transitionStates,
    flaggedMinima: minima.length - usable.length,
    energy: spread(usable.map((m) => m.energy)),
    testAuc: { ...auc, best: best?.properties.testAuc ?? NaN, bestMinimumId: best?.id },
    trainAuc: spread(values((m) => m.properties.trainAuc)),
    lpphe: spread(values((m) => m.properties.lpphe)),
    ceLoss: spread(values((m) => m.properties.ceLoss)),
    energyTestAucCorrelation: pearson(
      withAuc.map((m) => m.energy),
      withAuc.map((m) => m.properties.testAuc!),
    ),
    globalMinimum: global ? { id: global.id, energy: global.energy, testAuc: global.properties.testAuc } : undefined,
  };
}

export interface BootstrapOptions {
  readonly rng: Rng;
  /** Resamples (default 2000). */
  readonly resamples?: number;
  /** Two-sided confidence level (default 0.95). */
  readonly level?: number;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly estimate: number;
}

function resample(values: readonly number[], rng: Rng, into: number[]): number[] {
  for (let i = 0; i < values.length; i++) into[i] = values[rng.int(values.length)];
  return into;
}

/** Percentile interval of `draw()` over the resamples. */
function percentileInterval(draw: () => number, estimate: number, options: BootstrapOptions): Interval {
  const resamples = requireInteger('resamples', options.resamples ?? 2000, 10);
  const level = requireNumberInRange('level', options.level ?? 0.95, 0, 1, { minExclusive: true });
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const s = draw();
    if (Number.isFinite(s)) stats.push(s);
  }
  if (stats.length === 0) return { low: NaN, high: NaN, estimate };
  stats.sort((x, y) => x - y);
  const at = (q: number) => stats[Math.min(stats.length - 1, Math.max(0, Math.floor(q * stats.length)))];
  return { low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), estimate };
}

/**
 * Percentile-bootstrap confidence interval of `statistic` over `values` (resampling with
 * replacement). NaN bounds for fewer than two values. Cost: resamples × the statistic's cost.
 */
export function bootstrapInterval(values: readonly number[], statistic: (sample: readonly number[]) => number, options: BootstrapOptions): Interval {
  const estimate = values.length ? statistic(values) : NaN;
  if (values.length < 2) return { low: NaN, high: NaN, estimate };
  const sample = new Array<number>(values.length);
  return percentileInterval(() => statistic(resample(values, options.rng, sample)), estimate, options);
}

/** The same for a statistic of two independent samples (e.g. a difference of means), each resampled. */
export function bootstrapDifference(
  a: readonly number[],
  b: readonly number[],
  statistic: (a: readonly number[], b: readonly number[]) => number,
  options: BootstrapOptions,
): Interval {
  const estimate = a.length && b.length ? statistic(a, b) : NaN;
  if (a.length < 2 || b.length < 2) return { low: NaN, high: NaN, estimate };
  const sa = new Array<number>(a.length);
  const sb = new Array<number>(b.length);
  return percentileInterval(() => statistic(resample(a, options.rng, sa), resample(b, options.rng, sb)), estimate, options);
}

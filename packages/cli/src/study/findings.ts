// SPDX-License-Identifier: MIT
/**
 * The reference study's findings, tested against this run's numbers. Each finding gets a
 * verdict — "holds", "does not hold" or "not tested" — from a bootstrap confidence interval and
 * its sample size, never from a point estimate alone:
 * - a directional claim (A > B) holds when the whole 95 % interval of (A − B) is above 0 and does
 *   not hold when the whole interval is below 0; an interval that includes 0, or a sample below
 *   the minimum size, means the samples are too small to tell: "not tested";
 * - a published value (CE at sigmoid minima: mean 1.2, median 0.8) holds when it lies inside the
 *   interval of this run's statistic.
 * Pure: the inputs are plain numbers, so the logic is tested with hand-made statistics.
 */
import { createRng, type Rng } from '@lossscape/numeric';
import { bootstrapDifference, bootstrapInterval, pearson, spread, type Interval } from '@lossscape/landscape';
import type { LossKind } from '../config/schema.js';

export type Verdict = 'holds' | 'does not hold' | 'not tested';

export interface Finding {
  readonly id: string;
  /** The study's claim in words. */
  readonly claim: string;
  /** What the study published (numbers where the issue or paper gives them). */
  readonly published: string;
  /** This run's numbers, in words. */
  readonly measured: string;
  /** Sample sizes, in words ("3 vs 3 seeds", "412 vs 198 minima"). */
  readonly sample: string;
  readonly estimate: number;
  readonly interval: Interval | undefined;
  readonly verdict: Verdict;
  /** Why this verdict (the rule applied, with its numbers). */
  readonly reason: string;
}

/** Per-seed numbers of one loss's main landscapes. */
export interface SeedNumbers {
  /** Distinct minima reached by the first `commonQuenches` quenches, per seed. */
  readonly reached: readonly number[];
  /** All minima in the database (quenches and connection searches), per seed. */
  readonly totalMinima: readonly number[];
  readonly bestTestAuc: readonly number[];
}

/** Minima of one loss's main landscapes, pooled over seeds (duplicates across seeds merged). */
export interface PooledNumbers {
  readonly lpphe: readonly number[];
  /** Energy and test AUC of the same minima, index by index. */
  readonly energy: readonly number[];
  readonly testAuc: readonly number[];
}

export interface FindingInputs {
  /** Quenches every started sigmoid and CE main landscape has done: the budget of finding 1. */
  readonly commonQuenches: number;
  readonly perSeed: Partial<Record<LossKind, SeedNumbers>>;
  readonly pooled: Partial<Record<LossKind, PooledNumbers>>;
  /** CE value (with λ) at each minimum of the sigmoid landscapes. */
  readonly ceAtSigmoidMinima: readonly number[];
}

export interface FindingOptions {
  readonly rng?: Rng;
  readonly resamples?: number;
  /** Two-sided confidence level, default 0.95. */
  readonly level?: number;
  /** Smallest number of seeds per side for a claim about per-seed numbers (default 3). */
  readonly minSeeds?: number;
  /** Smallest number of minima per side for a claim about minima (default 10). */
  readonly minMinima?: number;
}

/** The values the study published that this run can be compared with (from issue 10). */
export const PUBLISHED = Object.freeze({
  ceAtSigmoidMinimaMean: 1.2,
  ceAtSigmoidMinimaMedian: 0.8,
});

const mean = (v: readonly number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
const meanDifference = (a: readonly number[], b: readonly number[]) => mean(a) - mean(b);
const median = (v: readonly number[]) => spread(v).median;

export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '–' : v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  const s = a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(digits - 1) : Number(v.toPrecision(digits)).toString();
  return s.replace(/^-/, '−');
}

export function fmtInterval(i: Interval | undefined, digits = 3): string {
  return i && Number.isFinite(i.low) && Number.isFinite(i.high) ? `[${fmt(i.low, digits)}, ${fmt(i.high, digits)}]` : '–';
}

function meanPm(v: readonly number[]): string {
  const s = spread(v);
  return s.count === 0 ? '–' : s.count === 1 ? fmt(s.mean) : `${fmt(s.mean)} ± ${fmt(s.std, 2)}`;
}

/**
 * Verdict for "the statistic is > 0" (sign +1) or "< 0" (sign −1), given its interval and
 * whether the samples were large enough.
 */
export function judgeDirection(interval: Interval | undefined, enough: boolean, sign: 1 | -1, sizes: string): { verdict: Verdict; reason: string } {
  if (!enough) return { verdict: 'not tested', reason: `too few samples (${sizes})` };
  if (!interval || !Number.isFinite(interval.low) || !Number.isFinite(interval.high)) return { verdict: 'not tested', reason: `no interval could be computed (${sizes})` };
  const ci = fmtInterval(interval);
  const side = sign > 0 ? 'above' : 'below';
  if (sign > 0 ? interval.low > 0 : interval.high < 0) return { verdict: 'holds', reason: `95 % interval ${ci} lies ${side} 0` };
  if (sign > 0 ? interval.high < 0 : interval.low > 0) return { verdict: 'does not hold', reason: `95 % interval ${ci} lies ${sign > 0 ? 'below' : 'above'} 0 (the opposite of the claim)` };
  return { verdict: 'not tested', reason: `95 % interval ${ci} includes 0: the samples are too small to tell` };
}

/** Verdict for "this run reproduces the published value": inside the interval holds. */
export function judgeValue(interval: Interval | undefined, published: number, enough: boolean, sizes: string): { verdict: Verdict; reason: string } {
  if (!enough) return { verdict: 'not tested', reason: `too few samples (${sizes})` };
  if (!interval || !Number.isFinite(interval.low) || !Number.isFinite(interval.high)) return { verdict: 'not tested', reason: `no interval could be computed (${sizes})` };
  const ci = fmtInterval(interval);
  return interval.low <= published && published <= interval.high
    ? { verdict: 'holds', reason: `published ${fmt(published)} lies inside the 95 % interval ${ci}` }
    : { verdict: 'does not hold', reason: `published ${fmt(published)} lies outside the 95 % interval ${ci}` };
}

/** Bootstrap interval of Pearson's r over (x, y) pairs, resampling pairs. */
export function correlationInterval(x: readonly number[], y: readonly number[], options: { rng: Rng; resamples?: number; level?: number }): Interval {
  const n = Math.min(x.length, y.length);
  const index = Array.from({ length: n }, (_, i) => i);
  return bootstrapInterval(
    index,
    (sample) =>
      pearson(
        sample.map((i) => x[i]),
        sample.map((i) => y[i]),
      ),
    options,
  );
}

function pick<T>(record: Partial<Record<LossKind, T>>, loss: LossKind): T | undefined {
  return record[loss];
}

/** Tests the study's findings on `inputs`; the order is the report's. */
export function assessFindings(inputs: FindingInputs, options: FindingOptions = {}): Finding[] {
  const rng = options.rng ?? createRng(20220115);
  const boot = { rng, resamples: options.resamples ?? 4000, level: options.level ?? 0.95 };
  const minSeeds = options.minSeeds ?? 3;
  const minMinima = options.minMinima ?? 10;
  const out: Finding[] = [];
  const sig = pick(inputs.perSeed, 'sigmoid');
  const ce = pick(inputs.perSeed, 'ce');
  const sigPool = pick(inputs.pooled, 'sigmoid');
  const cePool = pick(inputs.pooled, 'ce');

  // 1. More minima for appAUC than CE, at an equal number of quenches.
  {
    const a = sig?.reached ?? [];
    const b = ce?.reached ?? [];
    const enough = a.length >= minSeeds && b.length >= minSeeds && inputs.commonQuenches > 0;
    const interval = a.length >= 2 && b.length >= 2 ? bootstrapDifference(a, b, meanDifference, boot) : undefined;
    const sizes = `${a.length} vs ${b.length} seeds, ${inputs.commonQuenches} quenches each`;
    out.push({
      id: 'more-minima',
      claim: 'The appAUC (sigmoid) landscape has more minima than the CE landscape',
      published: 'appAUC: substantially more minima than CE',
      measured: `distinct minima reached in the first ${inputs.commonQuenches} quenches: sigmoid ${meanPm(a)} vs CE ${meanPm(b)} per seed (all minima stored, incl. connection searches: ${meanPm(sig?.totalMinima ?? [])} vs ${meanPm(ce?.totalMinima ?? [])})`,
      sample: sizes,
      estimate: meanDifference(a, b),
      interval,
      ...judgeDirection(interval, enough, 1, sizes),
    });
  }

  // 2. Better best test AUC for appAUC.
  {
    const a = sig?.bestTestAuc ?? [];
    const b = ce?.bestTestAuc ?? [];
    const enough = a.length >= minSeeds && b.length >= minSeeds;
    const interval = a.length >= 2 && b.length >= 2 ? bootstrapDifference(a, b, meanDifference, boot) : undefined;
    const sizes = `${a.length} vs ${b.length} seeds`;
    out.push({
      id: 'better-best-auc',
      claim: 'The best test AUC over the appAUC (sigmoid) minima exceeds that over the CE minima',
      published: 'appAUC improves the (best) test AUC over CE',
      measured: `best test AUC per seed: sigmoid ${meanPm(a)} vs CE ${meanPm(b)}`,
      sample: sizes,
      estimate: meanDifference(a, b),
      interval,
      ...judgeDirection(interval, enough, 1, sizes),
    });
  }

  // 3. Larger mean LPPHE for appAUC (less robust minima, larger Hessian eigenvalues).
  {
    const a = sigPool?.lpphe ?? [];
    const b = cePool?.lpphe ?? [];
    const enough = a.length >= minMinima && b.length >= minMinima;
    const interval = a.length >= 2 && b.length >= 2 ? bootstrapDifference(a, b, meanDifference, boot) : undefined;
    const sizes = `${a.length} vs ${b.length} minima`;
    out.push({
      id: 'larger-lpphe',
      claim: 'Mean LPPHE of the appAUC (sigmoid) minima is larger than that of the CE minima',
      published: 'appAUC minima: larger average Hessian eigenvalues (larger LPPHE), i.e. less robust',
      measured: `mean LPPHE: sigmoid ${meanPm(a)} vs CE ${meanPm(b)} (σ over minima)`,
      sample: sizes,
      estimate: meanDifference(a, b),
      interval,
      ...judgeDirection(interval, enough, 1, sizes),
    });
  }

  // 4. Negative correlation of the loss with test AUC (appAUC).
  {
    const e = sigPool?.energy ?? [];
    const t = sigPool?.testAuc ?? [];
    const n = Math.min(e.length, t.length);
    const interval = n >= 3 ? correlationInterval(e, t, boot) : undefined;
    const sizes = `${n} minima`;
    out.push({
      id: 'negative-correlation',
      claim: 'On the appAUC (sigmoid) landscape, lower loss goes with higher test AUC (Pearson r < 0)',
      published: 'negative correlation between the appAUC loss and test AUC',
      measured: `Pearson r (loss, test AUC) over sigmoid minima: ${fmt(pearson(e, t))}`,
      sample: sizes,
      estimate: pearson(e, t),
      interval,
      ...judgeDirection(interval, n >= minMinima, -1, sizes),
    });
  }

  // 5. Hinge is the worst surrogate: by best test AUC per seed, and by mean test AUC of minima.
  {
    const others = (Object.keys(inputs.perSeed) as LossKind[]).filter((k) => k !== 'hinge' && (inputs.perSeed[k]?.bestTestAuc.length ?? 0) > 0);
    const hinge = inputs.perSeed.hinge?.bestTestAuc ?? [];
    const worstOther = others.reduce<LossKind | undefined>((w, k) => (w === undefined || mean(inputs.perSeed[k]!.bestTestAuc) < mean(inputs.perSeed[w]!.bestTestAuc) ? k : w), undefined);
    const b = worstOther ? inputs.perSeed[worstOther]!.bestTestAuc : [];
    const enough = hinge.length >= minSeeds && b.length >= minSeeds;
    const interval = hinge.length >= 2 && b.length >= 2 ? bootstrapDifference(b, hinge, meanDifference, boot) : undefined;
    const sizes = `${hinge.length} vs ${b.length} seeds`;
    out.push({
      id: 'hinge-worst-best',
      claim: 'Hinge gives the worst best test AUC of the losses',
      published: 'hinge performs worst',
      measured: `best test AUC per seed: hinge ${meanPm(hinge)}; lowest other: ${worstOther ?? '–'} ${meanPm(b)}`,
      sample: sizes,
      estimate: meanDifference(b, hinge),
      interval,
      ...judgeDirection(interval, enough, 1, sizes),
    });
  }
  {
    const others = (Object.keys(inputs.pooled) as LossKind[]).filter((k) => k !== 'hinge' && (inputs.pooled[k]?.testAuc.length ?? 0) > 0);
    const hinge = inputs.pooled.hinge?.testAuc ?? [];
    const worstOther = others.reduce<LossKind | undefined>((w, k) => (w === undefined || mean(inputs.pooled[k]!.testAuc) < mean(inputs.pooled[w]!.testAuc) ? k : w), undefined);
    const b = worstOther ? inputs.pooled[worstOther]!.testAuc : [];
    const enough = hinge.length >= minMinima && b.length >= minMinima;
    const interval = hinge.length >= 2 && b.length >= 2 ? bootstrapDifference(b, hinge, meanDifference, boot) : undefined;
    const sizes = `${hinge.length} vs ${b.length} minima`;
    out.push({
      id: 'hinge-worst-mean',
      claim: 'Hinge gives the worst mean test AUC over its minima',
      published: 'hinge performs worst',
      measured: `mean test AUC of minima: hinge ${meanPm(hinge)}; lowest other: ${worstOther ?? '–'} ${meanPm(b)}`,
      sample: sizes,
      estimate: meanDifference(b, hinge),
      interval,
      ...judgeDirection(interval, enough, 1, sizes),
    });
  }

  // 6. CE value at the sigmoid minima: mean 1.2, median 0.8.
  {
    const v = inputs.ceAtSigmoidMinima.filter((x) => Number.isFinite(x));
    const sizes = `${v.length} sigmoid minima`;
    const im = v.length >= 2 ? bootstrapInterval(v, mean, boot) : undefined;
    out.push({
      id: 'ce-at-sigmoid-mean',
      claim: `Mean CE value at the sigmoid minima is ${PUBLISHED.ceAtSigmoidMinimaMean}`,
      published: `mean ${PUBLISHED.ceAtSigmoidMinimaMean}`,
      measured: `mean ${fmt(mean(v))}`,
      sample: sizes,
      estimate: mean(v),
      interval: im,
      ...judgeValue(im, PUBLISHED.ceAtSigmoidMinimaMean, v.length >= minMinima, sizes),
    });
    const id = v.length >= 2 ? bootstrapInterval(v, median, boot) : undefined;
    out.push({
      id: 'ce-at-sigmoid-median',
      claim: `Median CE value at the sigmoid minima is ${PUBLISHED.ceAtSigmoidMinimaMedian}`,
      published: `median ${PUBLISHED.ceAtSigmoidMinimaMedian}`,
      measured: `median ${fmt(median(v))}`,
      sample: sizes,
      estimate: median(v),
      interval: id,
      ...judgeValue(id, PUBLISHED.ceAtSigmoidMinimaMedian, v.length >= minMinima, sizes),
    });
  }
  return out;
}

// SPDX-License-Identifier: MIT
/**
 * The loss of a network on a dataset as a `Potential` (energy = loss + λ‖w‖²) for the sampler,
 * with exact float64 gradient, dense Hessian, Hessian-vector products and symmetry-aware
 * identity of minima.
 *
 * ```ts
 * const potential = createLossPotential({
 *   model: { inputs: 2, hidden: 10, classes: 2 },
 *   data: { features, labels },                  // Float64Array N×2, Int32Array N
 *   loss: { kind: 'sigmoid', beta: 40 },
 *   l2: 1e-5,
 * });
 * const g = new Float64Array(potential.dimension);
 * const e = potential.energyGradient(w, g);
 * const h = potential.hessian(w);                // row-major W×W
 * ```
 *
 * Pairwise losses take the scores s (positives: label = positiveClass) and t (every other
 * label) from the softmax probability of the positive class. With r = ∂L/∂score, D the
 * diagonal and K = ∂²L/∂s∂t the cross block of the score Hessian, e_d = ∂p_d/∂y_d and
 * g_d = J_dᵀe_d:
 *   ∇L = Σ_d r_d·g_d,
 *   H  = Σ_d J_dᵀ(r_d∇²_y p_d + D_d e_d e_dᵀ)J_d + Σ_d r_d Σ_k e_dk∇²y_dk + G₊ᵀKG₋ + G₋ᵀKᵀG₊.
 * Costs: value/gradient O(N·W) + the loss's score cost; Hessian O(N·C·W²) + the loss's cross
 * cost (O(N⁺N⁻W) for sigmoid/tanh, O(N·W) otherwise); Hessian-vector product O(N·W) + the
 * loss's score cost.
 *
 * Threads: with `pool` (from @lossscape/parallel's createPool), the sigmoid and tanh pair sums
 * (value, gradient, the Hessian's cross term K·G₋, the HVP's K·u) run in row blocks on the pool's
 * threads once N⁺·N⁻ ≥ `parallelThreshold`. Results depend on the threshold only, never on the
 * pool or its size (kernels/pair-threads.ts).
 */
import type { ParallelPool } from '@lossscape/parallel';
import {
  LandscapeError,
  TOL,
  expectedMessage,
  requireInteger,
  requireNonNegative,
  requirePositive,
  type Potential,
} from '@lossscape/numeric';
import { allocateForward, forwardInto } from './forward.js';
import { WHOLE_RANGE, createPairThreads, type PairPlan, type PairThreads } from './kernels/pair-threads.js';
import { anyNonFinite, overflowWarning, unscale, unscaleInPlace } from './log-scale.js';
import { resolveLoss } from './losses/registry.js';
import type { LossKind, LossParameters, LossSpec, LossWarning, PairwiseLossDefinition, SampleLossDefinition } from './losses/types.js';
import { requireFeatures, requireModel, requireWeights, weightLayout, type ModelSpec, type WeightLayout } from './model.js';
import {
  accumulateSampleHessian,
  addJacobianTransposeTimes,
  allocateSampleHessianScratch,
  backwardDirectional,
  forwardDirectional,
  mirrorUpper,
} from './network-derivatives.js';
import { alignUnchecked } from './symmetry.js';

/** A dataset: features N×inputs row-major, integer labels 0..C−1. */
export interface Dataset {
  readonly features: Float64Array;
  readonly labels: Int32Array;
}

export interface LossPotentialOptions {
  readonly model: ModelSpec;
  readonly data: Dataset;
  readonly loss: LossSpec;
  /** λ of the L2 term λ‖w‖² over every weight (biases included); default 1e-5, ≥ 0. */
  readonly l2?: number;
  /** sameMinimum: aligned distance at most this (default TOL.DUPLICATE_DISTANCE = 1e-3). */
  readonly duplicateDistance?: number;
  /** Called with numerical events (exponential-loss overflow); libraries never print. */
  readonly onWarning?: (warning: LossWarning) => void;
  /**
   * Threads for the sigmoid/tanh pair sums: a pool from @lossscape/parallel's createPool, shared
   * by the caller (e.g. one per basin-hopping chain, sized by planThreads' kernelThreads). The
   * potential never creates or closes a pool. Other losses ignore it.
   */
  readonly pool?: ParallelPool;
  /**
   * N⁺·N⁻ from which the pair sums are cut into row blocks and spread over `pool` (default
   * DEFAULT_PARALLEL_THRESHOLD = 1e5; Infinity: never). Below it one thread computes the whole
   * range. Part of the results' identity (the blocks regroup additions), unlike the pool.
   */
  readonly parallelThreshold?: number;
}

/** The loss as resolved: kind, parameters with defaults (NaN where unused), positive class. */
export interface ResolvedLossSpec {
  readonly kind: LossKind;
  readonly beta: number;
  readonly margin: number;
  readonly positiveClass: number;
}

export interface LossPotential extends Potential {
  readonly dimension: number;
  readonly model: ModelSpec;
  readonly loss: ResolvedLossSpec;
  readonly l2: number;
  energy(x: Float64Array): number;
  energyGradient(x: Float64Array, gradientOut: Float64Array): number;
  hessian(x: Float64Array): Float64Array;
  hessianVectorProduct(x: Float64Array, v: Float64Array, out: Float64Array): void;
  sameMinimum(a: Float64Array, b: Float64Array): boolean;
  alignedDistance(a: Float64Array, b: Float64Array): number;
  align(a: Float64Array, b: Float64Array): Float64Array;
  /** The loss without the L2 term (mean pair loss, or CE). */
  dataLoss(x: Float64Array): number;
  /** How the pair sums run: blocks (1: whole range), rows per block, threads (1 for losses without pair sums). */
  readonly pairPlan: PairPlan;
}

/** Validates a dataset against a model; returns N. */
export function requireDataset(name: string, data: unknown, model: ModelSpec): number {
  if (typeof data !== 'object' || data === null) throw new TypeError(expectedMessage('an object { features, labels }', name, data));
  const { features, labels } = data as Record<string, unknown>;
  const count = requireFeatures(`${name}.features`, features, model.inputs);
  if (count === 0) throw new LandscapeError(expectedMessage('at least one row', `${name}.features`, features), 'ERR_DIMENSION_MISMATCH');
  if (!(labels instanceof Int32Array)) throw new TypeError(expectedMessage('Int32Array', `${name}.labels`, labels));
  if (labels.length !== count) {
    throw new LandscapeError(expectedMessage(`Int32Array of length ${count} (one label per row)`, `${name}.labels`, labels), 'ERR_DIMENSION_MISMATCH');
  }
  for (let d = 0; d < count; d++) {
    const c = labels[d];
    if (c < 0 || c >= model.classes) {
      throw new LandscapeError(`Expected integer label between 0 and ${model.classes - 1} for ${name}.labels[${d}] but received ${c}`, 'ERR_LABEL_RANGE');
    }
  }
  return count;
}

/** Builds the potential. Validates everything once; the methods check only the weights. */
export function createLossPotential(options: LossPotentialOptions): LossPotential {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('an options object { model, data, loss, l2? }', 'options', options));
  const model = requireModel(options.model, 'model');
  const count = requireDataset('data', options.data, model);
  const { definition, parameters } = resolveLoss(options.loss, 'loss');
  const positiveClass = requireInteger('loss.positiveClass', options.loss.positiveClass ?? 1, 0, model.classes - 1);
  const l2 = options.l2 === undefined ? 1e-5 : requireNonNegative('l2', options.l2);
  const duplicateDistance = options.duplicateDistance === undefined ? TOL.DUPLICATE_DISTANCE : requirePositive('duplicateDistance', options.duplicateDistance);
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') throw new TypeError(expectedMessage('function', 'onWarning', options.onWarning));
  const pairThreads = createPairThreads({ pool: options.pool, threshold: options.parallelThreshold });
  const { features, labels } = options.data;
  let nPos = 0;
  for (let d = 0; d < count; d++) if (labels[d] === positiveClass) nPos++;
  if (definition.type === 'pairwise' && (nPos === 0 || nPos === count)) {
    throw new LandscapeError(
      `Expected at least one positive (label ${positiveClass}) and one negative example for loss '${definition.kind}' but received ${nPos} positives and ${count - nPos} negatives`,
      'ERR_SINGLE_CLASS',
    );
  }
  const layout = weightLayout(model);
  const positives = new Int32Array(nPos);
  const negatives = new Int32Array(count - nPos);
  for (let d = 0, ip = 0, ineg = 0; d < count; d++) {
    if (labels[d] === positiveClass) positives[ip++] = d;
    else negatives[ineg++] = d;
  }
  return new NetworkLossPotential(
    layout,
    Float64Array.from(features),
    Int32Array.from(labels),
    count,
    positives,
    negatives,
    definition,
    parameters,
    { kind: definition.kind, beta: parameters.beta, margin: parameters.margin, positiveClass },
    l2,
    duplicateDistance,
    options.onWarning,
    definition.kind === 'sigmoid' || definition.kind === 'tanh' ? pairThreads : WHOLE_RANGE,
  );
}

class NetworkLossPotential implements LossPotential {
  readonly dimension: number;
  readonly model: ModelSpec;
  readonly pairPlan: PairPlan;
  private readonly fw;
  private readonly phi: Float64Array;
  private readonly scores: { s: Float64Array; t: Float64Array; rs: Float64Array; rt: Float64Array };

  constructor(
    private readonly layout: WeightLayout,
    private readonly features: Float64Array,
    private readonly labels: Int32Array,
    private readonly count: number,
    private readonly positives: Int32Array,
    private readonly negatives: Int32Array,
    private readonly definition: PairwiseLossDefinition | SampleLossDefinition,
    private readonly parameters: LossParameters,
    readonly loss: ResolvedLossSpec,
    readonly l2: number,
    private readonly duplicateDistance: number,
    private readonly onWarning: ((warning: LossWarning) => void) | undefined,
    private readonly pairThreads: PairThreads,
  ) {
    this.dimension = layout.count;
    this.model = Object.freeze({ inputs: layout.inputs, hidden: layout.hidden, classes: layout.classes });
    this.fw = allocateForward(layout, count);
    this.phi = new Float64Array(count * layout.classes);
    this.scores = {
      s: new Float64Array(positives.length),
      t: new Float64Array(negatives.length),
      rs: new Float64Array(positives.length),
      rt: new Float64Array(negatives.length),
    };
    this.pairPlan = Object.freeze(pairThreads.plan(positives.length, negatives.length));
  }

  energy(x: Float64Array): number {
    return this.evaluate(x, null) + this.l2Term(x);
  }

  energyGradient(x: Float64Array, gradientOut: Float64Array): number {
    requireWeights('gradientOut', gradientOut, this.dimension);
    return this.evaluate(x, gradientOut) + this.l2Term(x);
  }

  dataLoss(x: Float64Array): number {
    return this.evaluate(x, null);
  }

  hessian(x: Float64Array): Float64Array {
    this.forward(x);
    const L = this.layout;
    const W = L.count;
    const C = L.classes;
    const hess = new Float64Array(W * W);
    const scratch = allocateSampleHessianScratch(L);
    const bigPhi = new Float64Array(C * C);
    const { hidden, probabilities } = this.fw;
    let logScale = 0;
    if (this.definition.type === 'per-sample') {
      const def = this.definition;
      const phi = this.phi;
      def.valueAndLogitGradient(this.fw.logProbabilities, probabilities, this.labels, this.count, C, phi);
      const inv = 1 / this.count;
      for (let d = 0; d < this.count; d++) {
        for (let k = 0; k < C; k++) phi[d * C + k] *= inv;
        def.logitHessian(probabilities, d, C, bigPhi);
        for (let q = 0; q < C * C; q++) bigPhi[q] *= inv;
        accumulateSampleHessian(L, x, this.features, hidden, d, phi, d * C, bigPhi, scratch, hess);
      }
    } else {
      const { s, t } = this.gatherScores();
      // G₋ (N⁻×W): rows g_j = J_jᵀe_j, multiplied by K inside the loss's curvature call.
      const gNeg = this.scoreJacobianRows(x, this.negatives);
      const gPos = this.scoreJacobianRows(x, this.positives);
      const curv = this.definition.curvature(s, t, this.parameters, { k: W, x: gNeg, y: new Float64Array(0) }, this.pairThreads);
      logScale = curv.logScale;
      const e = new Float64Array(C);
      const phiRow = new Float64Array(C);
      const addSample = (d: number, r: number, second: number): void => {
        this.probabilityGradient(d, e);
        for (let k = 0; k < C; k++) phiRow[k] = r * e[k];
        this.probabilityHessian(d, bigPhi);
        for (let k = 0; k < C; k++) for (let l = 0; l < C; l++) bigPhi[k * C + l] = r * bigPhi[k * C + l] + second * e[k] * e[l];
        accumulateSampleHessian(L, x, this.features, hidden, d, phiRow, 0, bigPhi, scratch, hess);
      };
      for (let i = 0; i < this.positives.length; i++) addSample(this.positives[i], curv.positiveGradient[i], curv.positiveSecond[i]);
      for (let j = 0; j < this.negatives.length; j++) addSample(this.negatives[j], curv.negativeGradient[j], curv.negativeSecond[j]);
      // Cross-sample term G₊ᵀZ + ZᵀG₊ with Z = K·G₋ (N⁺×W), upper triangle.
      const z = curv.cross;
      for (let i = 0; i < this.positives.length; i++) {
        const o = i * W;
        for (let a = 0; a < W; a++) {
          const ga = gPos[o + a];
          const za = z[o + a];
          const ho = a * W;
          for (let b = a; b < W; b++) hess[ho + b] += ga * z[o + b] + za * gPos[o + b];
        }
      }
    }
    mirrorUpper(hess, W);
    if (logScale !== 0) {
      unscaleInPlace(hess, logScale);
      if (anyNonFinite(hess)) this.warn({ code: 'ERR_OVERFLOW', message: `The ${this.loss.kind} loss Hessian exceeds float64: some entries are ±Infinity` });
    }
    for (let a = 0; a < W; a++) hess[a * W + a] += 2 * this.l2;
    return hess;
  }

  hessianVectorProduct(x: Float64Array, v: Float64Array, out: Float64Array): void {
    requireWeights('v', v, this.dimension);
    requireWeights('out', out, this.dimension);
    this.forward(x);
    const L = this.layout;
    const C = L.classes;
    const N = this.count;
    const { hidden, probabilities } = this.fw;
    const rHidden = new Float64Array(N * L.hidden);
    const rLogits = new Float64Array(N * C);
    forwardDirectional(L, x, v, this.features, hidden, N, rHidden, rLogits);
    const phi = this.phi;
    const rPhi = new Float64Array(N * C);
    const bigPhi = new Float64Array(C * C);
    let logScale = 0;
    if (this.definition.type === 'per-sample') {
      this.definition.valueAndLogitGradient(this.fw.logProbabilities, probabilities, this.labels, N, C, phi);
      for (let d = 0; d < N; d++) {
        this.definition.logitHessian(probabilities, d, C, bigPhi);
        for (let k = 0; k < C; k++) {
          let acc = 0;
          for (let l = 0; l < C; l++) acc += bigPhi[k * C + l] * rLogits[d * C + l];
          rPhi[d * C + k] = acc / N;
          phi[d * C + k] /= N;
        }
      }
    } else {
      const { s, t } = this.gatherScores();
      const e = new Float64Array(C);
      // Directional derivative of each score: Rs_d = e_d·Ry_d.
      const rScore = new Float64Array(N);
      for (let d = 0; d < N; d++) {
        this.probabilityGradient(d, e);
        let acc = 0;
        for (let k = 0; k < C; k++) acc += e[k] * rLogits[d * C + k];
        rScore[d] = acc;
      }
      const uPos = new Float64Array(this.positives.length);
      const uNeg = new Float64Array(this.negatives.length);
      for (let i = 0; i < uPos.length; i++) uPos[i] = rScore[this.positives[i]];
      for (let j = 0; j < uNeg.length; j++) uNeg[j] = rScore[this.negatives[j]];
      const curv = this.definition.curvature(s, t, this.parameters, { k: 1, x: uNeg, y: uPos }, this.pairThreads);
      logScale = curv.logScale;
      const setSample = (d: number, r: number, rr: number): void => {
        this.probabilityGradient(d, e);
        this.probabilityHessian(d, bigPhi);
        for (let k = 0; k < C; k++) {
          let acc = 0;
          for (let l = 0; l < C; l++) acc += bigPhi[k * C + l] * rLogits[d * C + l];
          phi[d * C + k] = r * e[k];
          rPhi[d * C + k] = r * acc + rr * e[k];
        }
      };
      for (let i = 0; i < uPos.length; i++) {
        setSample(this.positives[i], curv.positiveGradient[i], curv.positiveSecond[i] * uPos[i] + curv.cross[i]);
      }
      for (let j = 0; j < uNeg.length; j++) {
        setSample(this.negatives[j], curv.negativeGradient[j], curv.negativeSecond[j] * uNeg[j] + curv.crossTranspose[j]);
      }
    }
    out.fill(0);
    backwardDirectional(L, x, v, this.features, hidden, rHidden, phi, rPhi, N, out);
    if (logScale !== 0) unscaleInPlace(out, logScale);
    for (let a = 0; a < out.length; a++) out[a] += 2 * this.l2 * v[a];
  }

  alignedDistance(a: Float64Array, b: Float64Array): number {
    requireWeights('a', a, this.dimension);
    requireWeights('b', b, this.dimension);
    return alignUnchecked(this.layout, a, b).distance;
  }

  sameMinimum(a: Float64Array, b: Float64Array): boolean {
    return this.alignedDistance(a, b) <= this.duplicateDistance;
  }

  align(a: Float64Array, b: Float64Array): Float64Array {
    requireWeights('a', a, this.dimension);
    requireWeights('b', b, this.dimension);
    return alignUnchecked(this.layout, a, b).aligned;
  }

  private warn(warning: LossWarning): void {
    this.onWarning?.(warning);
  }

  private l2Term(x: Float64Array): number {
    let sq = 0;
    for (let a = 0; a < x.length; a++) sq += x[a] * x[a];
    return this.l2 * sq;
  }

  private forward(x: Float64Array): void {
    requireWeights('x', x, this.dimension);
    forwardInto(this.layout, x, this.features, this.count, this.fw);
  }

  /** The loss without L2, and the full gradient (L2 included) into gradientOut when given. */
  private evaluate(x: Float64Array, gradientOut: Float64Array | null): number {
    this.forward(x);
    const L = this.layout;
    const C = L.classes;
    const N = this.count;
    const phi = this.phi;
    let value: number;
    let logScale = 0;
    if (this.definition.type === 'per-sample') {
      value = this.definition.valueAndLogitGradient(this.fw.logProbabilities, this.fw.probabilities, this.labels, N, C, phi) / N;
      for (let q = 0; q < phi.length; q++) phi[q] /= N;
    } else {
      const { s, t, rs, rt } = this.gatherScores();
      const g = this.definition.gradient(s, t, this.parameters, { positiveGradient: rs, negativeGradient: rt }, this.pairThreads);
      logScale = g.logScale;
      value = unscale(g.value, logScale);
      if (!Number.isFinite(value)) this.warn(overflowWarning(this.loss.kind, 'value', g.value, logScale));
      if (gradientOut) {
        const e = new Float64Array(C);
        for (let i = 0; i < this.positives.length; i++) this.setScorePhi(this.positives[i], rs[i], e);
        for (let j = 0; j < this.negatives.length; j++) this.setScorePhi(this.negatives[j], rt[j], e);
      }
    }
    if (gradientOut) {
      gradientOut.fill(0);
      for (let d = 0; d < N; d++) addJacobianTransposeTimes(L, x, this.features, this.fw.hidden, d, phi, d * C, gradientOut, 0);
      if (logScale !== 0) {
        unscaleInPlace(gradientOut, logScale);
        if (Number.isFinite(value) && anyNonFinite(gradientOut)) {
          this.warn({ code: 'ERR_OVERFLOW', message: `The ${this.loss.kind} loss gradient exceeds float64: some entries are ±Infinity` });
        }
      }
      for (let a = 0; a < x.length; a++) gradientOut[a] += 2 * this.l2 * x[a];
    }
    return value;
  }

  private setScorePhi(d: number, r: number, e: Float64Array): void {
    const C = this.layout.classes;
    this.probabilityGradient(d, e);
    for (let k = 0; k < C; k++) this.phi[d * C + k] = r * e[k];
  }

  private gatherScores(): { s: Float64Array; t: Float64Array; rs: Float64Array; rt: Float64Array } {
    const C = this.layout.classes;
    const pc = this.loss.positiveClass;
    const p = this.fw.probabilities;
    const { s, t } = this.scores;
    for (let i = 0; i < this.positives.length; i++) s[i] = p[this.positives[i] * C + pc];
    for (let j = 0; j < this.negatives.length; j++) t[j] = p[this.negatives[j] * C + pc];
    return this.scores;
  }

  /** 1 − p_k for k = positive class, else −p_k; with 1 − p_pc as the sum of the others (no cancellation). */
  private complement(d: number, v: Float64Array): void {
    const C = this.layout.classes;
    const pc = this.loss.positiveClass;
    const p = this.fw.probabilities;
    let others = 0;
    for (let k = 0; k < C; k++) {
      if (k !== pc) {
        others += p[d * C + k];
        v[k] = -p[d * C + k];
      }
    }
    v[pc] = others;
  }

  /** e = ∂p/∂y for row d, p = softmax(y)[positiveClass]: e_k = p·(δ_k,pc − p_k). */
  private probabilityGradient(d: number, e: Float64Array): void {
    const C = this.layout.classes;
    const p = this.fw.probabilities[d * C + this.loss.positiveClass];
    this.complement(d, e);
    for (let k = 0; k < C; k++) e[k] *= p;
  }

  /**
   * ∂²p/∂y_k∂y_l = p·(v_k v_l − p_k δ_kl + p_k p_l), v_k = δ_k,pc − p_k, written per case so that
   * nothing cancels when p saturates (o = 1 − p as the sum of the other probabilities):
   * (pc, pc): p·o·(o − p);  (k, k): p·p_k(2p_k − 1);  (pc, m): p·p_m(p − o);  (k, l): 2p·p_k·p_l.
   */
  private probabilityHessian(d: number, out: Float64Array): void {
    const C = this.layout.classes;
    const pc = this.loss.positiveClass;
    const probs = this.fw.probabilities;
    const p = probs[d * C + pc];
    let o = 0;
    for (let k = 0; k < C; k++) if (k !== pc) o += probs[d * C + k];
    for (let k = 0; k < C; k++) {
      const pk = probs[d * C + k];
      for (let l = 0; l < C; l++) {
        const pl = probs[d * C + l];
        let value: number;
        if (k === pc && l === pc) value = o * (o - p);
        else if (k === l) value = pk * (2 * pk - 1);
        else if (k === pc) value = pl * (p - o);
        else if (l === pc) value = pk * (p - o);
        else value = 2 * pk * pl;
        out[k * C + l] = p * value;
      }
    }
  }

  /** Rows g_d = J_dᵀe_d (the gradient of the positive-class probability) for the given samples. */
  private scoreJacobianRows(x: Float64Array, samples: Int32Array): Float64Array {
    const L = this.layout;
    const W = L.count;
    const rows = new Float64Array(samples.length * W);
    const e = new Float64Array(L.classes);
    for (let r = 0; r < samples.length; r++) {
      this.probabilityGradient(samples[r], e);
      addJacobianTransposeTimes(L, x, this.features, this.fw.hidden, samples[r], e, 0, rows, r * W);
    }
    return rows;
  }
}

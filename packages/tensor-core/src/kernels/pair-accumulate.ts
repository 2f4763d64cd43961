// SPDX-License-Identifier: MIT
/**
 * Shared accumulation for second-order pair kernels: a row kernel first fills, for one
 * positive row i, the per-pair weights w1[j] (first-derivative shape) and w2[j]
 * (second-derivative shape) against every negative j; this adds them into row and column
 * sums and the cross products the Hessian needs.
 */

/** Output buffers of a second-order pair kernel (all plain Float64Arrays, shareable). */
export interface PairSecondOrderBuffers {
  /** N⁺: Σ_j w1_ij (assigned for the rows of the block). */
  readonly rowFirst: Float64Array;
  /** N⁻: Σ_i w1_ij (accumulated: one buffer per concurrent block, summed in block order). */
  readonly colFirst: Float64Array;
  /** N⁺: Σ_j w2_ij (assigned). */
  readonly rowSecond: Float64Array;
  /** N⁻: Σ_i w2_ij (accumulated). */
  readonly colSecond: Float64Array;
  /** N⁺×k: Σ_j w2_ij·x[j, :] (assigned). */
  readonly cross: Float64Array;
  /** N⁻×k: Σ_i w2_ij·y[i, :] (accumulated; untouched when y is empty). */
  readonly crossTranspose: Float64Array;
  /** Scratch of length N⁻ for w1 of the current row. */
  readonly w1: Float64Array;
  /** Scratch of length N⁻ for w2 of the current row. */
  readonly w2: Float64Array;
}

export function allocatePairSecondOrder(nPos: number, nNeg: number, k: number, withTranspose: boolean): PairSecondOrderBuffers {
  return {
    rowFirst: new Float64Array(nPos),
    colFirst: new Float64Array(nNeg),
    rowSecond: new Float64Array(nPos),
    colSecond: new Float64Array(nNeg),
    cross: new Float64Array(nPos * k),
    crossTranspose: new Float64Array(withTranspose ? nNeg * k : 0),
    w1: new Float64Array(nNeg),
    w2: new Float64Array(nNeg),
  };
}

/**
 * Adds row i's weights (already in out.w1, out.w2) into the sums. `x` is N⁻×k, `y` is N⁺×k
 * or empty (then the transposed product is skipped). Cost O(N⁻·(1 + k)).
 */
export function accumulatePairRow(i: number, k: number, x: Float64Array, y: Float64Array, out: PairSecondOrderBuffers): void {
  const { w1, w2, colFirst, colSecond, cross, crossTranspose } = out;
  const n = w1.length;
  let r1 = 0;
  let r2 = 0;
  for (let j = 0; j < n; j++) {
    const a = w1[j];
    const b = w2[j];
    r1 += a;
    r2 += b;
    colFirst[j] += a;
    colSecond[j] += b;
  }
  out.rowFirst[i] = r1;
  out.rowSecond[i] = r2;
  if (k === 0) return;
  const co = i * k;
  for (let c = 0; c < k; c++) cross[co + c] = 0;
  for (let j = 0; j < n; j++) {
    const wj = w2[j];
    if (wj === 0) continue;
    const xo = j * k;
    for (let c = 0; c < k; c++) cross[co + c] += wj * x[xo + c];
  }
  if (y.length === 0) return;
  for (let j = 0; j < n; j++) {
    const wj = w2[j];
    if (wj === 0) continue;
    const to = j * k;
    for (let c = 0; c < k; c++) crossTranspose[to + c] += wj * y[co + c];
  }
}

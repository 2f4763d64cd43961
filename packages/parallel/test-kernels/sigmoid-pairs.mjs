// SPDX-License-Identifier: MIT
/**
 * A stand-in for tensor-core's sigmoid pair sum (DESIGN.md "Pairwise losses"): with
 * a_i = e^(−βs_i) over positives and b_j = e^(βt_j) over negatives, each pair is
 * σ_ij = σ(β(s_i − t_j)) = 1/(1 + a_i·b_j). Over rows start … end−1 it adds Σσ_ij to
 * partial[0], writes each row sum of σ′-factors σ(1−σ) to rows[i], and adds the column sums
 * into partial[1 + j]: the value and both gradient reductions in one pass, no exp per pair.
 */
export function sigmoidPairs(start, end, { buffers: [a, b, rows], partial }) {
  const m = b.length;
  let value = 0;
  for (let i = start; i < end; i++) {
    const ai = a[i];
    let row = 0;
    for (let j = 0; j < m; j++) {
      const s = 1 / (1 + ai * b[j]);
      const d = s * (1 - s);
      value += s;
      row += d;
      partial[1 + j] += d;
    }
    rows[i] = row;
  }
  partial[0] += value;
}

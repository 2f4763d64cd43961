// SPDX-License-Identifier: MIT
/**
 * Optimal assignment (Hungarian algorithm with row/column potentials), O(n³): the permutation
 * π minimising Σ_r cost[r, π(r)] for a square n×n cost matrix (row-major).
 *
 * ```ts
 * minimumCostAssignment(new Float64Array([4, 1, 2, 3]), 2);  // Int32Array [1, 0]: 1 + 2 = 3
 * ```
 */
export function minimumCostAssignment(cost: Float64Array, n: number): Int32Array {
  // 1-based potentials u (rows), v (columns); colRow[j] = row matched to column j (0 = none).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const colRow = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let r = 1; r <= n; r++) {
    colRow[0] = r;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const r0 = colRow[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[(r0 - 1) * n + (j - 1)] - u[r0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[colRow[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (colRow[j0] !== 0);
    do {
      const j1 = way[j0];
      colRow[j0] = colRow[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Int32Array(n);
  for (let j = 1; j <= n; j++) assignment[colRow[j] - 1] = j - 1;
  return assignment;
}

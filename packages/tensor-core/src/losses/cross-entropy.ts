// SPDX-License-Identifier: MIT
/**
 * Cross-entropy: CE = −(1/N) Σ_d ln p_{d,c_d} (+ λ‖w‖², added by the potential), from
 * log-softmax, so a saturated softmax (p exactly 0) still gives a finite value.
 * Per sample: ∂ℓ/∂y = p − e_c and ∂²ℓ/∂y² = diag(p) − p·pᵀ (independent of the label).
 */
import { defineSampleLoss } from './types.js';

export const crossEntropyLoss = defineSampleLoss({
  type: 'per-sample',
  kind: 'ce',
  title: 'cross-entropy',
  formula: 'CE = −(1/N) Σ_d ln softmax(y_d)[c_d]',
  parameters: [],
  defaults: {},
  complexity: 'value and gradient O(N·W); Hessian O(N·C·W²)',
  valueAndLogitGradient(logProbabilities, probabilities, labels, count, classes, phiOut) {
    let sum = 0;
    for (let d = 0; d < count; d++) {
      const o = d * classes;
      const c = labels[d];
      sum -= logProbabilities[o + c];
      for (let k = 0; k < classes; k++) phiOut[o + k] = probabilities[o + k];
      phiOut[o + c] -= 1;
    }
    return sum;
  },
  logitHessian(probabilities, d, classes, out) {
    const o = d * classes;
    for (let k = 0; k < classes; k++) {
      const pk = probabilities[o + k];
      // Why: p_k(1 − p_k) with 1 − p_k as the sum of the other probabilities keeps its
      // relative precision when p_k rounds to 1 (p_k − p_k² would be pure rounding noise).
      let others = 0;
      for (let l = 0; l < classes; l++) {
        if (l !== k) {
          others += probabilities[o + l];
          out[k * classes + l] = -pk * probabilities[o + l];
        }
      }
      out[k * classes + k] = pk * others;
    }
  },
});

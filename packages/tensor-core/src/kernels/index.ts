// SPDX-License-Identifier: MIT
// Entry "@lossscape/tensor-core/kernels": what @lossscape/parallel's worker threads import to
// compute pair sums in row blocks. Plain functions over Float64Arrays; this entry loads no other
// package, so a worker starts quickly. Users normally reach these through createLossPotential's
// `pool` option (README "Threads"), not directly.
export { sigmoidFirstOrderBlock, tanhFirstOrderBlock, sigmoidSecondOrderBlock, tanhSecondOrderBlock } from './pair-blocks.js';
export { pairFactors, FACTOR_RANGE_LIMIT } from './pair-factors.js';
export { sigmoidPairsFirstOrder, sigmoidPairsFirstOrderDirect, sigmoidPairsSecondOrder } from './sigmoid-pairs.js';
export { tanhPairsFirstOrder, tanhPairsFirstOrderDirect, tanhPairsSecondOrder } from './tanh-pairs.js';
export { allocatePairSecondOrder, accumulatePairRow, type PairSecondOrderBuffers } from './pair-accumulate.js';

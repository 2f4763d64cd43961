// SPDX-License-Identifier: MIT
export {
  LandscapeError,
  isLandscapeError,
  expectedMessage,
  requireNumberInRange,
  requirePositive,
  requireNonNegative,
  requireInteger,
  requireFloat64Array,
  requireFinite,
  requireOneOf,
  type LandscapeErrorCode,
} from './errors.js';
export { TOL, type ToleranceName } from './tolerances.js';
export { createRng, rngFromState, type Rng, type RngState } from './rng.js';
export type { Potential, EigenSolver } from './potential.js';
export { lpphe, hessianIndex, type LppheOptions, type LppheResult } from './lpphe.js';
export {
  centralDifferenceGradient,
  centralDifferenceHessian,
  centralDifferenceHessianVector,
  checkGradient,
  checkHessian,
  asymmetry,
  type DerivativeCheck,
} from './finite-difference.js';
export { dot, norm2, rms, maxAbs, maxAbsDiff, distance, axpy, trace, matVec, relativeDifference, meanAndStd } from './vector.js';

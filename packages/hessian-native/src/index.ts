// SPDX-License-Identifier: MIT
export {
  symEigvals,
  symEigvalsAsync,
  symEig,
  symEigAsync,
  type SymEigDriver,
  type SymEigvalsOptions,
  type SymEigOptions,
  type SymEigResult,
  type SymEigenpairs,
} from './sym-eig.js';
export {
  stationaryPointIndex,
  hessianSpectrum,
  hessianSpectrumAsync,
  type StationaryPointIndexOptions,
  type HessianSpectrumOptions,
  type HessianSpectrum,
} from './spectrum.js';
export { createEigenSolver, nativeEigenSolver, type EigenSolverOptions } from './eigen-solver.js';
export { setBlasThreads, getBlasThreads, blasDescription } from './blas-threads.js';
export { MAX_DIMENSION } from './validate.js';
// Re-exported so the package alone serves a user (DESIGN.md contract).
export { lpphe, hessianIndex, LandscapeError, TOL, type LppheOptions, type LppheResult, type EigenSolver, type LandscapeErrorCode } from '@lossscape/numeric';

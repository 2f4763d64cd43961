// SPDX-License-Identifier: MIT
import type { Potential } from '@lossscape/numeric';

/** One result shape for every minimiser (STYLE R9; pele's `Result`). */
export interface MinimizeResult {
  readonly x: Float64Array;
  readonly energy: number;
  readonly gradient: Float64Array;
  readonly rmsGradient: number;
  /** pele: nit */
  readonly iterations: number;
  /** pele: nfev — energy+gradient evaluations */
  readonly evaluations: number;
  /** pele: success — RMS gradient ≤ tolerance */
  readonly converged: boolean;
  /** Why it stopped: 'converged' | 'max-iterations' | 'line-search-failed' | 'non-finite' | 'aborted' … */
  readonly message: string;
}

export interface MinimizeOptions {
  /** Converged when RMS gradient ≤ this. Default 1e-10 (the study's criterion). */
  readonly gradientTolerance?: number;
  readonly maxIterations?: number;
  /** L-BFGS memory M (default 4, as GMIN). */
  readonly memory?: number;
  /** Largest step length allowed (Euclidean norm of the step). */
  readonly maxStep?: number;
  /** Initial guess for the inverse-Hessian diagonal. */
  readonly initialInverseHessian?: number;
  /** A step that raises the energy by more than this is rejected and shrunk. */
  readonly maxEnergyRise?: number;
  /** Stops the minimiser between iterations (result: converged false, message 'aborted'). */
  readonly signal?: AbortSignal;
}

export type Minimize = (potential: Potential, x0: Float64Array, options?: MinimizeOptions) => MinimizeResult;

// SPDX-License-Identifier: MIT
/**
 * Named tolerances (STYLE R8): tests and algorithms use these names, never a bare 1e-7.
 * Each value says which precision and which kind of comparison it is for.
 */
export const TOL = Object.freeze({
  /** float64 rounding, relative: two float64 computations of the same exact quantity. */
  F64: 1e-12,
  /** A fast path against the direct double sum it replaces (relative, DESIGN.md contract). */
  F64_FAST_PATH: 1e-12,
  /** Absolute floor when the reference value is zero. */
  F64_ABS_FLOOR: 1e-15,
  /** Analytic derivative vs central differences, relative to the max-norm of the reference. */
  F64_FD_DERIVATIVE: 1e-6,
  /** Central-difference step, relative to max(1, |x_i|). ε^(1/3) ≈ 6e-6 balances truncation and rounding. */
  FD_STEP: 6e-6,
  /** Eigenvalues from LAPACK, relative to the spectral radius. */
  F64_EIGEN: 1e-10,
  /** Smallest eigenvalue of a Hessian at a minimum, relative to the spectral radius. */
  F64_HESSIAN_PSD: 1e-8,
  /** A converged minimum: RMS gradient at most this (the study's criterion). */
  RMS_GRADIENT_CONVERGED: 1e-10,
  /** float32 (TensorFlow.js) against float64, relative. */
  F32: 1e-4,
  /** Duplicate minima: energy agreement, relative (DESIGN.md default). */
  DUPLICATE_ENERGY: 1e-9,
  /** Duplicate minima: aligned weight distance (DESIGN.md default). */
  DUPLICATE_DISTANCE: 1e-3,
  /**
   * Hessian eigenvalues with |λ| ≤ this × spectral radius are symmetry (zero) modes, e.g. the
   * translations and rotations of a cluster: never climbed when searching for a saddle.
   */
  F64_ZERO_MODE: 1e-9,
  /**
   * Index of a stationary point: eigenvalues below −this × spectral radius count as negative
   * (finite-difference Hessians carry noise of order 1e-11 relative in their zero modes; a
   * network's genuine negative curvature can be as small as 1e-8 relative).
   */
  F64_HESSIAN_INDEX: 1e-9,
  /**
   * A matrix given as symmetric (hessian-native's input check): max|a_ij − a_ji| ≤ this × max|a_ij|.
   * Far above the rounding of an assembled Hessian (≲ 1e-13), far below a wrong layout or a
   * non-symmetric matrix (order 1); raw finite-difference Hessians (~1e-6) must be symmetrized first.
   */
  F64_SYMMETRY: 1e-8,
});

export type ToleranceName = keyof typeof TOL;

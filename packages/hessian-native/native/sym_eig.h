// SPDX-License-Identifier: MIT
// Dense symmetric eigen-decomposition over LAPACK. Plain C++: no <napi.h> here, so this layer
// is unit-testable on its own (native/sym_eig_test.cc) and callable from C++ benchmarks.
// Inputs are trusted (validated at the TypeScript edge, STYLE R1).
#ifndef LOSSSCAPE_HESSIAN_NATIVE_SYM_EIG_H_
#define LOSSSCAPE_HESSIAN_NATIVE_SYM_EIG_H_

#include <string>
#include <vector>

namespace lossscape {

// LAPACK driver for a full spectrum. A subset (k smallest / largest) always uses dsyevr.
enum class SymEigDriver { kDsyevd = 0, kDsyevr = 1 };

// Outcome of one LAPACK call: `info` as LAPACK returned it (0 = success, < 0 = argument -info
// had an illegal value, > 0 = the algorithm failed to converge) and which routine returned it.
struct LapackStatus {
  const char* routine = "";
  int info = 0;
  bool ok() const { return info == 0; }
};

// The project error code for a failed status: "ERR_LAPACK_ARGUMENT" or "ERR_LAPACK_CONVERGENCE".
const char* LapackErrorCode(const LapackStatus& status);
// A one-line human message for a failed status, e.g. "dsyevr: argument 9 had an illegal value".
std::string LapackErrorMessage(const LapackStatus& status);

struct SymEigRequest {
  int n = 0;
  bool vectors = false;
  SymEigDriver driver = SymEigDriver::kDsyevd;
  // 1-based inclusive range of eigenvalue indices (ascending order); il = iu = 0 means all;
  // il = iu = -1 asks for nothing (k = 0): the input is checked, LAPACK is not called.
  int il = 0;
  int iu = 0;
  // Refuse max|a_ij - a_ji| > symmetry_tol * max|a_ij| (InputError::kNotSymmetric).
  double symmetry_tol = 0;
};

// The input check runs here, in the pass that copies (A + A^T)/2 into LAPACK's triangle, because
// a separate JavaScript pass over n^2 entries added about 4% to a 200 x 200 solve (1.4% at
// n >= 500). The TypeScript edge sets the tolerance and words the error.
enum class InputError { kNone = 0, kNotFinite = 1, kNotSymmetric = 2 };

struct InputScan {
  long long first_non_finite = -1;  // row-major index of the first NaN or +-Infinity, or -1
  double non_finite_value = 0;      // the value there
  double max_abs = 0;               // max |a_ij| over the whole matrix (finite input)
  double worst = 0;                 // max |a_ij - a_ji|, i < j
  int wi = 0;                       // when refused: the first pair in row-major order where it occurs
  int wj = 0;
  double aij = 0;                   // its two original entries
  double aji = 0;
};

struct SymEigOutput {
  // Ascending eigenvalues, m of them (m = n, or iu - il + 1 for a range).
  std::vector<double> values;
  // m x n row-major when requested: row i is the unit eigenvector of values[i], its entry of
  // largest magnitude made positive (LAPACK's sign is arbitrary; this makes output reproducible).
  std::vector<double> vectors;
};

struct SymEigStatus {
  InputError input = InputError::kNone;
  InputScan scan;
  LapackStatus lapack;  // meaningful when the input was accepted
  bool ok() const { return input == InputError::kNone && lapack.ok(); }
};

// Checks the row-major n x n matrix `a` (read only: finite, symmetric to request.symmetry_tol) and
// writes (A + A^T)/2 into LAPACK's triangle of `work` (resized to n * n). On refusal
// (status.input) `status.scan` says where. Runs on the caller's thread: the async path calls it on
// the JS thread, as the copy of its input.
SymEigStatus PrepareInput(const double* a, const SymEigRequest& request, std::vector<double>* work);

// Eigenvalues (and optionally eigenvectors) from a buffer filled by PrepareInput; consumes it
// (LAPACK overwrites it). Touches nothing else: safe on a worker thread.
SymEigStatus SolvePrepared(std::vector<double> work, const SymEigRequest& request, SymEigOutput* out);

// Both: eigenvalues (and optionally eigenvectors) of (A + A^T)/2 for row-major `a`, or a refusal
// without calling LAPACK.
SymEigStatus SymEig(const double* a, const SymEigRequest& request, SymEigOutput* out);

// OpenBLAS thread control (openblas_set_num_threads / openblas_get_num_threads).
void SetBlasThreads(int threads);
int GetBlasThreads();
// OpenBLAS build configuration and the CPU kernel it selected, e.g. "OpenBLAS 0.3.21 ... | Haswell".
std::string BlasDescription();

}  // namespace lossscape

#endif  // LOSSSCAPE_HESSIAN_NATIVE_SYM_EIG_H_

// SPDX-License-Identifier: MIT
#include "sym_eig.h"

#include <lapack.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

// In libopenblas (Debian: libopenblas0); not declared by <lapack.h>.
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
char* openblas_get_corename(void);
}

namespace lossscape {
namespace {

void RecordNonFinite(InputScan* scan, double x, long long index) {
  if (!std::isfinite(x) && (scan->first_non_finite < 0 || index < scan->first_non_finite)) {
    scan->first_non_finite = index;
    scan->non_finite_value = x;
  }
}

// Row-major `a` is column-major A^T. With uplo = 'L' LAPACK reads column-major a(i, j), i >= j,
// stored at a[i + j*n]: the row-major upper triangle. Write the average of both triangles there,
// so a slightly asymmetric input (rounding in an assembled Hessian) is averaged rather than half
// of it silently ignored, and scan the input in the same pass. Blocked so that the strided reads
// of the lower triangle stay in cache; the branches on failures and new maxima are rarely taken.
InputScan SymmetrizeUpperAndScan(double* a, int n) {
  constexpr int kBlock = 64;
  const long long nn = n;
  InputScan scan;
  double max_abs = 0;
  double worst = 0;
  for (int r0 = 0; r0 < n; r0 += kBlock) {
    const int r1 = std::min(n, r0 + kBlock);
    for (int c0 = r0; c0 < n; c0 += kBlock) {
      const int c1 = std::min(n, c0 + kBlock);
      for (int r = r0; r < r1; ++r) {
        for (int c = std::max(c0, r); c < c1; ++c) {
          double& upper_ref = a[r * nn + c];
          const double upper = upper_ref;
          const double lower = a[c * nn + r];
          // x - x is 0 for finite x and NaN for NaN or +-Infinity.
          if (!((upper - upper) == 0 && (lower - lower) == 0)) {
            RecordNonFinite(&scan, upper, r * nn + c);
            RecordNonFinite(&scan, lower, c * nn + r);
          }
          max_abs = std::max(max_abs, std::max(std::fabs(upper), std::fabs(lower)));
          const double d = std::fabs(upper - lower);
          if (d > worst) {
            worst = d;
            scan.wi = r;
            scan.wj = c;
            scan.aij = upper;
            scan.aji = lower;
          }
          upper_ref = 0.5 * (upper + lower);
        }
      }
    }
  }
  scan.max_abs = max_abs;
  scan.worst = worst;
  return scan;
}

// LAPACK's eigenvector sign is arbitrary (and may change with the thread count): make the entry
// of largest magnitude of each row positive, so equal inputs give equal outputs.
void NormalizeSigns(std::vector<double>* vectors, int m, int n) {
  const std::size_t nn = static_cast<std::size_t>(n);
  for (int i = 0; i < m; ++i) {
    double* row = vectors->data() + i * nn;
    int arg = 0;
    for (int j = 1; j < n; ++j) {
      if (std::fabs(row[j]) > std::fabs(row[arg])) arg = j;
    }
    if (row[arg] < 0) {
      for (int j = 0; j < n; ++j) row[j] = -row[j];
    }
  }
}

LapackStatus RunDsyevd(std::vector<double>* a, int n, bool vectors, std::vector<double>* w) {
  const char jobz = vectors ? 'V' : 'N';
  const char uplo = 'L';
  int info = 0;
  // Workspace query (lwork = liwork = -1) returns the optimal sizes in work[0] and iwork[0].
  double work_query = 0;
  int iwork_query = 0;
  int lwork = -1;
  int liwork = -1;
  LAPACK_dsyevd(&jobz, &uplo, &n, a->data(), &n, w->data(), &work_query, &lwork, &iwork_query, &liwork, &info);
  if (info != 0) return {"dsyevd", info};
  lwork = static_cast<int>(work_query);
  liwork = iwork_query;
  std::vector<double> work(std::max(1, lwork));
  std::vector<int> iwork(std::max(1, liwork));
  LAPACK_dsyevd(&jobz, &uplo, &n, a->data(), &n, w->data(), work.data(), &lwork, iwork.data(), &liwork, &info);
  return {"dsyevd", info};
}

LapackStatus RunDsyevr(std::vector<double>* a, int n, bool vectors, int il, int iu, std::vector<double>* w,
                       std::vector<double>* z, int* m) {
  const char jobz = vectors ? 'V' : 'N';
  const char range = il == 0 && iu == 0 ? 'A' : 'I';
  const char uplo = 'L';
  const double vl = 0;
  const double vu = 0;
  // Twice the underflow threshold: LAPACK's recommendation for the most accurate eigenvalues
  // when a subset is found by bisection (dstebz).
  const double abstol = 2 * std::numeric_limits<double>::min();
  const int wanted = range == 'A' ? n : iu - il + 1;
  const int ldz = std::max(1, n);
  if (vectors) z->assign(static_cast<std::size_t>(ldz) * std::max(1, wanted), 0.0);
  double z_dummy = 0;
  double* zp = vectors ? z->data() : &z_dummy;
  std::vector<int> isuppz(2 * static_cast<std::size_t>(std::max(1, wanted)));
  int info = 0;
  double work_query = 0;
  int iwork_query = 0;
  int lwork = -1;
  int liwork = -1;
  LAPACK_dsyevr(&jobz, &range, &uplo, &n, a->data(), &n, &vl, &vu, &il, &iu, &abstol, m, w->data(), zp, &ldz,
                isuppz.data(), &work_query, &lwork, &iwork_query, &liwork, &info);
  if (info != 0) return {"dsyevr", info};
  lwork = static_cast<int>(work_query);
  liwork = iwork_query;
  std::vector<double> work(std::max(1, lwork));
  std::vector<int> iwork(std::max(1, liwork));
  LAPACK_dsyevr(&jobz, &range, &uplo, &n, a->data(), &n, &vl, &vu, &il, &iu, &abstol, m, w->data(), zp, &ldz,
                isuppz.data(), work.data(), &lwork, iwork.data(), &liwork, &info);
  return {"dsyevr", info};
}

}  // namespace

const char* LapackErrorCode(const LapackStatus& status) {
  return status.info < 0 ? "ERR_LAPACK_ARGUMENT" : "ERR_LAPACK_CONVERGENCE";
}

std::string LapackErrorMessage(const LapackStatus& status) {
  const std::string routine(status.routine);
  if (status.info < 0) return routine + ": argument " + std::to_string(-status.info) + " had an illegal value";
  return routine + ": the algorithm failed to converge (info = " + std::to_string(status.info) + ")";
}

SymEigStatus SymEig(std::vector<double> a, const SymEigRequest& request, SymEigOutput* out) {
  const int n = request.n;
  const bool subset = request.il != 0 || request.iu != 0;
  SymEigStatus status;
  status.lapack.routine = subset || request.driver == SymEigDriver::kDsyevr ? "dsyevr" : "dsyevd";
  out->values.clear();
  out->vectors.clear();
  if (n == 0) return status;
  status.scan = SymmetrizeUpperAndScan(a.data(), n);
  if (status.scan.first_non_finite >= 0) {
    status.input = InputError::kNotFinite;
    return status;
  }
  if (status.scan.worst > request.symmetry_tol * status.scan.max_abs) {
    status.input = InputError::kNotSymmetric;
    return status;
  }
  if (request.il < 0) return status;  // k = 0: checked, nothing to compute
  out->values.assign(n, 0.0);  // LAPACK writes up to n values even for a subset
  int m = n;
  if (subset || request.driver == SymEigDriver::kDsyevr) {
    status.lapack = RunDsyevr(&a, n, request.vectors, request.il, request.iu, &out->values, &out->vectors, &m);
  } else {
    status.lapack = RunDsyevd(&a, n, request.vectors, &out->values);
    // dsyevd leaves the eigenvectors in `a`, column-major: column i is row i of a row-major m x n.
    if (status.lapack.ok() && request.vectors) out->vectors = std::move(a);
  }
  if (!status.lapack.ok()) {
    out->values.clear();
    out->vectors.clear();
    return status;
  }
  out->values.resize(m);
  if (request.vectors) {
    out->vectors.resize(static_cast<std::size_t>(m) * n);
    NormalizeSigns(&out->vectors, m, n);
  }
  return status;
}

void SetBlasThreads(int threads) { openblas_set_num_threads(threads); }

int GetBlasThreads() { return openblas_get_num_threads(); }

std::string BlasDescription() {
  return std::string(openblas_get_config()) + " | " + openblas_get_corename();
}

}  // namespace lossscape

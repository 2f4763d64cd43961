// SPDX-License-Identifier: MIT
#include "sym_eig.h"

#include <lapack.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

// In libopenblas (Debian: libopenblas0); not declared by <lapack.h>.
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
char* openblas_get_corename(void);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define LOSSSCAPE_TARGET_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define LOSSSCAPE_TARGET_CLONES
#endif

namespace lossscape {
namespace {

constexpr std::uint64_t kAbsMask = 0x7fffffffffffffffULL;
constexpr std::uint64_t kExponentMask = 0x7ff0000000000000ULL;  // |x| bits >= this: NaN or +-Infinity

std::uint64_t AbsBits(double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits & kAbsMask;
}

double FromBits(std::uint64_t bits) {
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

// Row-major `a` is column-major A^T. With uplo = 'L' LAPACK reads column-major a(i, j), i >= j,
// stored at a[i + j*n]: the row-major upper triangle. Write the average of both triangles there,
// so a slightly asymmetric input (rounding in an assembled Hessian) is averaged rather than half
// of it silently ignored, and measure the input in the same pass: max|a_ij| and max|a_ij - a_ji|.
// Why bit patterns: for non-negative doubles their order as integers is their numeric order, and
// NaN and +-Infinity sort above every finite value, so one branch-free integer max finds both the
// magnitude and any non-finite entry (the loop runs ~2x faster than with fp max and branches).
// Blocked so that the strided reads of the lower triangle stay in cache. Built twice on x86-64
// with GCC, for AVX2 and baseline, chosen at load time: AVX2 makes the pass ~1.5x faster (15 vs
// 23 µs at n = 200, where the solve takes 1.2 ms).
LOSSSCAPE_TARGET_CLONES
void SymmetrizeAndMeasure(const double* a, int n, double* work, std::uint64_t* max_abs_bits, std::uint64_t* worst_bits) {
  constexpr int kBlock = 64;
  const std::ptrdiff_t nn = n;
  std::uint64_t max_abs = 0;
  std::uint64_t worst = 0;
  for (int r0 = 0; r0 < n; r0 += kBlock) {
    const int r1 = std::min(n, r0 + kBlock);
    for (int c0 = r0; c0 < n; c0 += kBlock) {
      const int c1 = std::min(n, c0 + kBlock);
      for (int r = r0; r < r1; ++r) {
        const double* upper_row = a + r * nn;
        const double* lower_col = a + r;
        double* work_row = work + r * nn;
        for (int c = std::max(c0, r); c < c1; ++c) {
          const double upper = upper_row[c];
          const double lower = lower_col[c * nn];
          work_row[c] = 0.5 * (upper + lower);
          max_abs = std::max(max_abs, std::max(AbsBits(upper), AbsBits(lower)));
          worst = std::max(worst, AbsBits(upper - lower));
        }
      }
    }
  }
  *max_abs_bits = max_abs;
  *worst_bits = worst;
}

// The rare path, for the error message: the first non-finite entry in row-major order.
void LocateNonFinite(const double* a, int n, InputScan* scan) {
  const long long count = static_cast<long long>(n) * n;
  for (long long k = 0; k < count; ++k) {
    if (!std::isfinite(a[k])) {
      scan->first_non_finite = k;
      scan->non_finite_value = a[k];
      return;
    }
  }
}

// The rare path: the first pair (i < j) in row-major order whose |a_ij - a_ji| is the worst.
void LocateWorstPair(const double* a, int n, InputScan* scan) {
  const std::ptrdiff_t nn = n;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (std::fabs(a[i * nn + j] - a[j * nn + i]) == scan->worst) {
        scan->wi = i;
        scan->wj = j;
        scan->aij = a[i * nn + j];
        scan->aji = a[j * nn + i];
        return;
      }
    }
  }
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

SymEigStatus PrepareInput(const double* a, const SymEigRequest& request, std::vector<double>* work) {
  const int n = request.n;
  SymEigStatus status;
  work->assign(static_cast<std::size_t>(n) * n, 0.0);
  if (n == 0) return status;
  std::uint64_t max_abs_bits = 0;
  std::uint64_t worst_bits = 0;
  SymmetrizeAndMeasure(a, n, work->data(), &max_abs_bits, &worst_bits);
  if (max_abs_bits >= kExponentMask) {
    status.input = InputError::kNotFinite;
    LocateNonFinite(a, n, &status.scan);
    return status;
  }
  status.scan.max_abs = FromBits(max_abs_bits);
  status.scan.worst = FromBits(worst_bits);  // +Infinity if a difference overflowed: refused below
  if (status.scan.worst > request.symmetry_tol * status.scan.max_abs) {
    status.input = InputError::kNotSymmetric;
    LocateWorstPair(a, n, &status.scan);
  }
  return status;
}

SymEigStatus SolvePrepared(std::vector<double> work, const SymEigRequest& request, SymEigOutput* out) {
  const int n = request.n;
  const bool subset = request.il != 0 || request.iu != 0;
  SymEigStatus status;
  status.lapack.routine = subset || request.driver == SymEigDriver::kDsyevr ? "dsyevr" : "dsyevd";
  out->values.clear();
  out->vectors.clear();
  if (n == 0 || request.il < 0) return status;  // nothing asked for (n = 0 or k = 0)
  out->values.assign(n, 0.0);  // LAPACK writes up to n values even for a subset
  int m = n;
  if (subset || request.driver == SymEigDriver::kDsyevr) {
    status.lapack = RunDsyevr(&work, n, request.vectors, request.il, request.iu, &out->values, &out->vectors, &m);
  } else {
    status.lapack = RunDsyevd(&work, n, request.vectors, &out->values);
    // dsyevd leaves the eigenvectors in `work`, column-major: column i is row i of a row-major m x n.
    if (status.lapack.ok() && request.vectors) out->vectors = std::move(work);
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

SymEigStatus SymEig(const double* a, const SymEigRequest& request, SymEigOutput* out) {
  std::vector<double> work;
  SymEigStatus status = PrepareInput(a, request, &work);
  if (!status.ok()) {
    out->values.clear();
    out->vectors.clear();
    return status;
  }
  return SolvePrepared(std::move(work), request, out);
}

void SetBlasThreads(int threads) { openblas_set_num_threads(threads); }

int GetBlasThreads() { return openblas_get_num_threads(); }

std::string BlasDescription() {
  return std::string(openblas_get_config()) + " | " + openblas_get_corename();
}

}  // namespace lossscape

// SPDX-License-Identifier: MIT
// C++-level test of the LAPACK layer, with no Node involved (compiled and run by
// src/native.test.ts). Covers what JS cannot reach: LAPACK argument errors straight from the
// core, the info > 0 mapping, and the core's own contracts.
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "sym_eig.h"

namespace {

int failures = 0;

void Check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok" : "FAIL", what.c_str());
  if (!ok) ++failures;
}

bool Near(double a, double b, double tol) { return std::fabs(a - b) <= tol; }

}  // namespace

int main() {
  using lossscape::InputError;
  using lossscape::LapackStatus;
  using lossscape::SymEig;
  using lossscape::SymEigStatus;
  using lossscape::SymEigDriver;
  using lossscape::SymEigOutput;
  using lossscape::SymEigRequest;
  const double tol = 1e-12;

  // [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]: eigenvalues 2 - sqrt2, 2, 2 + sqrt2.
  const std::vector<double> toeplitz = {2, -1, 0, -1, 2, -1, 0, -1, 2};
  const double expected[3] = {2 - std::sqrt(2.0), 2, 2 + std::sqrt(2.0)};
  for (SymEigDriver driver : {SymEigDriver::kDsyevd, SymEigDriver::kDsyevr}) {
    const std::string name = driver == SymEigDriver::kDsyevd ? "dsyevd" : "dsyevr";
    SymEigRequest request;
    request.n = 3;
    request.vectors = true;
    request.driver = driver;
    SymEigOutput out;
    const SymEigStatus status = SymEig(toeplitz.data(), request, &out);
    Check(status.ok() && status.lapack.routine == name, name + ": status ok from the named routine");
    Check(out.values.size() == 3 && out.vectors.size() == 9, name + ": 3 values, 3x3 vectors");
    bool values_ok = true;
    for (int i = 0; i < 3; ++i) values_ok = values_ok && Near(out.values[i], expected[i], tol);
    Check(values_ok, name + ": closed-form eigenvalues");
    // Middle eigenvector is (1, 0, -1)/sqrt2 up to sign; the first is (1, sqrt2, 1)/2, whose
    // largest entry (the middle one) the sign rule makes positive.
    const double r = 1 / std::sqrt(2.0);
    Check(Near(std::fabs(out.vectors[3]), r, tol) && Near(out.vectors[4], 0, tol) && Near(out.vectors[3] + out.vectors[5], 0, tol),
          name + ": row 1 is the eigenvector of values[1]");
    Check(Near(out.vectors[0], 0.5, tol) && Near(out.vectors[1], r, tol) && Near(out.vectors[2], 0.5, tol),
          name + ": row 0 signed so that its largest entry is positive");
  }

  {
    SymEigRequest request;
    request.n = 3;
    request.il = 3;
    request.iu = 3;
    SymEigOutput out;
    const SymEigStatus status = SymEig(toeplitz.data(), request, &out);
    Check(status.ok() && out.values.size() == 1 && Near(out.values[0], expected[2], tol), "dsyevr il = iu = 3: the largest only");
  }

  {
    // il > iu: dsyevr rejects its 10th argument (IU) with info = -10.
    SymEigRequest request;
    request.n = 3;
    request.il = 3;
    request.iu = 2;
    SymEigOutput out;
    out.values = {42};
    const SymEigStatus status = SymEig(toeplitz.data(), request, &out);
    Check(status.input == InputError::kNone && status.lapack.info == -10 && std::string(status.lapack.routine) == "dsyevr",
          "il > iu: dsyevr info = -10");
    Check(std::string(lossscape::LapackErrorCode(status.lapack)) == "ERR_LAPACK_ARGUMENT", "info < 0 maps to ERR_LAPACK_ARGUMENT");
    Check(lossscape::LapackErrorMessage(status.lapack) == "dsyevr: argument 10 had an illegal value", "argument message");
    Check(out.values.empty() && out.vectors.empty(), "a failed call leaves no partial output");
  }

  {
    const LapackStatus converge{"dsyevd", 4};
    Check(std::string(lossscape::LapackErrorCode(converge)) == "ERR_LAPACK_CONVERGENCE", "info > 0 maps to ERR_LAPACK_CONVERGENCE");
    Check(lossscape::LapackErrorMessage(converge) == "dsyevd: the algorithm failed to converge (info = 4)", "convergence message");
  }

  {
    // Asymmetric input: the spectrum of (A + A^T)/2. [[1, 3], [1, 1]] -> [[1, 2], [2, 1]]: -1, 3.
    SymEigRequest request;
    request.n = 2;
    request.symmetry_tol = 1;
    SymEigOutput out;
    const std::vector<double> skew = {1, 3, 1, 1};
    const SymEigStatus status = SymEig(skew.data(), request, &out);
    Check(status.ok() && Near(out.values[0], -1, tol) && Near(out.values[1], 3, tol), "averages both triangles");
    request.symmetry_tol = 0.5;  // |3 - 1| = 2 > 0.5 * 3
    const SymEigStatus refused = SymEig(skew.data(), request, &out);
    Check(refused.input == InputError::kNotSymmetric && refused.scan.wi == 0 && refused.scan.wj == 1 && refused.scan.aij == 3 &&
              refused.scan.aji == 1 && refused.scan.max_abs == 3 && out.values.empty(),
          "asymmetry beyond the tolerance is refused, naming the worst pair and its entries");
  }

  {
    // Ties: (0, 2) and (1, 2) differ by 1 each; the first in row-major order is named. And a
    // difference that overflows to Infinity is refused as asymmetric, not as non-finite.
    SymEigRequest request;
    request.n = 3;
    request.symmetry_tol = 1e-8;
    SymEigOutput out;
    const std::vector<double> tie = {4, 0, 2, 0, 4, 2, 1, 1, 4};
    const SymEigStatus status = SymEig(tie.data(), request, &out);
    Check(status.input == InputError::kNotSymmetric && status.scan.wi == 0 && status.scan.wj == 2 && status.scan.worst == 1,
          "worst pair: the first in row-major order among ties");
    request.n = 2;
    const std::vector<double> huge = {1, 1e308, -1e308, 1};
    const SymEigStatus over = SymEig(huge.data(), request, &out);
    Check(over.input == InputError::kNotSymmetric && std::isinf(over.scan.worst) && over.scan.wi == 0 && over.scan.wj == 1,
          "an overflowing difference is refused as asymmetric");
  }

  {
    // The first non-finite entry in row-major order, with its original value (the pass that found
    // it visits the pairs in blocks, not in row-major order).
    const double inf = std::numeric_limits<double>::infinity();
    SymEigRequest request;
    request.n = 3;
    SymEigOutput out;
    const std::vector<double> late = {1, 0, 0, 0, 1, 0, 0, -inf, std::nan("")};
    const SymEigStatus status = SymEig(late.data(), request, &out);
    Check(status.input == InputError::kNotFinite && status.scan.first_non_finite == 7 && status.scan.non_finite_value == -inf,
          "non-finite: index 7, value -Infinity");
    const std::vector<double> early = {1, 0, 0, 0, 1, std::nan(""), 0, -inf, 1};
    const SymEigStatus first = SymEig(early.data(), request, &out);
    Check(first.input == InputError::kNotFinite && first.scan.first_non_finite == 5 && std::isnan(first.scan.non_finite_value),
          "non-finite: the earliest index wins");
  }

  {
    SymEigRequest request;  // k = 0: checked only
    request.n = 2;
    request.il = -1;
    request.iu = -1;
    SymEigOutput out;
    const std::vector<double> sym = {1, 2, 2, 1};
    const std::vector<double> asym = {1, 2, 3, 1};
    Check(SymEig(sym.data(), request, &out).ok() && out.values.empty(), "il = iu = -1: ok, nothing computed");
    Check(SymEig(asym.data(), request, &out).input == InputError::kNotSymmetric, "il = iu = -1: input still checked");
  }

  {
    SymEigRequest request;  // n = 0
    SymEigOutput out;
    out.values = {1, 2};
    Check(SymEig(nullptr, request, &out).ok() && out.values.empty(), "n = 0: ok and empty");
  }

  const int before = lossscape::GetBlasThreads();
  lossscape::SetBlasThreads(1);
  Check(lossscape::GetBlasThreads() == 1, "SetBlasThreads(1) then GetBlasThreads() == 1");
  lossscape::SetBlasThreads(before);
  Check(lossscape::BlasDescription().find("OpenBLAS") != std::string::npos, "BlasDescription names OpenBLAS");

  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}

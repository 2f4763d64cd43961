// SPDX-License-Identifier: MIT
// C++-level test of the LAPACK layer, with no Node involved (compiled and run by
// src/native.test.ts). Covers what JS cannot reach: LAPACK argument errors straight from the
// core, the info > 0 mapping, and the core's own contracts.
#include <cmath>
#include <cstdio>
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
  using lossscape::LapackStatus;
  using lossscape::SymEig;
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
    const LapackStatus status = SymEig(toeplitz, request, &out);
    Check(status.ok() && status.routine == name, name + ": status ok from the named routine");
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
    const LapackStatus status = SymEig(toeplitz, request, &out);
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
    const LapackStatus status = SymEig(toeplitz, request, &out);
    Check(status.info == -10 && std::string(status.routine) == "dsyevr", "il > iu: dsyevr info = -10");
    Check(std::string(lossscape::LapackErrorCode(status)) == "ERR_LAPACK_ARGUMENT", "info < 0 maps to ERR_LAPACK_ARGUMENT");
    Check(lossscape::LapackErrorMessage(status) == "dsyevr: argument 10 had an illegal value", "argument message");
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
    SymEigOutput out;
    const LapackStatus status = SymEig({1, 3, 1, 1}, request, &out);
    Check(status.ok() && Near(out.values[0], -1, tol) && Near(out.values[1], 3, tol), "averages both triangles");
  }

  {
    SymEigRequest request;  // n = 0
    SymEigOutput out;
    out.values = {1, 2};
    Check(SymEig({}, request, &out).ok() && out.values.empty(), "n = 0: ok and empty");
  }

  const int before = lossscape::GetBlasThreads();
  lossscape::SetBlasThreads(1);
  Check(lossscape::GetBlasThreads() == 1, "SetBlasThreads(1) then GetBlasThreads() == 1");
  lossscape::SetBlasThreads(before);
  Check(lossscape::BlasDescription().find("OpenBLAS") != std::string::npos, "BlasDescription names OpenBLAS");

  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}

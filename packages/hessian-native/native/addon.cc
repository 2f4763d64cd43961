// SPDX-License-Identifier: MIT
// Thin N-API shim over sym_eig.h: converts arguments and results, maps a failed status (input
// refused by the core's scan, or LAPACK info) to JS errors with codes, and runs the async variant
// on the libuv pool. Argument validation (types, n, k ranges, tolerance) happens once, in
// src/sym-eig.ts; here only what memory safety needs is checked.
#include <napi.h>

#include <cstring>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "sym_eig.h"

namespace {

using lossscape::InputError;
using lossscape::SymEigOutput;
using lossscape::SymEigRequest;
using lossscape::SymEigStatus;

// Only Napi::Error crosses into JS by itself with NAPI_CPP_EXCEPTIONS; anything else thrown by
// C++ (std::bad_alloc for a huge matrix) would abort the process, so every export is wrapped.
template <Napi::Value (*Fn)(const Napi::CallbackInfo&)>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  try {
    return Fn(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("hessian-native: ") + e.what());
  }
}

// Failures carry a `code` and the data to word the message; src/sym-eig.ts words it in the
// project's grammar ("Expected X for Y but received Z"), so the shim's own text is a fallback.
Napi::Error StatusError(Napi::Env env, const SymEigStatus& status, int n) {
  const lossscape::InputScan& scan = status.scan;
  if (status.input == InputError::kNotFinite) {
    Napi::Error err = Napi::Error::New(env, "matrix has a non-finite entry");
    err.Set("code", Napi::String::New(env, "ERR_NOT_FINITE"));
    err.Set("index", Napi::Number::New(env, static_cast<double>(scan.first_non_finite)));
    err.Set("row", Napi::Number::New(env, static_cast<double>(scan.first_non_finite / n)));
    err.Set("column", Napi::Number::New(env, static_cast<double>(scan.first_non_finite % n)));
    err.Set("value", Napi::Number::New(env, scan.non_finite_value));
    return err;
  }
  if (status.input == InputError::kNotSymmetric) {
    Napi::Error err = Napi::Error::New(env, "matrix is not symmetric");
    err.Set("code", Napi::String::New(env, "ERR_NOT_SYMMETRIC"));
    err.Set("i", Napi::Number::New(env, scan.wi));
    err.Set("j", Napi::Number::New(env, scan.wj));
    err.Set("aij", Napi::Number::New(env, scan.aij));
    err.Set("aji", Napi::Number::New(env, scan.aji));
    err.Set("maxAbs", Napi::Number::New(env, scan.max_abs));
    return err;
  }
  Napi::Error err = Napi::Error::New(env, lossscape::LapackErrorMessage(status.lapack));
  err.Set("code", Napi::String::New(env, lossscape::LapackErrorCode(status.lapack)));
  err.Set("routine", Napi::String::New(env, status.lapack.routine));
  err.Set("info", Napi::Number::New(env, status.lapack.info));
  return err;
}

int IntArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string("Expected number for ") + name);
  return info[i].As<Napi::Number>().Int32Value();
}

// Arguments: (matrix: Float64Array, n, vectors: boolean, driver: 0 | 1, il, iu, symmetryTol).
// Returns the request and the matrix's data, checked to hold n * n doubles.
SymEigRequest ParseRequest(const Napi::CallbackInfo& info, const double** data) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw Napi::TypeError::New(env, "Expected Float64Array for matrix");
  }
  Napi::Float64Array matrix = info[0].As<Napi::Float64Array>();
  SymEigRequest request;
  request.n = IntArg(info, 1, "n");
  if (!info[2].IsBoolean()) throw Napi::TypeError::New(env, "Expected boolean for vectors");
  request.vectors = info[2].As<Napi::Boolean>().Value();
  request.driver = IntArg(info, 3, "driver") == 1 ? lossscape::SymEigDriver::kDsyevr : lossscape::SymEigDriver::kDsyevd;
  request.il = IntArg(info, 4, "il");
  request.iu = IntArg(info, 5, "iu");
  if (!info[6].IsNumber()) throw Napi::TypeError::New(env, "Expected number for symmetryTol");
  request.symmetry_tol = info[6].As<Napi::Number>().DoubleValue();
  const size_t n = request.n < 0 ? 0 : static_cast<size_t>(request.n);
  if (request.n < 0 || matrix.ElementLength() != n * n) {
    throw Napi::RangeError::New(env, "Expected Float64Array of length n*n for matrix");
  }
  *data = matrix.Data();
  return request;
}

Napi::Float64Array ToFloat64Array(Napi::Env env, const std::vector<double>& v) {
  Napi::Float64Array out = Napi::Float64Array::New(env, v.size());
  if (!v.empty()) std::memcpy(out.Data(), v.data(), v.size() * sizeof(double));
  return out;
}

Napi::Object ToResult(Napi::Env env, const SymEigOutput& output, bool vectors) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("values", ToFloat64Array(env, output.values));
  if (vectors) result.Set("vectors", ToFloat64Array(env, output.vectors));
  return result;
}

Napi::Value SymEigSync(const Napi::CallbackInfo& info) {
  const double* data = nullptr;
  const SymEigRequest request = ParseRequest(info, &data);
  SymEigOutput output;
  const SymEigStatus status = lossscape::SymEig(data, request, &output);
  if (!status.ok()) throw StatusError(info.Env(), status, request.n);
  return ToResult(info.Env(), output, request.vectors);
}

// Baton pattern (STYLE R5): the constructor owns the prepared copy of the input; Execute() runs on
// a libuv worker thread and touches no JS value; OnOK/OnError run back on the JS thread.
class SymEigWorker final : public Napi::AsyncWorker {
 public:
  SymEigWorker(Napi::Function done, std::vector<double> work, SymEigRequest request)
      : Napi::AsyncWorker(done, "hessian-native:symEig"), work_(std::move(work)), request_(request) {}

  void Execute() override {
    try {
      status_ = lossscape::SolvePrepared(std::move(work_), request_, &output_);
      if (!status_.ok()) SetError("failed");  // OnError builds the real error from status_
    } catch (const std::exception& e) {
      SetError(std::string("hessian-native: ") + e.what());
    }
  }

  // Why: when the thread that queued this work is terminated (worker.terminate(), process exit)
  // before the result arrives, its environment can no longer run JS, and every N-API call here
  // fails with a Napi::Error. Thrown out of OnOK that error reaches no JS frame and aborts the
  // whole process ("terminate called after throwing an instance of 'Napi::Error'"). Nobody is
  // left to receive the result, so it is dropped. The callback itself (src/sym-eig.ts) only
  // settles a promise and never throws.
  template <typename Args>
  void Deliver(Args args) {
    try {
      Callback().Call(args());
    } catch (const Napi::Error&) {
    }
  }

  void OnOK() override {
    Deliver([&] { return std::vector<napi_value>{Env().Null(), ToResult(Env(), output_, request_.vectors)}; });
  }

  void OnError(const Napi::Error& error) override {
    Deliver([&] { return std::vector<napi_value>{status_.ok() ? error.Value() : StatusError(Env(), status_, request_.n).Value()}; });
  }

 private:
  std::vector<double> work_;  // owned copy: JS may mutate or reuse its buffer while we run
  SymEigRequest request_;
  SymEigStatus status_;
  SymEigOutput output_;
};

// The input is checked and copied here, on the JS thread (one O(n^2) pass, as a plain copy would
// be): a refusal throws synchronously, and src/sym-eig.ts turns it into a rejection.
Napi::Value SymEigAsync(const Napi::CallbackInfo& info) {
  const double* data = nullptr;
  const SymEigRequest request = ParseRequest(info, &data);
  if (!info[7].IsFunction()) throw Napi::TypeError::New(info.Env(), "Expected function for done");
  std::vector<double> work;
  const SymEigStatus prepared = lossscape::PrepareInput(data, request, &work);
  if (!prepared.ok()) throw StatusError(info.Env(), prepared, request.n);
  auto* worker = new SymEigWorker(info[7].As<Napi::Function>(), std::move(work), request);
  worker->Queue();  // deletes itself after OnOK/OnError
  return info.Env().Undefined();
}

Napi::Value SetBlasThreads(const Napi::CallbackInfo& info) {
  lossscape::SetBlasThreads(IntArg(info, 0, "threads"));
  return info.Env().Undefined();
}

Napi::Value GetBlasThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), lossscape::GetBlasThreads());
}

Napi::Value BlasDescription(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), lossscape::BlasDescription());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("symEig", Napi::Function::New(env, Guarded<SymEigSync>, "symEig"));
  exports.Set("symEigAsync", Napi::Function::New(env, Guarded<SymEigAsync>, "symEigAsync"));
  exports.Set("setBlasThreads", Napi::Function::New(env, Guarded<SetBlasThreads>, "setBlasThreads"));
  exports.Set("getBlasThreads", Napi::Function::New(env, Guarded<GetBlasThreads>, "getBlasThreads"));
  exports.Set("blasDescription", Napi::Function::New(env, Guarded<BlasDescription>, "blasDescription"));
  return exports;
}

}  // namespace

NODE_API_MODULE(hessian_native, Init)

# SPDX-License-Identifier: MIT
# node-addon-api comes in through its include_dir (not its gyp `targets`, which leave stray
# makefiles that break `npm ls` in the workspace). LAPACK: dsyevd_/dsyevr_ are called through
# <lapack.h>'s LAPACK_* macros and resolved from OpenBLAS itself, so no LAPACKE is linked
# (Debian's OpenBLAS has no LAPACKE symbols). pkg-config finds OpenBLAS; plain -lopenblas if not.
{
  "targets": [
    {
      "target_name": "hessian_native",
      "sources": ["native/addon.cc", "native/sym_eig.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(pkg-config --cflags-only-I lapacke 2>/dev/null | sed 's/-I//g')"
      ],
      "libraries": ["<!@(pkg-config --libs openblas 2>/dev/null || echo -lopenblas)"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions", "-O0", "-O1", "-O2"],
      "cflags_cc!": ["-fno-exceptions", "-O0", "-O1", "-O2"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-Wall", "-Wextra"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_LDFLAGS": ["<!@(pkg-config --libs openblas 2>/dev/null || echo -lopenblas)"]
      }
    }
  ]
}

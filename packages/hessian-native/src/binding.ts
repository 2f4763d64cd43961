// SPDX-License-Identifier: MIT
/**
 * The one file that touches build/Release/hessian_native.node (STYLE R3). The addon is
 * CommonJS, so it is loaded with createRequire; it is loaded lazily, on the first call that
 * needs it, so importing the package never fails — calling it does, with what to do about it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LandscapeError } from '@lossscape/numeric';

/** Result of the raw native call: `vectors` present only when requested (m×n row-major). */
export interface NativeSymEigResult {
  values: Float64Array;
  vectors?: Float64Array;
}

/**
 * Shape of hessian_native.node — keep in sync with native/addon.cc. Arguments are trusted
 * (validated in sym-eig.ts) apart from what memory safety needs. `driver`: 0 dsyevd, 1 dsyevr;
 * `il`, `iu`: 1-based inclusive range of ascending eigenvalue indices, 0 and 0 for all;
 * `symmetryTol`: refuse max|a_ij − a_ji| > symmetryTol × max|a_ij| (ERR_NOT_SYMMETRIC; NaN and
 * ±Infinity give ERR_NOT_FINITE). Errors carry `code` plus the data to word them.
 */
export interface NativeBinding {
  symEig(matrix: Float64Array, n: number, vectors: boolean, driver: number, il: number, iu: number, symmetryTol: number): NativeSymEigResult;
  symEigAsync(
    matrix: Float64Array,
    n: number,
    vectors: boolean,
    driver: number,
    il: number,
    iu: number,
    symmetryTol: number,
    done: (err: Error | null, result?: NativeSymEigResult) => void,
  ): void;
  setBlasThreads(threads: number): void;
  getBlasThreads(): number;
  blasDescription(): string;
}

/** Where the build puts the addon: ../build from both src/ (tests) and dist/ (built package). */
export const defaultBindingUrl = new URL('../build/Release/hessian_native.node', import.meta.url);

const require = createRequire(import.meta.url);

/** Loads the addon at `url` (tests point it elsewhere to see the failure message). */
export function loadBindingFrom(url: URL): NativeBinding {
  const file = fileURLToPath(url);
  try {
    return require(file) as NativeBinding;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new LandscapeError(
      [
        `Could not load @lossscape/hessian-native from ${file}: ${reason}`,
        'Possible solutions:',
        '- Build the addon: npm run setup at the repository root, or npm run build:native in packages/hessian-native',
        '- Install LAPACK and a C++ toolchain first (Debian/Ubuntu: apt-get install libopenblas-dev liblapacke-dev pkg-config g++ make python3)',
        '- After upgrading Node (NODE_MODULE_VERSION mismatch) or moving the checkout: npm run build:native again',
        '- "libopenblas.so.0: cannot open shared object file": install libopenblas0 (pulled in by libopenblas-dev)',
      ].join('\n'),
      'ERR_NATIVE_UNAVAILABLE',
      { cause },
    );
  }
}

let cached: NativeBinding | undefined;

/** The addon, loaded on first use; throws LandscapeError ERR_NATIVE_UNAVAILABLE saying how to fix it. */
export function binding(): NativeBinding {
  cached ??= loadBindingFrom(defaultBindingUrl);
  return cached;
}

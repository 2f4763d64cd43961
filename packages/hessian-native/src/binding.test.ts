// SPDX-License-Identifier: MIT
// The loader's failure message, and LAPACK's info surfaced through the real native path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LandscapeError } from '@lossscape/numeric';
import { binding, defaultBindingUrl, loadBindingFrom } from './binding.js';
import { fromNative } from './sym-eig.js';

describe('loader', () => {
  it('loads build/Release/hessian_native.node with every export', () => {
    const native = binding();
    for (const name of ['symEig', 'symEigAsync', 'setBlasThreads', 'getBlasThreads', 'blasDescription']) {
      expect(typeof (native as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    expect(defaultBindingUrl.pathname).toMatch(/hessian-native\/build\/Release\/hessian_native\.node$/);
  });

  it('a missing addon fails with ERR_NATIVE_UNAVAILABLE saying what to build and install', () => {
    let thrown: unknown;
    try {
      loadBindingFrom(new URL('../build/Release/no_such_addon.node', import.meta.url));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(LandscapeError);
    const err = thrown as LandscapeError;
    expect(err.code).toBe('ERR_NATIVE_UNAVAILABLE');
    expect(err.message).toMatch(/^Could not load @lossscape\/hessian-native from .*no_such_addon\.node: Cannot find module/);
    expect(err.message).toMatch(/npm run build:native in packages\/hessian-native/);
    expect(err.message).toMatch(/apt-get install libopenblas-dev liblapacke-dev/);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('a file that is not an addon fails the same way, naming the cause', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hessian-native-'));
    try {
      const fake = join(dir, 'fake.node');
      writeFileSync(fake, 'not a shared object');
      expect(() => loadBindingFrom(pathToFileURL(fake))).toThrow(/^Could not load @lossscape\/hessian-native from .*fake\.node: .*(invalid ELF header|too short)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LAPACK info', () => {
  // The public API cannot reach LAPACK with an illegal argument (validation refuses first), so
  // the raw binding is called with il > iu: dsyevr itself reports argument 10 (iu) as illegal.
  // (LAPACK's xerbla also prints one line to stdout; that is OpenBLAS, not this package.)
  it('an illegal argument from dsyevr becomes ERR_LAPACK_ARGUMENT, sync and async', async () => {
    const m = new Float64Array([2, 1, 1, 2]);
    let thrown: unknown;
    try {
      binding().symEig(m, 2, false, 0, 2, 1, 0);
    } catch (err) {
      thrown = err;
    }
    expect((thrown as Error & { code: string }).code).toBe('ERR_LAPACK_ARGUMENT');
    expect((thrown as Error & { info: number }).info).toBe(-10);
    expect((thrown as Error).message).toBe('dsyevr: argument 10 had an illegal value');

    const asyncErr = await new Promise<Error | null>((resolve) => binding().symEigAsync(m, 2, true, 0, 2, 1, 0, (err) => resolve(err)));
    expect((asyncErr as Error & { code: string }).code).toBe('ERR_LAPACK_ARGUMENT');
    expect(asyncErr!.message).toBe('dsyevr: argument 10 had an illegal value');

    const mapped = fromNative(asyncErr, 0, new Error('call site'));
    expect(mapped).toBeInstanceOf(LandscapeError);
    expect((mapped as LandscapeError).code).toBe('ERR_LAPACK_ARGUMENT');
    expect((mapped as LandscapeError).cause).toBe(asyncErr);
    expect((mapped as LandscapeError).stack).toMatch(/^LandscapeError: dsyevr: argument 10 had an illegal value\n.*binding\.test\.ts/);
  });

  // Convergence failures (info > 0) cannot be provoked with finite symmetric input: dsterf,
  // dstedc and dstemr converge on every such matrix in practice. The C++ test covers the mapping
  // of info > 0 (native.test.ts); here, the TS side of it.
  it('a convergence failure maps to ERR_LAPACK_CONVERGENCE; other errors pass through', () => {
    const native = Object.assign(new Error('dsyevd: the algorithm failed to converge (info = 3)'), { code: 'ERR_LAPACK_CONVERGENCE', info: 3 });
    const mapped = fromNative(native, 0) as LandscapeError;
    expect(mapped).toBeInstanceOf(LandscapeError);
    expect(mapped.code).toBe('ERR_LAPACK_CONVERGENCE');
    expect(mapped.message).toBe('dsyevd: the algorithm failed to converge (info = 3)');
    const other = new Error('hessian-native: std::bad_alloc');
    expect(fromNative(other, 0)).toBe(other);
  });

  it('the raw binding refuses a length that is not n² (memory safety, even past validation)', () => {
    expect(() => binding().symEig(new Float64Array(3), 2, false, 0, 0, 0, 0)).toThrow(RangeError);
    expect(() => binding().symEig(new Float32Array(4) as unknown as Float64Array, 2, false, 0, 0, 0, 0)).toThrow(TypeError);
  });
});

// SPDX-License-Identifier: MIT
// Builds and runs native/sym_eig_test.cc: the LAPACK layer tested without Node (STYLE R3), with
// the same compiler and OpenBLAS that node-gyp uses for the addon.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const nativeDir = fileURLToPath(new URL('../native/', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'hessian-native-cc-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function pkgConfig(args: string[], fallback: string[]): string[] {
  const r = spawnSync('pkg-config', args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split(/\s+/).filter(Boolean) : fallback;
}

describe('native/sym_eig (C++, no Node)', () => {
  it('compiles with g++ and passes its checks', () => {
    const exe = join(workDir, 'sym_eig_test');
    const compile = spawnSync(
      'g++',
      [
        '-std=c++17',
        '-O1',
        '-Wall',
        '-Wextra',
        '-Werror',
        ...pkgConfig(['--cflags-only-I', 'lapacke'], []),
        join(nativeDir, 'sym_eig.cc'),
        join(nativeDir, 'sym_eig_test.cc'),
        '-o',
        exe,
        ...pkgConfig(['--libs', 'openblas'], ['-lopenblas']),
      ],
      { encoding: 'utf8' },
    );
    expect(compile.stderr).toBe('');
    expect(compile.status).toBe(0);
    const run = spawnSync(exe, [], { encoding: 'utf8' });
    expect(run.stdout).toMatch(/^0 failure\(s\)$/m);
    expect(run.stdout).not.toMatch(/^FAIL/m);
    expect(run.stdout.match(/^ok /gm)?.length).toBe(28);
    expect(run.status).toBe(0);
  }, 60_000);
});

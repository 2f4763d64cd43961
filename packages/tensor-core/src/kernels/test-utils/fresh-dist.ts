// SPDX-License-Identifier: MIT
// Worker threads import the block kernels from dist/ ("@lossscape/tensor-core/kernels"), while
// vitest runs the calling thread from src/: both must be the same code, or the bitwise
// determinism tests compare two programs. Rebuild dist/ when a kernel source is newer than its
// output. Test files run in parallel processes: a lock directory keeps to one build at a time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const LOCK = join(ROOT, 'dist', '.kernels-build-lock');
const LOCK_WAIT_MS = 180_000;

function staleKernels(): string[] {
  const src = join(ROOT, 'src', 'kernels');
  return readdirSync(src)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .filter((f) => {
      const built = join(ROOT, 'dist', 'kernels', f.replace(/\.ts$/, '.js'));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(join(src, f)).mtimeMs;
    });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds the package (tsc -p tsconfig.lib.json) if any dist/kernels file is older than its source. */
export function ensureFreshKernelsDist(): void {
  if (staleKernels().length === 0) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  let locked = false;
  while (!locked) {
    try {
      mkdirSync(LOCK);
      locked = true;
    } catch {
      if (Date.now() > deadline) break; // a crashed build left its lock: build anyway
      sleep(200);
      if (staleKernels().length === 0) return;
    }
  }
  try {
    if (staleKernels().length === 0) return;
    try {
      execFileSync(process.execPath, [join(ROOT, '../../node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.lib.json')], { stdio: 'pipe' });
    } catch (error) {
      // tsc still emits when another part of the package has type errors; only the kernels matter here.
      const stale = staleKernels();
      if (stale.length > 0) throw new Error(`Expected a fresh dist/kernels for the threaded tests but received stale ${stale.join(', ')}`, { cause: error });
    }
  } finally {
    if (locked) rmdirSync(LOCK);
  }
}

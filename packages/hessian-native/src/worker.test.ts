// SPDX-License-Identifier: MIT
// The addon inside worker threads (N-API addons are context-aware: one instance per thread).
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOL } from '@lossscape/numeric';
import { toeplitzTridiagonal, maxAbsDifference, spectralRadius } from './test-utils/matrices.js';

interface WorkerAnswer {
  readonly sync: Float64Array;
  readonly async: Float64Array;
  readonly lowest: Float64Array;
}

/** Runs test-utils/eigen-worker.ts in a worker thread, through tsx, resolving workspace packages to sources. */
const tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;

function runWorker(n: number, a: number, b: number): Promise<WorkerAnswer> {
  const entry = new URL('./test-utils/eigen-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { n, a, b }, execArgv: ['--conditions=@lossscape/source'] });
  return new Promise<WorkerAnswer>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`Expected a message from the worker but it exited with ${code}`)));
  }).finally(() => worker.terminate()); // awaited: the thread is gone before the next test starts
}

describe('hessian-native in worker threads', () => {
  it('two workers load the addon and compute sync, async and lowest-k spectra', async () => {
    const problems = [toeplitzTridiagonal(60, 2, -1), toeplitzTridiagonal(45, -3, 0.5)];
    const answers = await Promise.all([runWorker(60, 2, -1), runWorker(45, -3, 0.5)]);
    answers.forEach((answer, i) => {
      const known = problems[i];
      const tol = TOL.F64_EIGEN * spectralRadius(known.eigenvalues);
      expect(maxAbsDifference(answer.sync, known.eigenvalues)).toBeLessThanOrEqual(tol);
      expect(maxAbsDifference(answer.async, known.eigenvalues)).toBeLessThanOrEqual(tol);
      expect(maxAbsDifference(answer.lowest, known.eigenvalues.subarray(0, 2))).toBeLessThanOrEqual(tol);
    });
  });

  it('a worker terminated while its async solves are in flight does not take the process down', () => {
    // Regression: the result callback used to throw a C++ Napi::Error into the void once the
    // worker's environment was gone, and the process aborted (exit 134).
    const child = fileURLToPath(new URL('./test-utils/terminate-child.mjs', import.meta.url));
    const entry = new URL('./test-utils/busy-worker.ts', import.meta.url).href;
    const r = spawnSync(process.execPath, [child, tsxApi, entry], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).not.toMatch(/terminate called/);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('survived');
  }, 150_000);
});

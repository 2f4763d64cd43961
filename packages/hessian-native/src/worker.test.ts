// SPDX-License-Identifier: MIT
// The addon inside worker threads (N-API addons are context-aware: one instance per thread).
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOL } from '@lossscape/numeric';
import { toeplitzTridiagonal, maxAbsDifference, spectralRadius } from './test-utils/matrices.js';

interface WorkerAnswer {
  readonly sync: Float64Array;
  readonly async: Float64Array;
  readonly lowest: Float64Array;
}

/** Runs test-utils/eigen-worker.ts in a worker thread, through tsx, resolving workspace packages to sources. */
function runWorker(n: number, a: number, b: number): Promise<WorkerAnswer> {
  const tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./test-utils/eigen-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { n, a, b }, execArgv: ['--conditions=@lossscape/source'] });
  return new Promise<WorkerAnswer>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`Expected a message from the worker but it exited with ${code}`)));
  }).finally(() => void worker.terminate());
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
});

// SPDX-License-Identifier: MIT
// Worker-thread side of worker.test.ts: imports the package entry, as a user's worker would.
import { parentPort, workerData } from 'node:worker_threads';
import { nativeEigenSolver, symEigvals, symEigvalsAsync } from '../index.js';
import { toeplitzTridiagonal } from './matrices.js';

const { n, a, b } = workerData as { n: number; a: number; b: number };
const { matrix } = toeplitzTridiagonal(n, a, b);
parentPort!.postMessage({
  sync: symEigvals(matrix, n),
  async: await symEigvalsAsync(matrix, n),
  lowest: nativeEigenSolver.lowest(matrix, n, 2).values,
});

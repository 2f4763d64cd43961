#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// A short loop over every native path, refused input included, to run under valgrind (under a minute):
//   valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible node scripts/valgrind-loop.mjs
// Expect "definitely lost: 0" and "indirectly lost: 0"; the one "possibly lost" block is the
// thread stack of Node's inspector agent (node::inspector::Agent::Start), not this addon.
import { setBlasThreads, symEig, symEigAsync, symEigvals, symEigvalsAsync } from '../dist/index.js';

setBlasThreads(1);
const n = 30;
const m = new Float64Array(n * n);
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = 1 / (1 + i + j); // Hilbert-like, symmetric
for (let i = 0; i < 200; i++) {
  symEigvals(m, n);
  symEig(m, n, { vectors: true });
  symEig(m, n, { vectors: true, smallest: 2 });
}
for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 20 }, () => symEigAsync(m, n, { vectors: true, driver: 'dsyevr' })));
for (let i = 0; i < 50; i++) await symEigvalsAsync(m, n);
// Refused input: the native error paths, sync and async.
const bad = Float64Array.from(m);
bad[1] += 1;
bad[n + 2] = Number.NaN;
for (let i = 0; i < 50; i++) {
  for (const matrix of [bad, m.map((x, k) => (k === 1 ? x + 1 : x))]) {
    try {
      symEigvals(matrix, n);
    } catch {
      // expected: ERR_NOT_FINITE, ERR_NOT_SYMMETRIC
    }
    await symEigvalsAsync(matrix, n).catch(() => undefined);
  }
}
console.log('valgrind loop: done');

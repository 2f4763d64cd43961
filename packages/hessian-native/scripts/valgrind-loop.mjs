#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// A short loop over every native path, to run under valgrind (slow: about 2 minutes):
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
console.log('valgrind loop: done');

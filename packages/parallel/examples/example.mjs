// SPDX-License-Identifier: MIT
// eslint-disable-next-line @nx/enforce-module-boundaries -- a README example: users import the package by name
import { createPool, kernel, sharedFloat64Array } from '@lossscape/parallel';

const kernels = new URL('./kernels.mjs', import.meta.url);
const n = 1_000_000;
const x = sharedFloat64Array(n);
for (let i = 0; i < n; i++) x[i] = Math.sin(i);
const y = sharedFloat64Array(n);

const pool = createPool({ threads: 2 });
// Promise form: the workers compute, this thread's event loop stays free.
await pool.parallelFor(n, kernel(kernels, 'scale'), { buffers: [x, y], args: [2] });
// Blocking form: this thread computes blocks too and waits with Atomics.wait,
// so it can sit inside a synchronous function (a Potential's energyGradient).
const [sumSq] = pool.parallelReduceSync(n, kernel(kernels, 'sumOfSquares'), { buffers: [y] });
console.log(sumSq.toFixed(3)); // 2000000.176 (= 4 Σ sin² i), bit for bit the same on any thread count
await pool.close();

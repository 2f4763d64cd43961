// SPDX-License-Identifier: MIT
// Worker-thread body for the termination test: queues many async solves, then says so.
import { parentPort } from 'node:worker_threads';
import { symEigvalsAsync } from '../index.js';

const n = 200;
const a = new Float64Array(n * n);
for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = Math.sin(7 * i + j);
for (let k = 0; k < 8; k++) void symEigvalsAsync(a, n);
parentPort!.postMessage('queued');

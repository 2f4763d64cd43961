// SPDX-License-Identifier: MIT
// Uses a pool in every way and never closes it: the process must still exit by itself.
import { createPool, kernel, runTask, sharedFloat64Array } from '../dist/index.js';

const basic = (name) => kernel(new URL('./basic.mjs', import.meta.url), name);
const pool = createPool({ threads: 2 });
const x = sharedFloat64Array([1, 2, 3, 4, 5]);
const blocking = pool.parallelReduceSync(5, basic('sum'), { buffers: [x], chunk: 1 })[0];
// Top-level await on the promise form: the pool must keep the process alive until it settles.
const promised = (await pool.parallelReduce(5, basic('sum'), { buffers: [x], chunk: 1 }))[0];
const crashed = await pool.parallelFor(4, basic('exitAt'), { args: [3], chunk: 1 }).then(() => 'no', (e) => e.code);
const task = await runTask({ module: new URL('./tasks.mjs', import.meta.url), exportName: 'count' }, { n: 3 }).result;
// Left running when the script ends: a region in flight, then the workers idle.
void pool.parallelFor(2, basic('noop'));
process.stdout.write(JSON.stringify({ blocking, promised, crashed, task }));

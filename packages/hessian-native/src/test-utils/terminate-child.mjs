// SPDX-License-Identifier: MIT
// Child process for the termination test: terminates worker threads while their async solves
// are in flight, several times, at different moments. Prints "survived" if the process lives.
import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';

const [tsxApi, entry] = process.argv.slice(2);
const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
for (let round = 0; round < 3; round++) {
  const worker = new Worker(bootstrap, { eval: true, execArgv: ['--conditions=@lossscape/source'] });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await sleep(round * 15);
  await worker.terminate();
}
console.log('survived');

// SPDX-License-Identifier: MIT
/**
 * One job loop in a worker thread (`runWorker` with concurrency > 1): options arrive as
 * workerData, 'stop' / 'abort-now' as messages, events go back to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runWorkerLoop, type ThreadMessage, type WorkerOptions } from './worker.js';

const port = parentPort!;
const stop = new AbortController();
const now = new AbortController();
port.on('message', (m: unknown) => {
  if (m === 'stop') stop.abort();
  if (m === 'abort-now') now.abort();
});
const post = (m: ThreadMessage) => port.postMessage(m);
try {
  const summary = await runWorkerLoop({ ...(workerData as WorkerOptions), signal: stop.signal, abortNow: now.signal, onEvent: (event) => post({ kind: 'event', event }) });
  post({ kind: 'done', summary });
} catch (err) {
  const code = (err as { code?: unknown } | null)?.code;
  post({ kind: 'error', message: err instanceof Error ? err.message : String(err), ...(typeof code === 'string' ? { code } : {}) });
} finally {
  port.close();
}

// SPDX-License-Identifier: MIT
/**
 * How `runChains` reaches its chain workers: a small injected piece, so the sampler does not
 * depend on one threading library. Two transports ship: worker_threads (the default, one
 * thread per chain) and in-thread (a MessageChannel in this thread: no parallelism, for tests
 * and for hosts without workers). A pool from @lossscape/parallel can implement the same
 * `ChainTransport` once its task API exists.
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { LandscapeError } from '@lossscape/numeric';
import { serveChain, type WorkerEndpoint } from './chain-worker.js';
import type { MainToWorker, WorkerToMain } from './protocol.js';

/** The main thread's end of one chain's channel. */
export interface ChainPort {
  post(message: MainToWorker): void;
  onMessage(listener: (message: WorkerToMain) => void): void;
  /** The worker died (uncaught exception, non-zero exit). */
  onError(listener: (error: Error) => void): void;
  /** Ends the worker at once (an in-flight quench is dropped; it was never committed). */
  close(): Promise<void>;
}

/** Opens the channel of chain `chain`. */
export type ChainTransport = (chain: number) => ChainPort;

export interface WorkerThreadsTransportOptions {
  /**
   * Register tsx in each worker before anything loads, so a TypeScript potential factory can be
   * imported (Node 20 workers ignore `--import` in execArgv). Implied when this package itself
   * runs from its TypeScript sources. Needs the `tsx` package.
   */
  readonly tsx?: boolean;
  /** Extra Node flags for each worker (e.g. `--max-old-space-size=512`). */
  readonly execArgv?: readonly string[];
  readonly resourceLimits?: import('node:worker_threads').ResourceLimits;
}

/**
 * One worker thread per chain, running chain-worker.js beside this module. With `tsx`, or when
 * this module is itself running from TypeScript sources (under vitest or tsx), each worker is
 * bootstrapped through tsx (and, from sources, resolves workspace packages to their sources).
 */
export function workerThreadsTransport(options: WorkerThreadsTransportOptions = {}): ChainTransport {
  const here = import.meta.url;
  const fromSources = here.endsWith('.ts');
  const entry = new URL(fromSources ? './chain-worker.ts' : './chain-worker.js', here);
  const throughTsx = fromSources || options.tsx === true;
  const conditions = fromSources ? ['--conditions=@lossscape/source'] : [];
  return () => {
    let worker: Worker;
    const workerData = { lossscapeChainWorker: true };
    if (throughTsx) {
      let tsxApi: string;
      try {
        tsxApi = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
      } catch (cause) {
        throw new LandscapeError('Expected the tsx package for chain workers that load TypeScript but received none (npm install tsx, or use built JavaScript)', 'ERR_WORKER', { cause });
      }
      const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
      worker = new Worker(bootstrap, { eval: true, workerData, execArgv: [...conditions, ...(options.execArgv ?? [])], resourceLimits: options.resourceLimits });
    } else {
      worker = new Worker(entry, { workerData, execArgv: options.execArgv ? [...options.execArgv] : undefined, resourceLimits: options.resourceLimits });
    }
    let closing = false;
    return {
      post: (message) => {
        if (!closing) worker.postMessage(message);
      },
      onMessage: (listener) => void worker.on('message', listener),
      onError: (listener) => {
        worker.on('error', listener);
        worker.on('exit', (code) => {
          if (!closing && code !== 0) listener(new LandscapeError(`Expected chain worker to keep running but received exit code ${code}`, 'ERR_WORKER'));
        });
      },
      close: async () => {
        closing = true;
        await worker.terminate();
      },
    };
  };
}

/** Runs each chain on a MessageChannel in this thread: the protocol without threads. */
export function inThreadTransport(): ChainTransport {
  return () => {
    const { port1, port2 } = new MessageChannel();
    serveChain(port2 as unknown as WorkerEndpoint);
    let closed = false;
    return {
      post: (message) => {
        if (!closed) port1.postMessage(message);
      },
      onMessage: (listener) => void port1.on('message', listener),
      // Nothing can die separately here: a failure in serveChain arrives as an 'error' message.
      onError: () => undefined,
      close: async () => {
        closed = true;
        port1.close();
        port2.close();
      },
    };
  };
}

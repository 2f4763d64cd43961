// SPDX-License-Identifier: MIT
/**
 * How `runChains` reaches its chain workers: a small injected piece. Two transports ship:
 * - `taskTransport()` (the default): one @lossscape/parallel task thread per chain
 *   (`runTask` on `chainTask`);
 * - `inThreadTransport()`: the same protocol on a MessageChannel in this thread — no
 *   parallelism; for tests and hosts without worker threads.
 */
import { MessageChannel } from 'node:worker_threads';
import { LandscapeError, expectedMessage } from '@lossscape/numeric';
import { runTask, type TaskRun } from '@lossscape/parallel';
import { serveChain, type WorkerEndpoint } from './chain-worker.js';
import type { MainToWorker, WorkerToMain } from './protocol.js';

/** The main thread's end of one chain's channel. */
export interface ChainPort {
  post(message: MainToWorker): void;
  onMessage(listener: (message: WorkerToMain) => void): void;
  /** The worker failed (its task threw, its thread died). */
  onError(listener: (error: Error) => void): void;
  /** Ends the worker at once (an in-flight quench is dropped; it was never committed). */
  close(): Promise<void>;
}

/** Opens the channel of chain `chain`. */
export type ChainTransport = (chain: number) => ChainPort;

export interface TaskTransportOptions {
  /**
   * Register tsx in each chain thread before the potential factory is imported, so that a
   * TypeScript factory module loads (Node 20 workers ignore `--import tsx` in execArgv).
   * Default: true when this package itself runs from its TypeScript sources. Needs `tsx`.
   */
  readonly tsx?: boolean;
  readonly execArgv?: readonly string[];
  readonly resourceLimits?: import('node:worker_threads').ResourceLimits;
}

// The task module must be JavaScript (worker threads cannot load .ts): from sources (vitest,
// tsx) use the built file, as @lossscape/parallel does for its own entry.
const fromSources = import.meta.url.endsWith('.ts');
const CHAIN_TASK = new URL(fromSources ? '../../dist/chains/chain-worker.js' : './chain-worker.js', import.meta.url);

/** One @lossscape/parallel task thread per chain. */
export function taskTransport(options: TaskTransportOptions = {}): ChainTransport {
  const tsx = options.tsx ?? fromSources;
  return (chain) => {
    let run: TaskRun<WorkerToMain, void> | undefined;
    let closing = false;
    const listeners: Array<(message: WorkerToMain) => void> = [];
    const errorListeners: Array<(error: Error) => void> = [];
    const fail = (error: unknown): void => {
      if (closing) return;
      const err = error instanceof Error ? error : new LandscapeError(String(error), 'ERR_WORKER');
      for (const l of errorListeners) l(err);
    };
    return {
      post(message) {
        if (closing) return;
        if (message.kind === 'start') {
          if (run) throw new LandscapeError(expectedMessage('one start message', `chain ${chain}`, 'a second one'), 'ERR_WORKER');
          run = runTask<WorkerToMain, void>({ module: CHAIN_TASK, exportName: 'chainTask' }, { ...message, tsx }, {
            execArgv: options.execArgv,
            resourceLimits: options.resourceLimits,
          });
          const started = run;
          void (async () => {
            try {
              for await (const m of started) for (const l of listeners) l(m);
              await started.result;
              if (!closing) for (const l of listeners) l({ kind: 'stopped' });
            } catch (err) {
              fail(err);
            }
          })();
        } else {
          run?.post(message);
        }
      },
      onMessage: (listener) => void listeners.push(listener),
      onError: (listener) => void errorListeners.push(listener),
      close: async () => {
        closing = true;
        await run?.terminate();
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

// SPDX-License-Identifier: MIT
/**
 * The worker half of `runChains`: builds the potential from its factory, then runs one
 * basin-hopping chain step by step, waiting after each step for the main thread's verdict
 * (was the minimum new? stop?). Loaded as a worker_threads entry, it serves `parentPort`;
 * `serveChain` also runs on a MessagePort in the main thread (the in-thread transport).
 */
import { isMainThread, parentPort, workerData, type TransferListItem } from 'node:worker_threads';
import { Chain } from '../basin-hopping/chain.js';
import { lbfgs } from '../optimize/lbfgs.js';
import { loadPotential, type MainToWorker, type StepMessage, type WorkerToMain } from './protocol.js';

/** The side of a channel a chain worker talks through (parentPort or a MessagePort). */
export interface WorkerEndpoint {
  postMessage(value: WorkerToMain, transferList?: readonly TransferListItem[]): void;
  on(event: 'message', listener: (value: MainToWorker) => void): unknown;
}

function errorMessage(err: unknown): WorkerToMain {
  const code = (err as { code?: unknown })?.code;
  return { kind: 'error', message: err instanceof Error ? err.message : String(err), code: typeof code === 'string' ? code : undefined };
}

export function serveChain(endpoint: WorkerEndpoint): void {
  let chain: Chain | undefined;

  const step = (): void => {
    try {
      const outcome = chain!.step();
      const q = outcome.quench;
      // Copy: q.x may share a buffer the minimiser reuses; the copy's buffer is transferred.
      const x = Float64Array.from(q.x);
      const message: StepMessage = {
        kind: 'step',
        step: outcome.step,
        x,
        energy: q.energy,
        rmsGradient: q.rmsGradient,
        iterations: q.iterations,
        converged: q.converged,
        message: q.message,
        accepted: outcome.accepted,
        adapted: outcome.adapted,
        checkpoint: chain!.checkpoint,
      };
      endpoint.postMessage(message, [x.buffer]);
    } catch (err) {
      endpoint.postMessage(errorMessage(err));
    }
  };

  endpoint.on('message', (message) => {
    if (message.kind === 'start') {
      loadPotential(message.factory).then(
        (potential) => {
          chain = new Chain({ potential, minimize: lbfgs, x0: message.x0, settings: message.settings }, message.checkpoint);
          endpoint.postMessage({ kind: 'ready', dimension: potential.dimension });
          step();
        },
        (err: unknown) => endpoint.postMessage(errorMessage(err)),
      );
    } else if (message.kind === 'verdict') {
      chain!.settle(message.isNew);
      if (message.stop) endpoint.postMessage({ kind: 'stopped' });
      // Yield to the event loop between steps so a terminate() is honoured promptly.
      else setImmediate(step);
    }
  });
}

if (!isMainThread && parentPort && (workerData as { lossscapeChainWorker?: boolean } | undefined)?.lossscapeChainWorker) {
  serveChain(parentPort as unknown as WorkerEndpoint);
}

// SPDX-License-Identifier: MIT
/**
 * The worker half of `runChains`: builds the potential from its factory, then runs one
 * basin-hopping chain step by step, waiting after each step for the main thread's verdict
 * (was the minimum new? stop?). Two entry points over the same loop:
 * - `chainTask` — a @lossscape/parallel task (`runTask`), one thread per chain;
 * - `serveChain` — the same protocol on a MessagePort in this thread (the in-thread transport).
 */
import type { TransferListItem } from 'node:worker_threads';
import type { TaskContext } from '@lossscape/parallel';
import { Chain } from '../basin-hopping/chain.js';
import { lbfgs } from '../optimize/lbfgs.js';
import { loadPotential, type MainToWorker, type StartMessage, type StepMessage, type WorkerToMain } from './protocol.js';

/** The side of a channel a chain worker talks through (a MessagePort). */
export interface WorkerEndpoint {
  postMessage(value: WorkerToMain, transferList?: readonly TransferListItem[]): void;
  on(event: 'message', listener: (value: MainToWorker) => void): unknown;
}

async function buildChain(start: StartMessage): Promise<Chain> {
  if (start.tsx) {
    // Node 20 workers ignore `--import` in execArgv: register the TypeScript loader by hand so
    // that a .ts potential factory can be imported.
    const api = (await import('tsx/esm/api' as string)) as { register(): void };
    api.register();
  }
  const potential = await loadPotential(start.factory);
  return new Chain({ potential, minimize: lbfgs, x0: start.x0, settings: start.settings }, start.checkpoint);
}

/** One step, as the message to send (its coordinates buffer is transferable). */
function stepOnce(chain: Chain, signal?: AbortSignal): StepMessage {
  const outcome = chain.step(signal);
  const q = outcome.quench;
  // A copy: q.x may share a buffer the minimiser reuses; the copy's buffer is transferred.
  const x = Float64Array.from(q.x);
  return {
    kind: 'step',
    step: outcome.step,
    x,
    energy: q.energy,
    rmsGradient: q.rmsGradient,
    iterations: q.iterations,
    converged: q.converged,
    message: q.message,
    accepted: outcome.accepted,
    aborted: outcome.aborted,
    adapted: outcome.adapted,
    checkpoint: chain.checkpoint,
  };
}

/**
 * @lossscape/parallel task: `runTask({ module: <this file>, exportName: 'chainTask' }, start)`.
 * Emits 'ready', then one 'step' per quench, each answered by a verdict; returns when told to
 * stop or when aborted.
 */
export async function chainTask(start: StartMessage, context: TaskContext): Promise<void> {
  const chain = await buildChain(start);
  context.emit({ kind: 'ready', dimension: chain.dimension } satisfies WorkerToMain);
  for (;;) {
    if (context.signal.aborted) return;
    const message = stepOnce(chain, context.signal);
    if (message.aborted) return;
    context.emit(message, [message.x.buffer as ArrayBuffer]);
    const verdict = (await context.receive()) as MainToWorker;
    if (verdict.kind !== 'verdict') continue;
    chain.settle(verdict.isNew);
    if (verdict.stop) return;
  }
}

function errorMessage(err: unknown): WorkerToMain {
  const code = (err as { code?: unknown })?.code;
  return { kind: 'error', message: err instanceof Error ? err.message : String(err), code: typeof code === 'string' ? code : undefined };
}

/** The same protocol on a MessagePort (used by `inThreadTransport`). */
export function serveChain(endpoint: WorkerEndpoint): void {
  let chain: Chain | undefined;
  const step = (): void => {
    try {
      const message = stepOnce(chain!);
      endpoint.postMessage(message, [message.x.buffer as ArrayBuffer]);
    } catch (err) {
      endpoint.postMessage(errorMessage(err));
    }
  };
  endpoint.on('message', (message) => {
    if (message.kind === 'start') {
      buildChain(message).then(
        (built) => {
          chain = built;
          endpoint.postMessage({ kind: 'ready', dimension: built.dimension });
          step();
        },
        (err: unknown) => endpoint.postMessage(errorMessage(err)),
      );
    } else if (message.kind === 'verdict') {
      chain!.settle(message.isNew);
      if (message.stop) endpoint.postMessage({ kind: 'stopped' });
      // Yield to the event loop between steps so a close() is honoured promptly.
      else setImmediate(step);
    }
  });
}

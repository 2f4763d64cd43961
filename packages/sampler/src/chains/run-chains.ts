// SPDX-License-Identifier: MIT
/**
 * Several independent basin-hopping chains, each quenching in its own worker thread, feeding
 * one database owned by this (main) thread.
 *
 * ```ts
 * import { runChains } from '@lossscape/sampler';
 * const events = runChains({
 *   potential: { module: new URL('./my-potential.js', import.meta.url), exportName: 'createPotential', args: { atoms: 13 } },
 *   x0, chains: 2, steps: 5000, temperature: 0.8, stepSize: 0.4, seed: 1, store,
 * });
 * for await (const e of events) if (e.type === 'minimum-added') console.log(e.chain, e.minimum.energy);
 * ```
 *
 * Division of work: a worker builds the potential from its factory, perturbs, quenches (L-BFGS
 * with `minimizeOptions`) and applies the Metropolis test; it sends each quench here and waits
 * for the verdict. This thread does duplicate detection and storage (each minimum committed
 * with its chain's checkpoint in one transaction), evaluation of new minima, the stop
 * criteria (step budget per chain; time budget, stagnation over all chains, abort), and merges
 * the events of all chains into one stream, each tagged with its chain.
 *
 * Each chain's Rng is stream `chain` of `seed`, exactly as `basinHopping({ chain })`, and the
 * checkpoints share its keys, so a run may be resumed with either. Which chain finds a minimum
 * first depends on thread timing, so ids are not reproducible across runs with several chains;
 * a chain's own trajectory is (when reseeding is off, as novelty then does not feed back).
 *
 * Threads: one per chain. Keep chains × kernel threads ≤ available cores (DESIGN.md).
 */
import { LandscapeError, expectedMessage, requireInteger } from '@lossscape/numeric';
import { createMemoryStore, type LandscapeStore } from '@lossscape/landscape';
import type { SamplerEvent, StopReason } from '../events.js';
import { chainCheckpointKey, requireCheckpoint } from '../basin-hopping/basin-hopping.js';
import { applyNovelty, chainRng, initialCheckpoint, type ChainCheckpoint } from '../basin-hopping/chain.js';
import { evaluateAndStore, unevaluatedMinima } from '../basin-hopping/evaluate.js';
import { duplicateTest, requirePotential, requireStart, resolveSampling, type SamplingOptions } from '../basin-hopping/options.js';
import { loadPotential, type PotentialFactory, type StepMessage, type WorkerToMain } from './protocol.js';
import { taskTransport, type ChainPort, type ChainTransport } from './transport.js';

export interface RunChainsOptions extends SamplingOptions {
  /** Built in every worker (and once here, for `sameMinimum` and the dimension). */
  readonly potential: PotentialFactory;
  /** One start shared by all chains, or one per chain. */
  readonly x0: Float64Array | readonly Float64Array[];
  readonly chains: number;
  /** Default `taskTransport()`: one @lossscape/parallel task thread per chain. */
  readonly transport?: ChainTransport;
  /** Most events buffered before workers are held back (default 10 000). */
  readonly highWaterMark?: number;
}

export interface RunChainsSummary {
  readonly reason: StopReason;
  readonly totalQuenches: number;
  readonly distinctMinima: number;
  readonly store: LandscapeStore;
}

/** A single-consumer event queue with a drain signal for backpressure. */
class EventQueue {
  private readonly items: SamplerEvent[] = [];
  private wake: (() => void) | undefined;
  private drainWaiters: Array<() => void> = [];
  private failure: unknown;
  private failed = false;
  ended = false;

  push(event: SamplerEvent): void {
    this.items.push(event);
    this.notify();
  }
  end(): void {
    this.ended = true;
    this.notify();
  }
  fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = err;
    this.notify();
  }
  get length(): number {
    return this.items.length;
  }
  /** Resolves once fewer than `mark` events wait. */
  belowMark(mark: number): Promise<void> {
    if (this.items.length < mark) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }
  async next(mark: number): Promise<SamplerEvent | undefined> {
    for (;;) {
      if (this.failed) throw this.failure;
      if (this.items.length > 0) {
        const item = this.items.shift()!;
        if (this.items.length < mark && this.drainWaiters.length > 0) {
          const waiters = this.drainWaiters;
          this.drainWaiters = [];
          for (const w of waiters) w();
        }
        return item;
      }
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function requireFactory(factory: unknown): PotentialFactory {
  const f = factory as PotentialFactory;
  if (f === null || typeof f !== 'object' || !(typeof f.module === 'string' || f.module instanceof URL) || typeof f.exportName !== 'string') {
    throw new TypeError(expectedMessage('a PotentialFactory { module, exportName, args? }', 'potential', factory));
  }
  try {
    structuredClone(f.args);
  } catch (cause) {
    throw new LandscapeError(expectedMessage('structured-clone-safe data', 'potential.args', f.args), 'ERR_INVALID_ARGUMENT', { cause });
  }
  return f;
}

/**
 * Runs `chains` basin-hopping chains in workers. Invalid options reject the first `next()`;
 * a worker failure rejects the stream with LandscapeError ERR_WORKER. Breaking out of the
 * loop terminates the workers.
 */
export async function* runChains(options: RunChainsOptions): AsyncGenerator<SamplerEvent, RunChainsSummary> {
  const resolved = resolveSampling(options);
  const factory = requireFactory(options.potential);
  const chains = requireInteger('chains', options.chains, 1, 256);
  const highWaterMark = requireInteger('highWaterMark', options.highWaterMark ?? 10_000, 1);
  const moduleHref = factory.module instanceof URL ? factory.module.href : factory.module;
  const potential = requirePotential(await loadPotential(factory));
  const starts = options.x0 instanceof Float64Array ? Array.from({ length: chains }, () => options.x0 as Float64Array) : [...(options.x0 as readonly Float64Array[])];
  if (starts.length !== chains) throw new LandscapeError(expectedMessage(`${chains} start points`, 'x0', starts), 'ERR_DIMENSION_MISMATCH');
  for (const x of starts) requireStart(x, potential.dimension);
  const settings = resolved.chainSettings;
  const store = options.store ?? createMemoryStore();
  const test = duplicateTest(potential, resolved);
  const transport = options.transport ?? taskTransport();
  const signal = options.signal;

  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  const states: ChainCheckpoint[] = [];
  let resumedAny = false;
  for (let k = 0; k < chains; k++) {
    const stored = options.resume ? await store.loadCheckpoint(chainCheckpointKey(k)) : undefined;
    if (stored !== undefined) resumedAny = true;
    states.push(stored !== undefined ? requireCheckpoint(stored, k, potential.dimension) : initialCheckpoint(k, potential.dimension, options.stepSize, chainRng(options.seed, k)));
  }
  const elapsedOffset = Math.max(...states.map((s) => s.elapsedMs));
  let totalQuenches = states.reduce((s, c) => s + c.step, 0);
  const resumedQuenches = totalQuenches;
  let distinct = await store.minimumCount();
  let sinceNew = 0;
  let stopAll: StopReason | undefined;
  let runReason: StopReason = 'steps';

  const queue = new EventQueue();
  const ports: ChainPort[] = [];
  const finished = new Array<StopReason | undefined>(chains).fill(undefined);
  const lastProgress = new Array<number>(chains).fill(-Infinity);

  queue.push({
    type: 'run-started',
    chain: -1,
    elapsedMs: elapsed(),
    chains,
    steps: resolved.steps,
    timeBudgetMs: resolved.timeBudgetMs,
    temperature: settings.temperature,
    stepSize: options.stepSize,
    seed: options.seed,
    resumedQuenches,
    resumedMinima: distinct,
  });
  if (resumedAny && options.evaluate) {
    for (const m of await unevaluatedMinima(store)) for (const e of await evaluateAndStore(store, options.evaluate, m, -1, elapsed)) queue.push(e);
  }

  const progress = (k: number): void => {
    const s = states[k];
    lastProgress[k] = elapsed();
    queue.push({
      type: 'progress',
      chain: k,
      elapsedMs: lastProgress[k],
      step: s.step,
      steps: resolved.steps,
      totalQuenches,
      distinctMinima: distinct,
      bestEnergy: s.bestEnergy,
      acceptance: s.step > 0 ? s.accepted / s.step : 0,
      stepSize: s.stepSize,
      sinceLastNew: sinceNew,
    });
  };

  const finishChain = async (k: number, reason: StopReason): Promise<void> => {
    if (finished[k] !== undefined) return;
    finished[k] = reason;
    await ports[k]?.close();
    progress(k);
    queue.push({ type: 'chain-finished', chain: k, elapsedMs: elapsed(), reason, steps: states[k].step });
    if (finished.every((r) => r !== undefined)) {
      const reasons = finished as StopReason[];
      const reason = stopAll ?? (reasons.every((r) => r === reasons[0]) ? reasons[0] : 'budget');
      runReason = reason;
      if (states.some((s) => s.step > 0)) await store.recordDiscovery({ quenches: totalQuenches, distinctMinima: distinct, elapsedMs: elapsedOffset + elapsed() });
      const transitionStates = await store.transitionStateCount();
      queue.push({ type: 'run-finished', chain: -1, elapsedMs: elapsed(), reason, totalQuenches, distinctMinima: distinct, transitionStates });
      queue.end();
    }
  };

  const stopFor = (k: number): StopReason | undefined => {
    if (signal?.aborted) stopAll = 'aborted';
    else if (elapsed() >= resolved.timeBudgetMs) stopAll ??= 'time';
    else if (sinceNew >= resolved.stopAfterNoNewMinima) stopAll ??= 'stagnation';
    return stopAll ?? (states[k].step >= resolved.steps ? 'steps' : undefined);
  };

  const onStep = async (k: number, m: StepMessage): Promise<void> => {
    totalQuenches++;
    const cumulativeMs = elapsedOffset + elapsed();
    const key = chainCheckpointKey(k);
    let minimumId: number | null = null;
    let isNew = false;
    if (m.converged) {
      const result = await store.addMinimum(
        { energy: m.energy, coordinates: m.x, rmsGradient: m.rmsGradient, step: totalQuenches - 1, chain: k },
        test,
        {
          checkpoint: { key, value: (r) => ({ ...applyNovelty(m.checkpoint, r.isNew, settings), elapsedMs: cumulativeMs }) },
          discovery: { quenches: totalQuenches, elapsedMs: cumulativeMs },
        },
      );
      minimumId = result.minimum.id;
      isNew = result.isNew;
      if (isNew) distinct = Math.max(distinct + 1, result.minimum.id);
    }
    const reseedsBefore = m.checkpoint.reseeds;
    states[k] = { ...applyNovelty(m.checkpoint, isNew, settings), elapsedMs: cumulativeMs };
    if (!m.converged) {
      await store.saveCheckpoint(key, states[k]);
      queue.push({
        type: 'warning',
        chain: k,
        elapsedMs: elapsed(),
        code: 'ERR_NOT_CONVERGED',
        message: `Quench at step ${m.step} of chain ${k} did not converge (${m.message} after ${m.iterations} iterations, RMS gradient ${m.rmsGradient}); not stored`,
      });
    }
    sinceNew = isNew ? 0 : sinceNew + 1;
    queue.push({
      type: 'quench',
      chain: k,
      elapsedMs: elapsed(),
      step: m.step,
      energy: m.energy,
      rmsGradient: m.rmsGradient,
      iterations: m.iterations,
      converged: m.converged,
      accepted: m.accepted,
      minimumId,
      isNew,
      currentEnergy: states[k].energy,
    });
    if (isNew && minimumId !== null) {
      queue.push({ type: 'minimum-added', chain: k, elapsedMs: elapsed(), step: m.step, minimum: { id: minimumId, energy: m.energy }, distinctMinima: distinct });
    }
    if (m.adapted) {
      queue.push({ type: 'step-size', chain: k, elapsedMs: elapsed(), step: m.step, stepSize: m.adapted.stepSize, temperature: settings.temperature, acceptance: m.adapted.acceptance });
    }
    if (states[k].reseeds !== reseedsBefore) {
      queue.push({ type: 'reseed', chain: k, elapsedMs: elapsed(), step: m.step, reason: `no new minimum in ${settings.reseedAfter} quenches` });
    }
    if (elapsed() - lastProgress[k] >= resolved.progressIntervalMs) progress(k);

    // Backpressure: a worker waits for its verdict while the consumer is far behind.
    await queue.belowMark(highWaterMark);
    const stop = stopFor(k);
    ports[k].post({ kind: 'verdict', isNew, stop: stop !== undefined });
    if (isNew && minimumId !== null && options.evaluate) {
      const record = await store.getMinimum(minimumId);
      if (record) for (const e of await evaluateAndStore(store, options.evaluate, record, k, elapsed)) queue.push(e);
    }
    if (stop !== undefined) await finishChain(k, stop);
    if (stopAll !== undefined) for (let j = 0; j < chains; j++) if (finished[j] === undefined) await finishChain(j, stopAll);
  };

  // Messages are handled one at a time, in arrival order, so store writes and events never interleave.
  let serial: Promise<void> = Promise.resolve();
  const handle = (k: number, message: WorkerToMain): void => {
    serial = serial
      .then(async () => {
        if (finished[k] !== undefined) return;
        if (message.kind === 'step') await onStep(k, message);
        else if (message.kind === 'error') throw new LandscapeError(`Chain ${k} worker failed: ${message.message}`, 'ERR_WORKER');
        else if (message.kind === 'ready' && message.dimension !== potential.dimension) {
          throw new LandscapeError(expectedMessage(`a potential of dimension ${potential.dimension}`, `chain ${k} worker`, message.dimension), 'ERR_DIMENSION_MISMATCH');
        }
      })
      .catch((err: unknown) => queue.fail(err));
  };

  const onAbort = () => {
    serial = serial.then(async () => {
      stopAll = 'aborted';
      for (let j = 0; j < chains; j++) if (finished[j] === undefined) await finishChain(j, 'aborted');
    });
  };

  try {
    for (let k = 0; k < chains; k++) {
      if (stopFor(k) !== undefined) {
        ports.push(undefined as unknown as ChainPort);
        continue;
      }
      const port = transport(k);
      ports.push(port);
      port.onMessage((message) => handle(k, message));
      port.onError((err) => queue.fail(new LandscapeError(`Chain ${k} worker failed: ${err.message}`, 'ERR_WORKER', { cause: err })));
      port.post({ kind: 'start', factory: { module: moduleHref, exportName: factory.exportName, args: factory.args }, x0: Float64Array.from(starts[k]), settings, checkpoint: states[k] });
    }
    for (let k = 0; k < chains; k++) if (ports[k] === undefined) await finishChain(k, stopFor(k)!);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();

    for (;;) {
      const event = await queue.next(highWaterMark);
      if (event === undefined) break;
      yield event;
    }
    return { reason: runReason, totalQuenches, distinctMinima: distinct, store };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(ports.map((p) => p?.close()));
  }
}

// SPDX-License-Identifier: MIT
/**
 * Messages between `runChains` (main thread: owns the database, decides novelty and when to
 * stop) and a chain worker (builds the potential, quenches, applies Metropolis). Everything
 * here is structured-clone safe; functions never cross threads, so the potential travels as a
 * `PotentialFactory` (module + export name + JSON arguments).
 */
import { LandscapeError, type Potential } from '@lossscape/numeric';
import type { ChainCheckpoint, ChainSettings } from '../basin-hopping/chain.js';

/**
 * Where a worker finds the potential: `(await import(module))[exportName](args)` must return a
 * Potential (or a promise of one). `args` must survive structured cloning (JSON-like data).
 */
export interface PotentialFactory {
  /** Absolute file URL, path-free package specifier, or URL object. */
  readonly module: string | URL;
  readonly exportName: string;
  readonly args?: unknown;
}

/** The first message to a chain worker (the task's data under @lossscape/parallel). */
export interface StartMessage {
  readonly kind: 'start';
  readonly factory: { readonly module: string; readonly exportName: string; readonly args?: unknown };
  readonly x0: Float64Array;
  readonly settings: ChainSettings;
  readonly checkpoint: ChainCheckpoint;
  /** Register tsx in the worker before importing the factory (a TypeScript factory module). */
  readonly tsx?: boolean;
}

export type MainToWorker = StartMessage | { readonly kind: 'verdict'; readonly isNew: boolean; readonly stop: boolean };

export interface StepMessage {
  readonly kind: 'step';
  readonly step: number;
  readonly x: Float64Array;
  readonly energy: number;
  readonly rmsGradient: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly message: string;
  readonly accepted: boolean;
  /** The quench was cut short by an abort (never sent to the main thread). */
  readonly aborted: boolean;
  readonly adapted?: { readonly stepSize: number; readonly acceptance: number };
  /** The chain state after the step, before the verdict on novelty. */
  readonly checkpoint: ChainCheckpoint;
}

export type WorkerToMain =
  | { readonly kind: 'ready'; readonly dimension: number }
  | StepMessage
  | { readonly kind: 'stopped' }
  | { readonly kind: 'error'; readonly message: string; readonly code?: string };

/** Imports the factory's module and builds the potential (in a worker or on the main thread). */
export async function loadPotential(factory: { readonly module: string | URL; readonly exportName: string; readonly args?: unknown }): Promise<Potential> {
  const specifier = factory.module instanceof URL ? factory.module.href : factory.module;
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(specifier)) as Record<string, unknown>;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new LandscapeError(`Expected an importable module for the potential factory but received ${specifier} (${why})`, 'ERR_WORKER', { cause });
  }
  const make = namespace[factory.exportName];
  if (typeof make !== 'function') {
    throw new LandscapeError(
      `Expected a function export '${factory.exportName}' in ${specifier} for the potential factory but received ${typeof make}`,
      'ERR_WORKER',
    );
  }
  const potential = (await (make as (args: unknown) => Potential | Promise<Potential>)(factory.args)) as Potential;
  if (potential === null || typeof potential !== 'object' || typeof potential.energyGradient !== 'function') {
    throw new LandscapeError(`Expected a Potential from ${specifier}#${factory.exportName} but received ${typeof potential}`, 'ERR_WORKER');
  }
  return potential;
}

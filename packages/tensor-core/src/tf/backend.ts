// SPDX-License-Identifier: MIT
/**
 * Choosing the TensorFlow.js backend in Node: `tensorflow` (the native @tensorflow/tfjs-node)
 * when it loads, else `wasm` (WebAssembly with SIMD; its .wasm files ship inside the npm
 * package, so nothing is downloaded), else `cpu` (plain JavaScript).
 *
 * ```ts
 * const info = await initTfBackend();          // { backend: 'wasm', simd: true, attempts: [...] }
 * await initTfBackend({ backend: 'cpu' });     // force one
 * ```
 * @tensorflow/tfjs-node is an optional dependency whose install downloads libtensorflow from
 * outside the npm registry; where that host is unreachable npm drops it and `tensorflow` is
 * reported as not installed. The wasm backend runs single-threaded in Node (tfjs disables its
 * threads there) and sums in float32: callers reduce long sums in stages (staged-sum.ts).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { LandscapeError, expectedMessage } from '@lossscape/numeric';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

export const TF_BACKENDS: readonly TfBackendName[] = Object.freeze(['tensorflow', 'wasm', 'cpu']);

export interface TfBackendAttempt {
  readonly backend: TfBackendName;
  readonly ok: boolean;
  /** Why it was not used (absent when ok). */
  readonly reason?: string;
}

export interface TfBackendInfo {
  /** The backend now active. */
  readonly backend: TfBackendName;
  /** Every backend tried, in order, with the reason a skipped one failed. */
  readonly attempts: readonly TfBackendAttempt[];
  /** wasm only: whether the SIMD build runs. */
  readonly simd?: boolean;
}

export interface TfBackendOptions {
  /** 'auto' (default): tensorflow, else wasm, else cpu. A named backend is required to load. */
  readonly backend?: TfBackendName | 'auto';
}

const require = createRequire(import.meta.url);
let wasmPathsSet = false;
let nodeBindingTried: Promise<string | undefined> | undefined;

/** Loads tfjs-node once; resolves to the failure reason, or undefined when it registered. */
function loadNodeBinding(): Promise<string | undefined> {
  // A variable specifier: the package is optional and has no types here.
  const specifier = '@tensorflow/tfjs-node';
  nodeBindingTried ??= import(specifier).then(
    () => undefined,
    (err: NodeJS.ErrnoException) =>
      err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND'
        ? 'not installed (npm install @tensorflow/tfjs-node needs access to its libtensorflow download host)'
        : `failed to load: ${String(err?.message ?? err).split('\n')[0]}`,
  );
  return nodeBindingTried;
}

/** Directory holding tfjs-backend-wasm's .wasm files (inside node_modules). */
export function wasmDirectory(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
}

async function trySet(name: TfBackendName): Promise<string | undefined> {
  try {
    if (name === 'tensorflow') {
      const reason = await loadNodeBinding();
      if (reason) return reason;
    }
    if (name === 'wasm' && !wasmPathsSet) {
      setWasmPaths(wasmDirectory() + path.sep);
      wasmPathsSet = true;
    }
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') returned false`;
    await tf.ready();
    return tf.getBackend() === name ? undefined : `active backend is '${tf.getBackend()}'`;
  } catch (err) {
    return String((err as Error)?.message ?? err).split('\n')[0];
  }
}

/**
 * Selects and initialises a backend. With `backend: 'auto'` the first that works of
 * tensorflow, wasm, cpu; a named backend must work or this rejects with ERR_NATIVE_UNAVAILABLE.
 */
export async function initTfBackend(options: TfBackendOptions = {}): Promise<TfBackendInfo> {
  const wanted = options.backend ?? 'auto';
  if (wanted !== 'auto' && !TF_BACKENDS.includes(wanted)) {
    throw new LandscapeError(expectedMessage(`'auto' or one of ${TF_BACKENDS.map((b) => `'${b}'`).join(', ')}`, 'backend', wanted), 'ERR_INVALID_ARGUMENT');
  }
  const order = wanted === 'auto' ? TF_BACKENDS : [wanted];
  const attempts: TfBackendAttempt[] = [];
  for (const name of order) {
    const reason = await trySet(name);
    attempts.push(reason === undefined ? { backend: name, ok: true } : { backend: name, ok: false, reason });
    if (reason === undefined) {
      const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : undefined;
      return { backend: name, attempts, ...(simd === undefined ? {} : { simd }) };
    }
  }
  throw new LandscapeError(
    `Expected a usable TensorFlow.js backend for ${wanted === 'auto' ? 'tf' : `backend '${wanted}'`} but received none: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`,
    'ERR_NATIVE_UNAVAILABLE',
  );
}

/** Backends that can be selected in this process (tries each; leaves the previous one active). */
export async function availableTfBackends(): Promise<TfBackendName[]> {
  const previous = tf.getBackend() as TfBackendName | undefined;
  const out: TfBackendName[] = [];
  for (const name of TF_BACKENDS) if ((await trySet(name)) === undefined) out.push(name);
  if (previous && TF_BACKENDS.includes(previous)) await tf.setBackend(previous);
  return out;
}

/** The active backend's name. */
export function currentTfBackend(): string {
  return tf.getBackend();
}

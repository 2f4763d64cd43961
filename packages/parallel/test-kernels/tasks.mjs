// SPDX-License-Identifier: MIT
// Task functions for the tests (plain JavaScript, imported by task threads).

/** An async generator: yields data.n ticks, returns a summary. */
export async function* count(data) {
  for (let i = 0; i < data.n; i++) yield { type: 'tick', i };
  return { total: data.n };
}

/** Two-way: doubles each number it receives, returns their sum on 'stop'. */
export async function echo(_data, { receive, emit }) {
  let sum = 0;
  for (;;) {
    const message = await receive();
    if (message === 'stop') return sum;
    sum += message;
    emit(message * 2);
  }
}

export async function fails() {
  await null;
  throw new RangeError('task went wrong');
}

export function exits() {
  process.exit(5);
}

/** Works in small steps until aborted, then returns how far it got. */
export async function cooperative(_data, { signal, emit }) {
  let steps = 0;
  while (!signal.aborted) {
    steps++;
    if (steps === 1) emit('started');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { steps, reason: signal.reason.message };
}

/** Never looks at its signal: only terminating its thread stops it. */
export async function stubborn(_data, { emit }) {
  emit('started');
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (;;);
}

/** An error thrown outside the task's own call chain (from a timer). */
export function lateFailure() {
  setTimeout(() => {
    throw new TypeError('late failure');
  }, 0);
  return new Promise(() => undefined);
}

/** Transfers a buffer with its message; writes into a SharedArrayBuffer it was given. */
export function buffers({ shared }, { emit }) {
  shared[0] = 42;
  const x = new Float64Array(4).fill(7);
  emit(x, [x.buffer]);
  return x.byteLength;
}

/**
 * A stand-in for a basin-hopping chain: `steps` seeded pseudo-random "minima" (energies), each
 * sent to the main thread, which answers whether it was new (as a database would).
 */
export async function* fakeChain({ seed, steps }, { receive }) {
  let state = seed;
  let fresh = 0;
  for (let step = 0; step < steps; step++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    yield { type: 'quench', chain: seed, step, energy: state % 10 };
    if (await receive()) fresh++;
  }
  return { chain: seed, fresh };
}

export const notAFunction = 'x';

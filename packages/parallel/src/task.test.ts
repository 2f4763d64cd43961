// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { TASKS } from '../test/kernels.js';
import { runTask } from './task.js';

const task = (exportName: string) => ({ module: TASKS, exportName });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const m of iterable) out.push(m);
  return out;
}

describe('runTask', () => {
  it('streams an async generator’s values in order and resolves with its return value', async () => {
    const run = runTask<{ type: string; i: number }, { total: number }>(task('count'), { n: 50 });
    const messages = await collect(run);
    expect(messages.map((m) => m.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await expect(run.result).resolves.toEqual({ total: 50 });
    expect(run.threadId).toBeGreaterThan(0);
  });

  it('talks both ways: post() reaches receive(), emit() reaches the iteration', async () => {
    const run = runTask<number, number>(task('echo'));
    const replies: number[] = [];
    for (const v of [1, 2, 3]) run.post(v);
    for await (const reply of run) {
      replies.push(reply);
      if (replies.length === 3) run.post('stop');
    }
    expect(replies).toEqual([2, 4, 6]);
    await expect(run.result).resolves.toBe(6);
  });

  it('a thrown error rejects the result and the iteration, with the task’s class, message and stack', async () => {
    const run = runTask(task('fails'));
    await expect(collect(run)).rejects.toThrow(/^task went wrong$/);
    const error = (await run.result.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.stack).toMatch(/at fails \(.*test-kernels\/tasks\.mjs/);
    expect(error.stack).toMatch(/task\.test\.ts/);
  });

  it('an error thrown from a timer in the task thread rejects too', async () => {
    await expect(runTask(task('lateFailure')).result).rejects.toThrow(/^late failure$/);
  });

  it('a thread that exits reports ERR_WORKER with its exit code', async () => {
    await expect(runTask(task('exits')).result).rejects.toMatchObject({
      code: 'ERR_WORKER',
      message: expect.stringMatching(/^Expected task .*tasks\.mjs#exits to return but its thread exited with code 5$/),
    });
  });

  it('abort: a cooperative task sees its signal and returns', async () => {
    const controller = new AbortController();
    const run = runTask<string, { steps: number; reason: string }>(task('cooperative'), undefined, { signal: controller.signal });
    for await (const m of run) {
      expect(m).toBe('started');
      controller.abort(new Error('time is up'));
    }
    const result = await run.result;
    expect(result.steps).toBeGreaterThan(0);
    expect(result.reason).toBe('time is up');
  });

  it('abort: a task that ignores its signal is terminated after the grace period (ERR_ABORTED)', async () => {
    const run = runTask(task('stubborn'), undefined, { abortGraceMs: 100 });
    const started = performance.now();
    for await (const m of run) {
      expect(m).toBe('started');
      break; // leaving the loop aborts the task
    }
    await expect(run.result).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('passes SharedArrayBuffers by reference and honours transfer lists', async () => {
    const shared = new Float64Array(new SharedArrayBuffer(8));
    const run = runTask<Float64Array, number>(task('buffers'), { shared });
    const [x] = await collect(run);
    expect([...x]).toEqual([7, 7, 7, 7]);
    await expect(run.result).resolves.toBe(0); // the task's copy was transferred away
    expect(shared[0]).toBe(42);
  });

  it('several chains feed one consumer on the main thread, which answers each step', async () => {
    const seen = new Set<string>();
    const runs = [1, 2, 3].map((seed) => runTask<{ chain: number; step: number; energy: number }, { chain: number; fresh: number }>(task('fakeChain'), { seed, steps: 20 }));
    let answered = 0;
    await Promise.all(
      runs.map(async (run) => {
        for await (const event of run) {
          const key = String(event.energy);
          run.post(!seen.has(key));
          seen.add(key);
          answered++;
        }
      }),
    );
    const results = await Promise.all(runs.map((r) => r.result));
    expect(answered).toBe(60);
    expect(results.map((r) => r.chain)).toEqual([1, 2, 3]);
    // Every distinct energy was new exactly once, whichever chain reported it first.
    expect(results.reduce((s, r) => s + r.fresh, 0)).toBe(seen.size);
  });

  it('reports a missing export, and validates its arguments', async () => {
    await expect(runTask(task('notAFunction')).result).rejects.toMatchObject({
      code: 'ERR_WORKER',
      message: expect.stringMatching(/^Expected a function for export 'notAFunction' of module '.*tasks\.mjs' but received value of type string$/),
    });
    expect(() => runTask({ module: 'relative/../x.mjs', exportName: '' })).toThrow(/^Expected an export name for task.exportName but received '' of type string/);
    expect(() => runTask({ module: './x.mjs', exportName: 'x' })).toThrow(/for task.module but received '.\/x.mjs'/);
  });

  it('terminate() ends the thread at once', async () => {
    const run = runTask(task('stubborn'));
    await run.terminate();
    await expect(run.result).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });
});

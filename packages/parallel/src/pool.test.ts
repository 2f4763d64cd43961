// SPDX-License-Identifier: MIT
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LandscapeError, createRng } from '@lossscape/numeric';
import { basic } from '../test/kernels.js';
import { createPool, DEFAULT_BLOCKS, type ParallelPool, type Schedule } from './pool.js';
import { staticShare } from './schedule.js';
import { sharedFloat64Array } from './shared.js';

const SCHEDULES: Schedule[] = ['static', 'dynamic', 'guided'];
const THREADS = [1, 2, 3, 4];

let pool: ParallelPool;
beforeAll(async () => {
  pool = createPool({ threads: 4 });
  await pool.load(basic('noop'));
});
afterAll(() => pool.close());

/** Both forms behind one signature, so every property is checked for each. */
const forms = {
  blocking: {
    reduce: (...a: Parameters<ParallelPool['parallelReduceSync']>) => Promise.resolve(pool.parallelReduceSync(...a)),
    for: (...a: Parameters<ParallelPool['parallelForSync']>) => Promise.resolve(pool.parallelForSync(...a)),
  },
  promise: {
    reduce: (...a: Parameters<ParallelPool['parallelReduce']>) => pool.parallelReduce(...a),
    for: (...a: Parameters<ParallelPool['parallelFor']>) => pool.parallelFor(...a),
  },
};

describe.each(Object.entries(forms))('%s form', (_name, form) => {
  it('parallelFor computes every iteration exactly once, for each schedule and thread count', async () => {
    const n = 1003;
    const a = sharedFloat64Array(Array.from({ length: n }, (_, i) => i - 500));
    for (const schedule of SCHEDULES) {
      for (const threads of THREADS) {
        const out = sharedFloat64Array(n).fill(NaN);
        await form.for(n, basic('square'), { schedule, threads, chunk: 7, buffers: [a, out], args: [0.5] });
        expect(out.every((v, i) => v === a[i] * a[i] + 0.5)).toBe(true);
      }
    }
  });

  it('parallelFor honours a range that does not start at 0', async () => {
    const a = sharedFloat64Array(Array.from({ length: 100 }, (_, i) => i));
    const out = sharedFloat64Array(100).fill(-1);
    await form.for({ start: 10, end: 95 }, basic('square'), { schedule: 'dynamic', threads: 3, chunk: 4, buffers: [a, out], args: [0] });
    expect(out.every((v, i) => (i >= 10 && i < 95 ? v === i * i : v === -1))).toBe(true);
  });

  it('parallelReduce (returned scalar and written vector partials) matches the direct sums', async () => {
    const rng = createRng(7);
    const x = sharedFloat64Array(Array.from({ length: 5000 }, () => rng.uniformIn(-1, 1)));
    let s = 0;
    let s2 = 0;
    for (const v of x) {
      s += v;
      s2 += v * v;
    }
    for (const schedule of SCHEDULES) {
      for (const threads of THREADS) {
        const [total] = await form.reduce(x.length, basic('sum'), { schedule, threads, buffers: [x] });
        const [m1, m2] = await form.reduce(x.length, basic('moments'), { schedule, threads, width: 2, buffers: [x] });
        // Different grouping from the direct loop: equal to rounding (sums of |x| ≤ 5000, 5000 terms).
        expect(Math.abs(total - s)).toBeLessThan(1e-10);
        expect(Math.abs(m1 - s)).toBeLessThan(1e-10);
        expect(Math.abs(m2 - s2)).toBeLessThan(1e-10);
      }
    }
  });

  it('an empty range computes nothing and reduces to zeros', async () => {
    expect(await form.reduce({ start: 5, end: 5 }, basic('failAt'), { width: 3, args: [5] })).toEqual(new Float64Array(3));
    await expect(form.for(0, basic('failAt'), { args: [0] })).resolves.toBeUndefined();
  });

  it('writes the result into `out` when given', async () => {
    const out = new Float64Array(2).fill(99);
    const x = sharedFloat64Array([1, 2, 3]);
    const result = await form.reduce(3, basic('moments'), { width: 2, out, buffers: [x] });
    expect(result).toBe(out);
    expect([...out]).toEqual([6, 14]);
  });
});

describe('determinism', () => {
  // Magnitudes from 1e-8 to 1e16 with random signs: every regrouping of this sum rounds
  // differently, so equality below can only come from the same additions in the same order.
  const rng = createRng(0xdecaf);
  const n = 100_003;
  const x = sharedFloat64Array(Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * 10 ** rng.uniformIn(-8, 16)));

  /** The contract: sum each block left to right, then add the block sums in block order. */
  function reference(chunk: number): number {
    let total = 0;
    for (let b = 0; b * chunk < n; b++) {
      let s = 0;
      for (let i = b * chunk; i < Math.min(n, (b + 1) * chunk); i++) s += x[i];
      total = b === 0 ? s : total + s;
    }
    return total;
  }

  it('the data is order-sensitive (the equality tests below could fail)', () => {
    const sums = new Set([reference(1), reference(97), reference(1563), reference(n)]);
    expect(sums.size).toBeGreaterThan(1);
  });

  it('reductions are bitwise identical for every thread count, schedule and form', async () => {
    const chunk = Math.ceil(n / DEFAULT_BLOCKS);
    const expected = reference(chunk);
    for (const schedule of SCHEDULES) {
      for (const threads of THREADS) {
        expect(pool.parallelReduceSync(n, basic('sum'), { schedule, threads, buffers: [x] })[0]).toBe(expected);
        expect((await pool.parallelReduce(n, basic('sum'), { schedule, threads, buffers: [x] }))[0]).toBe(expected);
        expect(pool.parallelReduceSync(n, basic('sum'), { schedule, threads, buffers: [x], chunk: 97 })[0]).toBe(reference(97));
      }
    }
  });
});

describe('scheduling', () => {
  const n = 640;
  const chunk = 10;
  const blocks = n / chunk;

  it('static gives each thread a contiguous, balanced share of the fixed blocks (caller is thread 0)', () => {
    for (const threads of THREADS) {
      const who = sharedFloat64Array(n).fill(-1);
      const block = sharedFloat64Array(n).fill(-1);
      pool.parallelForSync(n, basic('owner'), { schedule: 'static', threads, chunk, buffers: [who, block] });
      for (let t = 0; t < threads; t++) {
        const [lo, hi] = staticShare(blocks, threads, t);
        for (let i = lo * chunk; i < hi * chunk; i++) expect(who[i]).toBe(t);
      }
      expect(block.every((b, i) => b === Math.floor(i / chunk))).toBe(true);
    }
  });

  it('dynamic and guided cover each block once, with blocks independent of the thread count', async () => {
    for (const schedule of ['dynamic', 'guided'] as const) {
      for (const threads of THREADS) {
        const who = sharedFloat64Array(n).fill(-1);
        const block = sharedFloat64Array(n).fill(-1);
        await pool.parallelFor(n, basic('owner'), { schedule, threads, chunk, buffers: [who, block] });
        expect(who.every((t) => t >= 0 && t < threads)).toBe(true);
        expect(block.every((b, i) => b === Math.floor(i / chunk))).toBe(true);
        // A block is computed whole by one thread.
        for (let b = 0; b < blocks; b++) expect(new Set(who.subarray(b * chunk, (b + 1) * chunk)).size).toBe(1);
      }
    }
  });

  it('never uses more threads than the pool has, nor more than there are blocks', async () => {
    const small = createPool({ threads: 2 });
    try {
      const who = sharedFloat64Array(n).fill(-1);
      const block = sharedFloat64Array(n);
      await small.parallelFor(n, basic('owner'), { threads: 8, chunk, schedule: 'static', buffers: [who, block] });
      expect(new Set(who)).toEqual(new Set([0, 1]));
      small.parallelForSync(n, basic('owner'), { threads: 8, chunk, schedule: 'static', buffers: [who, block] });
      expect(new Set(who)).toEqual(new Set([0, 1]));
      small.parallelForSync(n, basic('owner'), { threads: 8, chunk: n, buffers: [who, block] });
      expect(new Set(who)).toEqual(new Set([0]));
    } finally {
      await small.close();
    }
  });

  it('the blocking form runs kernel.local on the calling thread and the module elsewhere', () => {
    const seen: number[] = [];
    const local = (start: number, end: number, ctx: { thread: number }): void => void seen.push(ctx.thread, start, end);
    const who = sharedFloat64Array(n).fill(-1);
    pool.parallelForSync(n, { ...basic('owner'), local }, { threads: 2, chunk, schedule: 'static', buffers: [who, sharedFloat64Array(n)] });
    const half = (blocks / 2) * chunk;
    expect(seen.filter((_, k) => k % 3 === 0).every((t) => t === 0)).toBe(true);
    expect(seen.length / 3).toBe(blocks / 2);
    expect(who.subarray(0, half).every((t) => t === -1)).toBe(true); // the local stand-in wrote nothing
    expect(who.subarray(half).every((t) => t === 1)).toBe(true);
  });

  it('other element types travel too (Int32Array, Float32Array)', async () => {
    const a = new Float32Array(new SharedArrayBuffer(4 * 50));
    a.forEach((_, i) => (a[i] = i));
    const out = new Int32Array(new SharedArrayBuffer(4 * 50));
    await pool.parallelFor(50, basic('square'), { threads: 3, chunk: 3, buffers: [a, out], args: [1] });
    expect([...out]).toEqual([...a].map((v) => v * v + 1));
  });

  it('queued promise regions and a blocking region in between all complete correctly', async () => {
    const x = sharedFloat64Array(Array.from({ length: 1000 }, (_, i) => i));
    const pending = Array.from({ length: 8 }, (_, k) => pool.parallelReduce({ start: 0, end: 100 * (k + 1) }, basic('sum'), { buffers: [x], schedule: 'dynamic' }));
    const [sync] = pool.parallelReduceSync(1000, basic('sum'), { buffers: [x] });
    expect(sync).toBe(499_500);
    const results = await Promise.all(pending);
    expect(results.map((r) => r[0])).toEqual(Array.from({ length: 8 }, (_, k) => ((100 * (k + 1)) * (100 * (k + 1) - 1)) / 2));
  });
});

describe('errors', () => {
  it('a kernel error rejects the promise with the worker message, class and stack', async () => {
    const error = await pool.parallelFor(100, basic('failAt'), { args: [77], threads: 2, schedule: 'static' }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('kernel failed at iteration 77');
    // The worker's frames (the kernel file) and the caller's frames (this test) are both there.
    expect((error as Error).stack).toMatch(/at failAt \(.*test-kernels\/basic\.mjs/);
    expect((error as Error).stack).toMatch(/parallelFor .*basic\.mjs#failAt, region \d+, thread 1, block \d+/);
    expect((error as Error).stack).toMatch(/pool\.test\.ts/);
  });

  it('the blocking form throws the same, from a worker or from the calling thread', () => {
    expect(() => pool.parallelForSync(100, basic('failAt'), { args: [99], threads: 2 })).toThrow(/^kernel failed at iteration 99$/);
    let error: Error | undefined;
    try {
      pool.parallelForSync(100, basic('failAt'), { args: [0], threads: 2, schedule: 'static' });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(error!.stack).toMatch(/thread 0, block 0/);
  });

  it('keeps a LandscapeError’s class and code', async () => {
    const error = await pool.parallelFor(4, basic('failWithCode'), { threads: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LandscapeError);
    expect(error).toMatchObject({ code: 'ERR_NOT_FINITE', message: 'coded failure' });
  });

  it('a missing module or export is reported with ERR_WORKER', async () => {
    await expect(pool.parallelFor(4, basic('missing'))).rejects.toMatchObject({ code: 'ERR_WORKER', message: expect.stringMatching(/^Expected a function for export 'missing' of module '.*basic\.mjs' but received undefined$/) });
    await expect(pool.parallelFor(4, { module: '/nonexistent/kernels.mjs', exportName: 'x' })).rejects.toMatchObject({
      code: 'ERR_WORKER',
      message: expect.stringMatching(/^Expected an importable module for kernel\.module but received 'file:\/\/\/nonexistent\/kernels\.mjs'/),
    });
    expect(() => pool.parallelForSync(4, basic('notAFunction'))).toThrow(/^Expected a function for export 'notAFunction' .* but received value of type number; pass kernel.local/);
  });

  it('workers resolve package specifiers to built JavaScript (default export condition)', async () => {
    const x = sharedFloat64Array([1, 2, 3, 4]);
    const y = sharedFloat64Array([5, 6, 7, 8]);
    const uses = { module: new URL('../test-kernels/uses-package.mjs', import.meta.url), exportName: 'blockDot' };
    expect((await pool.parallelReduce(4, uses, { buffers: [x, y], chunk: 1 }))[0]).toBe(70);
    await expect(pool.parallelFor(4, { module: '@lossscape/no-such-package', exportName: 'k' })).rejects.toMatchObject({
      code: 'ERR_WORKER',
      message: expect.stringMatching(/^Expected an importable module for kernel\.module but received '@lossscape\/no-such-package' \(Cannot find package/),
    });
  });

  it('the pool keeps working after a kernel error', async () => {
    const x = sharedFloat64Array([1, 2, 3, 4]);
    await pool.parallelFor(100, basic('failAt'), { args: [3] }).catch(() => undefined);
    expect((await pool.parallelReduce(4, basic('sum'), { buffers: [x], chunk: 1 }))[0]).toBe(10);
  });

  it('validates at the edge: the promise form rejects, the blocking form throws', async () => {
    await expect(pool.parallelFor(-1, basic('noop'))).rejects.toThrow(/^Expected integer between 0 and \d+ for range but received -1/);
    await expect(pool.parallelFor(10, { module: './relative.mjs', exportName: 'k' })).rejects.toThrow(/^Expected a package specifier, absolute path or URL for kernel.module but received '.\/relative.mjs'/);
    await expect(pool.parallelFor(10, basic('noop'), { schedule: 'auto' as Schedule })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(() => pool.parallelForSync(10, basic('noop'), { buffers: [new Float64Array(3)] })).toThrow(/^Expected a typed array over a SharedArrayBuffer .* for buffers\[0\] but received Float64Array\(3\)/);
    expect(() => pool.parallelReduceSync(10, basic('noop'), { width: 2, out: new Float64Array(3) })).toThrow(/^Expected a Float64Array of length 2 for out but received Float64Array\(3\)/);
    expect(() => pool.parallelForSync({ start: 5, end: 2 }, basic('noop'))).toThrow(/for range.end but received 2/);
    expect(() => pool.parallelForSync(10, basic('noop'), { chunk: 0 })).toThrow(RangeError);
    await expect(pool.parallelReduce(10, basic('noop'), null as never)).rejects.toThrow(/^Expected an options object for options but received null/);
    expect(() => createPool({ threads: 0 })).toThrow(/^Expected integer between 1 and 256 for threads but received 0/);
  });

  it('refuses a nested blocking region on the calling thread', () => {
    const nested = (): void => pool.parallelForSync(2, basic('noop'));
    expect(() => pool.parallelForSync(2, { ...basic('noop'), local: nested }, { threads: 1 })).toThrow(/^Expected no parallel region in progress on this thread .* but received a nested call/);
    pool.parallelForSync(2, basic('noop')); // and recovers
  });
});

describe('crashed workers', () => {
  it('are reported with ERR_WORKER and replaced, in both forms', async () => {
    const crashy = createPool({ threads: 2 });
    try {
      const ids = sharedFloat64Array(2);
      await crashy.parallelFor(2, basic('threadIdOf'), { chunk: 1, schedule: 'static', buffers: [ids] });
      const before = new Set(ids);
      expect(before.size).toBe(2);

      await expect(crashy.parallelFor(10, basic('exitAt'), { args: [9], chunk: 1, schedule: 'static' })).rejects.toMatchObject({
        code: 'ERR_WORKER',
        message: expect.stringMatching(/^Expected worker 1 \(thread 1\) to finish parallelFor .*#exitAt but it exited with code 3$/),
      });
      expect(() => crashy.parallelForSync(10, basic('exitAt'), { args: [9], chunk: 1, schedule: 'static' })).toThrow(/^Expected worker 0 \(thread 1\) to finish .* exited with code 3$/);

      await crashy.parallelFor(2, basic('threadIdOf'), { chunk: 1, schedule: 'static', buffers: [ids] });
      const after = new Set(ids);
      expect(after.size).toBe(2);
      for (const id of after) expect(before.has(id)).toBe(false);
      const x = sharedFloat64Array([1, 2, 3]);
      expect(crashy.parallelReduceSync(3, basic('sum'), { buffers: [x], chunk: 1 })[0]).toBe(6);
    } finally {
      await crashy.close();
    }
  });
});

describe('abort and close', () => {
  it('an abort rejects at once with ERR_ABORTED; the pool stops claiming blocks and carries on', async () => {
    const controller = new AbortController();
    const started = performance.now();
    // 400 blocks of 20 ms would take 4 s on two threads.
    const run = pool.parallelFor(400, basic('spin'), { args: [20_000], chunk: 1, schedule: 'dynamic', threads: 2, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 50);
    const error = await run.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_ABORTED', cause: new Error('enough') });
    const x = sharedFloat64Array([1, 2]);
    expect((await pool.parallelReduce(2, basic('sum'), { buffers: [x] }))[0]).toBe(3);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('an already aborted signal rejects without running', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(pool.parallelFor(4, basic('failAt'), { args: [0], signal: controller.signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('close() rejects queued regions and later calls', async () => {
    const closing = createPool({ threads: 2 });
    const running = closing.parallelFor(100, basic('spin'), { args: [5_000], chunk: 1 }).catch((e: unknown) => e);
    const queued = closing.parallelFor(4, basic('noop')).catch((e: unknown) => e);
    await closing.close();
    expect(await running).toMatchObject({ code: 'ERR_WORKER' });
    expect(await queued).toMatchObject({ code: 'ERR_WORKER', message: expect.stringMatching(/^Expected an open pool for parallelFor .* but received a closed pool$/) });
    await expect(closing.parallelFor(4, basic('noop'))).rejects.toMatchObject({ code: 'ERR_WORKER' });
    expect(() => closing.parallelForSync(4, basic('noop'))).toThrow(/closed pool/);
  });

  it('supports await using (Symbol.asyncDispose)', async () => {
    const disposable = createPool({ threads: 1 });
    const x = sharedFloat64Array([4, 5]);
    expect((await disposable.parallelReduce(2, basic('sum'), { buffers: [x] }))[0]).toBe(9);
    await disposable[Symbol.asyncDispose]();
    await expect(disposable.parallelFor(1, basic('noop'))).rejects.toThrow(/closed pool/);
  });
});

describe('interleaving', () => {
  it('random mixes of blocking and promise regions, aborts and kernel errors all give the right answers', async () => {
    const rng = createRng(2024);
    const n = 777;
    const x = sharedFloat64Array(Array.from({ length: n }, (_, i) => i));
    const pending: Array<Promise<unknown>> = [];
    const wrong: string[] = [];
    for (let step = 0; step < 400; step++) {
      const end = 1 + rng.int(n);
      const expected = (end * (end - 1)) / 2; // exact in float64 (integers below 2⁵³)
      const options = { buffers: [x], threads: 1 + rng.int(4), schedule: SCHEDULES[rng.int(3)], chunk: 1 + rng.int(50) };
      const check = (value: Float64Array): void => void (value[0] !== expected && wrong.push(`step ${step}: ${value[0]} ≠ ${expected}`));
      const kind = rng.int(5);
      if (kind === 0) check(pool.parallelReduceSync(end, basic('sum'), options));
      else if (kind === 1) pending.push(pool.parallelReduce(end, basic('sum'), options).then(check));
      else if (kind === 2) {
        const controller = new AbortController();
        pending.push(
          pool.parallelReduce(end, basic('sum'), { ...options, signal: controller.signal }).then(check, (e: unknown) => {
            if ((e as LandscapeError).code !== 'ERR_ABORTED') wrong.push(`step ${step}: ${String(e)}`);
          }),
        );
        if (rng.uniform() < 0.5) controller.abort();
      } else if (kind === 3) {
        const at = rng.int(end);
        pending.push(
          pool.parallelFor(end, basic('failAt'), { ...options, args: [at] }).then(
            () => wrong.push(`step ${step}: no error`),
            (e: unknown) => void ((e as Error).message !== `kernel failed at iteration ${at}` && wrong.push(`step ${step}: ${String(e)}`)),
          ),
        );
      } else {
        await Promise.all(pending.splice(0));
      }
    }
    await Promise.all(pending);
    expect(wrong).toEqual([]);
  });
});

// SPDX-License-Identifier: MIT
/** Thread pools for the threaded kernel tests (pair-threads.test.ts, potential-threads.test.ts). */
import { createPool, type ParallelPool } from '@lossscape/parallel';

export interface TestPools {
  /** One pool per thread count; none starts a thread before its first region. */
  readonly pools: ReadonlyMap<number, ParallelPool>;
  /**
   * The pool of `threads` with the static schedule forced: thread t computes blocks ⌊tB/T⌋ …
   * ⌊(t+1)B/T⌋ − 1 whatever the load, so the workers (running dist/) surely compute some blocks.
   * Under the default dynamic schedule the calling thread may finish every block before a worker wakes.
   */
  staticPool(threads: number): ParallelPool;
  close(): Promise<void>;
}

export function createTestPools(threadCounts: readonly number[]): TestPools {
  const pools = new Map<number, ParallelPool>(threadCounts.map((t) => [t, createPool({ threads: t })]));
  return {
    pools,
    staticPool(threads) {
      const real = pools.get(threads)!;
      const wrapper = { threads, parallelReduceSync: (...[range, ref, options]: Parameters<ParallelPool['parallelReduceSync']>) => real.parallelReduceSync(range, ref, { ...options, schedule: 'static' }) };
      return wrapper as unknown as ParallelPool;
    },
    close: async () => {
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}

// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { planThreads } from './budget.js';

describe('planThreads', () => {
  it('on this project’s 2 cores', () => {
    expect(planThreads({ chains: 1, cores: 2 })).toEqual({ cores: 2, chains: 1, kernelThreads: 2, openblasThreads: 2 });
    expect(planThreads({ chains: 2, cores: 2 })).toEqual({ cores: 2, chains: 2, kernelThreads: 1, openblasThreads: 1 });
    expect(planThreads({ chains: 1, cores: 2, concurrentBlas: true }).openblasThreads).toBe(1);
    expect(planThreads({ chains: 1, cores: 2, kernelThreads: 1 }).kernelThreads).toBe(1);
  });

  it('never lets chains × kernel threads exceed the cores; OpenBLAS gets one thread beside anything parallel', () => {
    for (let cores = 1; cores <= 16; cores++) {
      for (let chains = 1; chains <= 20; chains++) {
        for (const wanted of [undefined, 1, 3, 64]) {
          const plan = planThreads({ cores, chains, kernelThreads: wanted });
          expect(plan.chains).toBe(Math.min(chains, cores));
          expect(plan.kernelThreads).toBeGreaterThanOrEqual(1);
          expect(plan.chains * plan.kernelThreads).toBeLessThanOrEqual(cores);
          if (wanted !== undefined) expect(plan.kernelThreads).toBeLessThanOrEqual(wanted);
          expect(plan.openblasThreads).toBe(plan.chains > 1 ? 1 : cores);
        }
      }
    }
  });

  it('defaults to this machine’s cores and one chain', () => {
    const plan = planThreads();
    expect(plan.chains).toBe(1);
    expect(plan.kernelThreads).toBe(plan.cores);
  });

  it('validates its inputs', () => {
    expect(() => planThreads({ chains: 0 })).toThrow(/^Expected integer between 1 and \d+ for chains but received 0/);
    expect(() => planThreads({ cores: 1.5 })).toThrow(/for cores but received 1.5/);
  });
});

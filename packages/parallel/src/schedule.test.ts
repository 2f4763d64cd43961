// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { guidedClaim, staticShare } from './schedule.js';

describe('static shares', () => {
  it('partition the blocks into contiguous runs whose sizes differ by at most one', () => {
    for (let blocks = 0; blocks <= 70; blocks++) {
      for (let team = 1; team <= 9; team++) {
        let next = 0;
        const sizes: number[] = [];
        for (let t = 0; t < team; t++) {
          const [lo, hi] = staticShare(blocks, team, t);
          expect(lo).toBe(next);
          next = hi;
          sizes.push(hi - lo);
        }
        expect(next).toBe(blocks);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('guided claims', () => {
  it('shrink as the work runs out, never below one block nor beyond what is left', () => {
    for (const team of [1, 2, 3, 8]) {
      let left = 1000;
      let previous = Infinity;
      while (left > 0) {
        const take = guidedClaim(left, team);
        expect(take).toBeGreaterThanOrEqual(1);
        expect(take).toBeLessThanOrEqual(left);
        expect(take).toBeLessThanOrEqual(previous);
        previous = take;
        left -= take;
      }
    }
  });
});

// SPDX-License-Identifier: MIT
/**
 * Seeded, reproducible random numbers over pure-rand's xoroshiro128+ (STYLE R10: every
 * stochastic component receives an `Rng`; nothing calls Math.random).
 *
 * ```ts
 * const rng = createRng(42);
 * const step = rng.uniformIn(-0.5, 0.5);
 * const saved = rng.state();            // store with a run
 * const again = rngFromState(saved);    // resumes the same sequence
 * const chain3 = createRng(42).stream(3); // independent stream for chain 3 (jump-ahead)
 * ```
 */
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { requireInteger } from './errors.js';

/** Serialisable generator state: four 32-bit words. */
export type RngState = readonly number[];

export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** Uniform in [lo, hi). */
  uniformIn(lo: number, hi: number): number;
  /** Standard normal (Box–Muller, two uniforms per call: no hidden cached state). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Current state, to store and resume with `rngFromState`. */
  state(): RngState;
  /** An independent copy at the same position. */
  clone(): Rng;
  /** The stream `k` jumps (2^64 draws each) ahead of this one; independent for chains. */
  stream(k: number): Rng;
}

class XoroshiroRng implements Rng {
  constructor(private readonly g: JumpableRandomGenerator) {}
  uniform(): number {
    return uniformFloat64(this.g);
  }
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * uniformFloat64(this.g);
  }
  normal(): number {
    // 1 − u lies in (0, 1], so the log is finite.
    const u = 1 - uniformFloat64(this.g);
    const v = uniformFloat64(this.g);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  int(n: number): number {
    return uniformInt(this.g, 0, n - 1);
  }
  state(): RngState {
    return [...this.g.getState()];
  }
  clone(): Rng {
    return new XoroshiroRng(this.g.clone());
  }
  stream(k: number): Rng {
    requireInteger('stream index', k, 0, 1 << 20);
    const g = this.g.clone();
    for (let i = 0; i < k; i++) g.jump();
    return new XoroshiroRng(g);
  }
}

/** A generator seeded by any safe integer (the high bits are folded into 32). */
export function createRng(seed: number): Rng {
  requireInteger('seed', seed);
  const folded = (seed ^ Math.floor(seed / 2 ** 32)) | 0;
  return new XoroshiroRng(xoroshiro128plus(folded));
}

export function rngFromState(state: RngState): Rng {
  if (!Array.isArray(state) || state.length !== 4 || !state.every((w) => Number.isInteger(w))) {
    throw new TypeError(`Expected an array of four 32-bit integers for rng state but received ${JSON.stringify(state)}`);
  }
  return new XoroshiroRng(xoroshiro128plusFromState(state));
}

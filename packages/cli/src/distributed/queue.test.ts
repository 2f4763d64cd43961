// SPDX-License-Identifier: MIT
// The queue's pure parts; the queue on a server is exercised in worker.test.ts and test/distributed.e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { JOB_KINDS, jobId, jobKey, queueSchema } from './queue.js';

describe('job ids', () => {
  it('are version-5-style UUIDs, the same for the same job, different across kinds, keys and schemas', () => {
    const id = jobId('lj13', 'segment', '3:40');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(jobId('lj13', 'segment', '3:40')).toBe(id);
    const others = [jobId('lj13', 'segment', '3:41'), jobId('lj13', 'properties', '3:40'), jobId('other', 'segment', '3:40')];
    expect(new Set([id, ...others]).size).toBe(4);
  });

  it('never collide over a run’s worth of keys', () => {
    const ids = new Set<string>();
    for (let c = 0; c < 100; c++) for (let s = 0; s < 10_000; s += 50) ids.add(jobId('run', 'segment', jobKey('segment', { chain: c, fromStep: s, toStep: s + 50 })));
    expect(ids.size).toBe(100 * 200);
  });

  it('key a connection by its unordered pair and a segment by chain and first step', () => {
    expect(jobKey('connect', { minimum1: 9, minimum2: 2 })).toBe(jobKey('connect', { minimum1: 2, minimum2: 9 }));
    expect(jobKey('segment', { chain: 1, fromStep: 50, toStep: 100 })).toBe(jobKey('segment', { chain: 1, fromStep: 50, toStep: 75 }));
    expect(jobKey('properties', { minimum: 7 })).toBe('7');
    expect(JOB_KINDS[0]).toBe('plan');
  });
});

describe('queueSchema', () => {
  it('sits beside the landscape schema, within pg-boss’s 50-character limit', () => {
    expect(queueSchema('public')).toBe('lossscape_jobs');
    expect(queueSchema('spiral_ce')).toBe('spiral_ce_jobs');
    expect(() => queueSchema('x'.repeat(46))).toThrow(/^Expected a landscape schema name of at most 45 characters/);
  });
});

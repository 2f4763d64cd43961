// SPDX-License-Identifier: MIT
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('a script that uses the pool (both forms, a crash, a task) and never closes it exits by itself', () => {
  const script = fileURLToPath(new URL('../test-kernels/exit-child.mjs', import.meta.url));
  const started = performance.now();
  // Plain node: no vitest flags, and NODE_OPTIONS cleared.
  const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, NODE_OPTIONS: '' } });
  expect(child.error).toBeUndefined();
  expect(child.signal).toBeNull();
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  expect(JSON.parse(child.stdout)).toEqual({ blocking: 15, promised: 15, crashed: 'ERR_WORKER', task: { total: 3 } });
  expect(performance.now() - started).toBeLessThan(20_000);
});

// SPDX-License-Identifier: MIT
// The README's opening example is examples/*.mjs verbatim, and it runs under plain node.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const file = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const withoutHeader = (text: string): string => text.replace(/^\/\/ SPDX-License-Identifier: MIT\n(\/\/ eslint-disable.*\n)?/, '');

it('README shows examples/example.mjs and examples/kernels.mjs as they are', () => {
  const readme = readFileSync(file('../README.md'), 'utf8');
  for (const example of ['../examples/example.mjs', '../examples/kernels.mjs']) {
    expect(readme).toContain(withoutHeader(readFileSync(file(example), 'utf8')));
  }
});

it('the example runs and prints 4 Σ sin² i', () => {
  const child = spawnSync(process.execPath, [file('../examples/example.mjs')], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  let expected = 0;
  for (let i = 0; i < 1_000_000; i++) expected += 4 * Math.sin(i) ** 2;
  // Printed with 3 decimals: within half a unit of the last digit.
  expect(Math.abs(Number(child.stdout) - expected)).toBeLessThanOrEqual(0.5e-3);
  expect(child.stdout.trim()).toBe('2000000.176');
});

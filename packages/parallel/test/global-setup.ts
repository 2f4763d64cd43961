// SPDX-License-Identifier: MIT
// Worker threads run the built JavaScript (dist/), not the TypeScript sources vitest runs on the
// calling thread: rebuild dist/ first when any source is newer, so both sides run the same code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const sources = readdirSync(join(root, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const stale = sources.some((f) => {
    const built = join(root, 'dist', f.replace(/\.ts$/, '.js'));
    return !existsSync(built) || statSync(built).mtimeMs < statSync(join(root, 'src', f)).mtimeMs;
  });
  if (stale) execFileSync(process.execPath, [join(root, '../../node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.lib.json')], { stdio: 'inherit' });
}

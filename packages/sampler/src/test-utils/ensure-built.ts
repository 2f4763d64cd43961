// SPDX-License-Identifier: MIT
/**
 * Tests that start real threads or processes run the built packages (worker threads and plain
 * `node` cannot load TypeScript): rebuild any package whose dist/ is older than its sources.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds `packages/<name>` with `tsc -p tsconfig.lib.json` unless its dist is up to date. */
export function ensureBuilt(name: string): void {
  const folder = join(packagesDir, name);
  const built = statSync(join(folder, 'dist/index.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built >= newestSource(join(folder, 'src'))) return;
  const tsc = spawnSync(process.execPath, [resolve(packagesDir, '../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], { cwd: folder, encoding: 'utf8' });
  // tsc emits despite type errors elsewhere in a package being edited; only a missing entry is fatal.
  if (statSync(join(folder, 'dist/index.js'), { throwIfNoEntry: false }) === undefined) {
    throw new Error(`Building @lossscape/${name} failed:\n${tsc.stdout}${tsc.stderr}`);
  }
}

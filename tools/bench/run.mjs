#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `npm run bench [-- <filter>]`: runs every packages/*/bench/*.bench.ts (and tools/bench/*.bench.ts)
// one after another against the built packages (dist), so that timings never overlap.
// Benchmarks print their own tables, with ratios measured side by side in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (process.argv.includes('--help')) {
  console.log('Usage: npm run bench [-- <filter> ...]\nRuns benchmark files whose path contains every filter (e.g. tensor-core, sigmoid).');
  process.exit(0);
}

const files = [];
const collect = (dir) => {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.bench.ts') || f.endsWith('.bench.mjs')) files.push(path.join(dir, f));
};
for (const pkg of readdirSync(path.join(root, 'packages')).sort()) collect(path.join(root, 'packages', pkg, 'bench'));
collect(path.join(root, 'tools', 'bench'));

const selected = files.filter((f) => filters.every((flt) => path.relative(root, f).includes(flt)));
if (selected.length === 0) {
  console.error(`bench: no benchmark matches ${filters.join(' ') || '(none found)'}`);
  process.exit(2);
}
console.log(`node ${process.version} · ${process.platform}/${process.arch} · ${(await import('node:os')).availableParallelism()} cores · ${new Date().toISOString()}`);
let failed = 0;
for (const file of selected) {
  console.log(`\n━━ ${path.relative(root, file)} ━━`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file], { stdio: 'inherit', cwd: root, env: process.env });
  if (r.status !== 0) {
    failed++;
    console.error(`bench: ${path.relative(root, file)} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `npm run setup`: make a fresh Debian machine ready, then install and build everything.
// Uses Node built-ins only: it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
if (args.has('--help')) {
  console.log(`Usage: npm run setup [-- --skip-apt] [-- --skip-install]

Installs the Debian packages the native addon and the end-to-end tests need (as root, with
apt-get; as another user it prints the sudo line to run and stops), runs npm ci, and builds
every package (TypeScript and the LAPACK addon).`);
  process.exit(0);
}

// Debian packages: LAPACK for @lossscape/hessian-native, a C++ toolchain for node-gyp, tmux for
// the pseudo-terminal end-to-end test.
const debianPackages = ['libopenblas-dev', 'liblapacke-dev', 'pkg-config', 'g++', 'make', 'python3', 'tmux'];

function step(title) {
  console.log(`\n▶ ${title}`);
}

function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', cwd: root, ...options });
  if (r.status !== 0) {
    console.error(`setup: '${cmd} ${argv.join(' ')}' failed with exit code ${r.status ?? r.signal}`);
    process.exit(r.status || 1);
  }
}

function missingDebianPackages() {
  if (!existsSync('/usr/bin/dpkg-query')) return [];
  return debianPackages.filter((p) => {
    try {
      const out = execFileSync('dpkg-query', ['-W', '-f=${Status}', p], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      return !out.includes('install ok installed');
    } catch {
      return true;
    }
  });
}

if (!args.has('--skip-apt')) {
  step('System packages');
  const missing = missingDebianPackages();
  if (missing.length === 0) {
    console.log('All present: ' + debianPackages.join(' '));
  } else if (process.getuid && process.getuid() === 0) {
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    console.error(`setup: missing Debian packages. Run this, then npm run setup again:\n\n  sudo apt-get install -y ${missing.join(' ')}\n`);
    process.exit(1);
  }
}

if (!args.has('--skip-install')) {
  step('npm ci');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

step('Build (TypeScript packages and the LAPACK addon)');
run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=stream'], {
  env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
});
console.log('\nSetup complete. Next: npm start   (a live exploration; q quits)   ·   npm test');

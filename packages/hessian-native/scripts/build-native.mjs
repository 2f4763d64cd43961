#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `npm run build:native`: node-gyp rebuild against the headers of the Node that runs this script.
// Why a script: node-gyp downloads headers from nodejs.org unless given --nodedir, and these
// machines reach only the npm registry and Debian. Node's install prefix (dirname of bin/node)
// holds include/node for official tarballs, nvm and Debian's nodejs package alike.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prefix = process.env.npm_config_nodedir || path.resolve(path.dirname(process.execPath), '..');
const header = path.join(prefix, 'include', 'node', 'node_api.h');
if (!existsSync(header)) {
  console.error(
    `build-native: Node headers not found at ${header}.\n` +
      'Install them (Debian/Ubuntu: the nodejs package ships /usr/include/node; official Node tarballs include them),\n' +
      'or point npm_config_nodedir at a Node source or headers folder.',
  );
  process.exit(1);
}
const require = createRequire(import.meta.url);
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const args = [nodeGyp, 'rebuild', `--nodedir=${prefix}`, '--jobs=max', ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, { cwd: packageDir, stdio: 'inherit' });
process.exit(r.status ?? 1);

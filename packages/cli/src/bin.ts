#!/usr/bin/env node
// SPDX-License-Identifier: MIT
import { main } from './main.js';

const code = await main(process.argv.slice(2));
// Let pending writes flush; anything still holding the loop (a worker pool) is closed by the commands.
process.exitCode = code;

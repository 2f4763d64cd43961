#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// React's development build doubles the dashboard's render time; set the mode before it loads.
process.env.NODE_ENV ??= 'production';
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));

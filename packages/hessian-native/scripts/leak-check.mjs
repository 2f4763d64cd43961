#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Leak check by repeated calls: per path at n = 50, 5 000 warm-up calls (allocators, JIT and V8's
// heap settle), then 20 000 calls with RSS sampled after a forced GC every 1 000; a least-squares
// slope over those samples, in bytes per call.
// A leaked copy of the matrix would be 20 kB per call (400 MB in total); a leaked eigenvalue
// vector 400 B per call. Runs against the built package: npm run build first.
//   node --expose-gc scripts/leak-check.mjs [calls]      (npm run leak-check)

if (typeof globalThis.gc !== 'function') {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { symEig, symEigvals, symEigvalsAsync, symEigAsync, setBlasThreads, blasDescription } = await import('../dist/index.js');
const { createRng } = await import('@lossscape/numeric');

const calls = Number(process.argv[2] ?? 20_000);
const n = 50;
const sampleEvery = 1_000;
const warmupCalls = 5_000;
const limitBytesPerCall = 100; // noise is ±30 B/call; the smallest plausible leak (one 400 B eigenvalue vector) measures ~470

setBlasThreads(1);
const rng = createRng(2024);
const matrix = new Float64Array(n * n);
for (let i = 0; i < n; i++) {
  for (let j = i; j < n; j++) {
    const x = rng.normal();
    matrix[i * n + j] = x;
    matrix[j * n + i] = x;
  }
}
const asymmetric = Float64Array.from(matrix);
asymmetric[1] += 1;

function rssAfterGc() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().rss;
}

function slope(samples) {
  const xs = samples.map((_, i) => i * sampleEvery);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = samples.reduce((a, b) => a + b, 0) / samples.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (samples[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

async function measure(name, call) {
  await call(warmupCalls);
  const samples = [rssAfterGc()];
  for (let done = 0; done < calls; done += sampleEvery) {
    await call(sampleEvery);
    samples.push(rssAfterGc());
  }
  const perCall = slope(samples);
  const mb = (b) => (b / 2 ** 20).toFixed(1);
  const verdict = perCall <= limitBytesPerCall ? 'flat' : 'GROWING';
  console.log(
    `${name.padEnd(34)} ${String(calls).padStart(6)} calls  RSS ${mb(samples[0])} → ${mb(samples.at(-1))} MB  ` +
      `slope ${perCall.toFixed(1).padStart(7)} B/call  ${verdict}`,
  );
  return perCall <= limitBytesPerCall;
}

console.log(`leak check: n = ${n}, ${warmupCalls} warm-up calls then ${calls} measured per path, ${blasDescription()}, node ${process.version}`);
const results = [
  await measure('symEigvals (dsyevd)', (k) => {
    for (let i = 0; i < k; i++) symEigvals(matrix, n);
  }),
  await measure('symEig vectors (dsyevr)', (k) => {
    for (let i = 0; i < k; i++) symEig(matrix, n, { vectors: true, driver: 'dsyevr' });
  }),
  await measure('symEig smallest 3 + vectors', (k) => {
    for (let i = 0; i < k; i++) symEig(matrix, n, { vectors: true, smallest: 3 });
  }),
  await measure('symEigvalsAsync (50 in flight)', async (k) => {
    for (let i = 0; i < k; i += 50) await Promise.all(Array.from({ length: 50 }, () => symEigvalsAsync(matrix, n)));
  }),
  await measure('symEigAsync vectors (50 in flight)', async (k) => {
    for (let i = 0; i < k; i += 50) await Promise.all(Array.from({ length: 50 }, () => symEigAsync(matrix, n, { vectors: true })));
  }),
  await measure('validation error (not symmetric)', (k) => {
    for (let i = 0; i < k; i++) {
      try {
        symEigvals(asymmetric, n);
      } catch {
        // expected: ERR_NOT_SYMMETRIC
      }
    }
  }),
];
const ok = results.every(Boolean);
console.log(ok ? 'leak check: all flat' : 'leak check: RSS grows on some path');
process.exit(ok ? 0 : 1);

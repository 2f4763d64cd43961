#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Leak check by repeated calls (npm run leak-check, after a build; runs against dist/).
//
// Each path runs in its own child process (so memory freed by one path cannot hide a leak in the
// next), at n = 50: 20 000 warm-up calls (100 000 for async eigenvectors), then 40 000 calls
// sampled after a forced GC every 1 000; the verdict is the least-squares slope over the last
// 20 000, in bytes per call. Why so long: allocators and heap sizes settle slowly on some paths
// (with 50 eigenvector calls in flight on the libuv pool, RSS rose by 12 MB over the first ~80 000
// calls, then stayed within ±0.5 MB up to 400 000); a leak keeps growing.
// `node scripts/leak-check.mjs 400000` measures longer.
// The measure is RSS net of V8's free heap space (rss − heapTotal + heapUsed): V8 enlarges its
// heap in steps under a high allocation rate (many rejected promises with stack traces grew
// heapTotal from 6 to 36 MB, then stayed flat over 600 000 calls), which is sizing, not a leak; a
// native leak still shows in full. Children run with glibc's mmap threshold at 4 KiB, so freed
// matrices and ArrayBuffers go back to the OS instead of leaving free space in malloc's heap that
// small leaks would fill unseen (without it, a 400 B/call leak hid on the eigenvector paths).
// A leaked eigenvalue vector (400 B) measures 430–830 B/call.
//   node scripts/leak-check.mjs [calls]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const calls = Number(process.argv[2] ?? 40_000);
const n = 50;
const sampleEvery = 1_000;
const warmupCalls = 20_000;
const slowToSettle = new Set(['symEigAsync vectors (50 in flight)']);
const warmupFor = (name) => (slowToSettle.has(name) ? 100_000 : warmupCalls);
const limitBytesPerCall = 100; // noise is within ±60 B/call

const paths = {
  'symEigvals (dsyevd)': ({ symEigvals }, m) => (k) => {
    for (let i = 0; i < k; i++) symEigvals(m.symmetric, n);
  },
  'symEig vectors (dsyevr)': ({ symEig }, m) => (k) => {
    for (let i = 0; i < k; i++) symEig(m.symmetric, n, { vectors: true, driver: 'dsyevr' });
  },
  'symEig vectors (dsyevd)': ({ symEig }, m) => (k) => {
    for (let i = 0; i < k; i++) symEig(m.symmetric, n, { vectors: true });
  },
  'symEig smallest 3 + vectors': ({ symEig }, m) => (k) => {
    for (let i = 0; i < k; i++) symEig(m.symmetric, n, { vectors: true, smallest: 3 });
  },
  'symEigvalsAsync (50 in flight)': ({ symEigvalsAsync }, m) => async (k) => {
    for (let i = 0; i < k; i += 50) await Promise.all(Array.from({ length: 50 }, () => symEigvalsAsync(m.symmetric, n)));
  },
  'symEigAsync vectors (50 in flight)': ({ symEigAsync }, m) => async (k) => {
    for (let i = 0; i < k; i += 50) await Promise.all(Array.from({ length: 50 }, () => symEigAsync(m.symmetric, n, { vectors: true })));
  },
  'refused input (not symmetric)': ({ symEigvals }, m) => (k) => {
    for (let i = 0; i < k; i++) {
      try {
        symEigvals(m.asymmetric, n);
      } catch {
        // expected: ERR_NOT_SYMMETRIC
      }
    }
  },
  'refused input, async (rejections)': ({ symEigvalsAsync }, m) => async (k) => {
    for (let i = 0; i < k; i += 50) await Promise.allSettled(Array.from({ length: 50 }, () => symEigvalsAsync(m.asymmetric, n)));
  },
};

function slope(values) {
  const xs = values.map((_, i) => i * sampleEvery);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = values.reduce((a, b) => a + b, 0) / values.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (values[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

async function child(name) {
  const api = await import('../dist/index.js');
  const { createRng } = await import('@lossscape/numeric');
  api.setBlasThreads(1);
  const rng = createRng(2024);
  const symmetric = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = rng.normal();
      symmetric[i * n + j] = x;
      symmetric[j * n + i] = x;
    }
  }
  const asymmetric = Float64Array.from(symmetric);
  asymmetric[1] += 1;
  const call = paths[name](api, { symmetric, asymmetric });
  const sample = () => {
    globalThis.gc();
    globalThis.gc();
    const { rss, heapTotal, heapUsed } = process.memoryUsage();
    return { net: rss - heapTotal + heapUsed, rss };
  };
  await call(warmupFor(name));
  const samples = [sample()];
  for (let done = 0; done < calls; done += sampleEvery) {
    await call(sampleEvery);
    samples.push(sample());
  }
  const tail = samples.slice(Math.floor(samples.length / 2)).map((s) => s.net);
  console.log(JSON.stringify({ samples, perCall: slope(tail), blas: api.blasDescription() }));
}

if (process.env.LEAK_CHECK_PATH) {
  await child(process.env.LEAK_CHECK_PATH);
} else {
  const mb = (b) => (b / 2 ** 20).toFixed(1);
  let ok = true;
  let header = false;
  for (const name of Object.keys(paths)) {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), String(calls)], {
      env: { ...process.env, LEAK_CHECK_PATH: name, GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=4096' },
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      console.error(`leak check: ${name} failed: ${r.stderr}`);
      process.exit(1);
    }
    const { samples, perCall, blas } = JSON.parse(r.stdout.trim().split('\n').at(-1));
    if (!header) {
      console.log(
        `leak check: n = ${n}, ${warmupCalls} warm-up (100000 for async vectors) then ${calls} measured calls per path, slope over the last half, ` +
          `each path in its own process; ${blas}; node ${process.version}`,
      );
      header = true;
    }
    const flat = perCall <= limitBytesPerCall;
    ok &&= flat;
    console.log(
      `${name.padEnd(36)} RSS ${mb(samples[0].rss)} → ${mb(samples.at(-1).rss)} MB  net ${mb(samples[0].net)} → ${mb(samples.at(-1).net)} MB  ` +
        `slope ${perCall.toFixed(1).padStart(7)} B/call  ${flat ? 'flat' : 'GROWING'}`,
    );
  }
  console.log(ok ? 'leak check: all flat' : `leak check: growing above ${limitBytesPerCall} B/call on some path`);
  process.exit(ok ? 0 : 1);
}

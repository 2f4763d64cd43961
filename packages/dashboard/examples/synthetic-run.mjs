// SPDX-License-Identifier: MIT
// A synthetic basin-hopping run shown on the dashboard (or as line logs when stdout is not an
// interactive terminal). Run from the repository root after `npm run setup`:
//   node packages/dashboard/examples/synthetic-run.mjs
// Keys: p pause/resume · q quit · ? help · 1/2/3 or tab: views.
// eslint-disable-next-line @nx/enforce-module-boundaries -- an example imports the package by name, as a user does
import { formatLogLine, isInteractiveTerminal, renderDashboard } from '@lossscape/dashboard';

const chains = 2;
const steps = 3000;
const runInfo = { name: 'synthetic-demo', data: 'no data: random energies', loss: 'synthetic', budget: { stepsPerChain: steps, chains } };

let paused = false;
const controller = new AbortController();

/** Events in the sampler's vocabulary, about 200 quenches per second. */
async function* synthetic() {
  const t0 = performance.now();
  const elapsedMs = () => performance.now() - t0;
  const minima = [];
  for (let chain = 0; chain < chains; chain++) {
    yield { type: 'run-started', chain, elapsedMs: elapsedMs(), chains: 1, steps, timeBudgetMs: Infinity, temperature: 0.8, stepSize: 0.3, seed: 1, resumedQuenches: 0, resumedMinima: 0 };
  }
  for (let step = 0; step < steps && !controller.signal.aborted; step++) {
    while (paused && !controller.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (let chain = 0; chain < chains; chain++) {
      const isNew = minima.length === 0 || Math.random() < 20 / (40 + minima.length);
      const energy = isNew ? -1 + Math.random() * 0.5 : minima[Math.floor(Math.random() * minima.length)];
      if (isNew) minima.push(energy);
      const id = isNew ? minima.length : minima.indexOf(energy) + 1;
      yield { type: 'quench', chain, elapsedMs: elapsedMs(), step, energy, rmsGradient: 1e-11, iterations: 80, converged: true, accepted: Math.random() < 0.5, minimumId: id, isNew, currentEnergy: energy };
      if (isNew) {
        yield { type: 'minimum-added', chain, elapsedMs: elapsedMs(), step, minimum: { id, energy }, distinctMinima: minima.length };
        yield { type: 'minimum-properties', chain, elapsedMs: elapsedMs(), minimumId: id, properties: { testAuc: 0.9 + Math.random() * 0.09 } };
      }
      if ((step + 1) % 100 === 0) {
        yield { type: 'progress', chain, elapsedMs: elapsedMs(), step: step + 1, steps, totalQuenches: step + 1, distinctMinima: minima.length, bestEnergy: Math.min(...minima), acceptance: 0.5, stepSize: 0.3, sinceLastNew: 0 };
      }
    }
  }
  const reason = controller.signal.aborted ? 'aborted' : 'steps';
  for (let chain = 0; chain < chains; chain++) yield { type: 'chain-finished', chain, elapsedMs: elapsedMs(), reason, steps };
  yield { type: 'run-finished', chain: 0, elapsedMs: elapsedMs(), reason, totalQuenches: steps * chains, distinctMinima: minima.length, transitionStates: 0 };
}

if (isInteractiveTerminal(process.stdout, process.env)) {
  const dashboard = renderDashboard({
    runInfo,
    events: synthetic(),
    onPause: () => (paused = true),
    onResume: () => (paused = false),
    onQuit: () => controller.abort(), // the stream then ends, and the dashboard exits
  });
  await dashboard.waitUntilExit();
  const stats = dashboard.stats();
  console.log(`${stats.commits} frames, dashboard busy ${(stats.busyFraction * 100).toFixed(2)} % of one core`);
  if (process.env.DASHBOARD_STATS) console.log(JSON.stringify(stats));
} else {
  for await (const event of synthetic()) {
    const line = formatLogLine(event);
    if (line !== undefined) console.log(line);
  }
}

// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { exploreConfigSchema } from '../config/schema.js';
import { prepareRun } from '../engine/run.js';
import { createRunPotential } from '../engine/potential-factory.js';
import { startPoints } from '../engine/explore.js';
import { exploreRunSpec } from './explore-spec.js';
import { createRunEvaluator } from './run-factories.js';
import { basinHoppingSettings } from './spec.js';

const config = (input: unknown) => exploreConfigSchema.parse(input);

describe('exploreRunSpec', () => {
  const run = prepareRun(config({ name: 'spiral-test', sampler: { steps: 300, chains: 3, seed: 4, reseedAfter: 200, stopAfterNoNew: 150 } }), process.cwd());

  it('carries the explore configuration into a spec every worker can rebuild', () => {
    const spec = exploreRunSpec(run, { temperature: 0.02, stepSize: 0.3, segmentSteps: 25, leaseSeconds: 600 });
    expect(spec).toMatchObject({
      name: 'spiral-test',
      potential: { module: 'lossscape:run-potential', exportName: 'createRunPotential', args: run.potentialArgs },
      evaluator: { module: 'lossscape:run-factories', exportName: 'createRunEvaluator', args: { ...run.potentialArgs, hessian: true } },
      sampling: { steps: 300, segmentSteps: 25, temperature: 0.02, stepSize: 0.3, seed: 4, reseedAfter: 200, stopAfterNoNewMinima: 150 },
      jobs: { leaseSeconds: 600, retryLimit: 10 },
    });
    expect(spec.connections).toBeUndefined();
    expect(spec.deadline).toBeUndefined();
    // The same starts as a local explore of this config (Glorot, one stream per chain).
    expect(spec.starts).toEqual(startPoints(run, 3).map((x) => Array.from(x)));
    expect(basinHoppingSettings(spec)).toMatchObject({ minimizeOptions: { memory: 30, maxIterations: 100_000, gradientTolerance: 1e-10 }, duplicate: { energyTolerance: 1e-9, useSymmetry: true } });
  });

  it('plans connections and a deadline when the configuration asks for them', () => {
    const withTs = prepareRun(config({ sampler: { steps: 100, timeMinutes: 90 }, transitionStates: { enabled: true, neighbours: 3, maxAttempts: 40 } }), process.cwd());
    const spec = exploreRunSpec(withTs, { chains: 2, temperature: 1, stepSize: 0.5, startedAt: new Date('2026-01-01T00:00:00Z') });
    expect(spec.connections).toMatchObject({ neighbours: 3, maxAttempts: 40, search: { gradientTolerance: 1e-10 } });
    expect(spec.deadline).toBe('2026-01-01T01:30:00.000Z');
    expect(spec.starts).toHaveLength(2);
  });

  it('refuses a run without a step budget', () => {
    const unbounded = prepareRun(config({ sampler: { steps: null, timeMinutes: 10 } }), process.cwd());
    expect(() => exploreRunSpec(unbounded, { temperature: 1, stepSize: 0.5 })).toThrow(/^Expected a positive step budget \(sampler\.steps\) for a distributed run but received null$/);
  });

  it('builds, from the JSON arguments alone, the potential and an evaluator that match a local run', async () => {
    const spec = exploreRunSpec(run, { temperature: 0.02, stepSize: 0.3 });
    const potential = createRunPotential(spec.potential.args as Parameters<typeof createRunPotential>[0]);
    const local = createRunPotential(run.potentialArgs);
    const x = Float64Array.from(spec.starts[0]);
    expect(potential.energy(x)).toBe(local.energy(x));
    const evaluate = createRunEvaluator({ ...(spec.evaluator!.args as Parameters<typeof createRunEvaluator>[0]), hessian: false });
    const props = await evaluate({ id: 1, energy: potential.energy(x), coordinates: x, rmsGradient: 1, hits: 1, firstStep: 0, chain: 0, properties: {} });
    expect(props.trainAuc).toBeGreaterThanOrEqual(0);
    expect(props.trainAuc).toBeLessThanOrEqual(1);
    expect(props.ceLoss).toBeGreaterThan(0);
  });
});

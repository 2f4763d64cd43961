// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { exploreConfigSchema } from '../config/schema.js';
import { requireSameLandscape } from '../engine/run.js';
import { mergeBudgets, planManifest } from './manifest.js';
import { EXP_BETA_GRID, LAMBDA_GRID, SIGMOID_BETA_GRID, SMOKE_BUDGET, STUDY_LOSSES, fileNumber, landscapeConfig, planStudy, studyBudget } from './plan.js';

describe('planStudy', () => {
  const budget = studyBudget('medium', 'spiral');
  const plan = planStudy(budget);

  it('runs every loss for every seed, then the λ and β variants, with unique ids', () => {
    const main = plan.landscapes.filter((l) => l.group === 'main');
    expect(main).toHaveLength(STUDY_LOSSES.length * budget.seeds);
    expect(new Set(main.map((l) => `${l.loss}:${l.seed}`)).size).toBe(main.length);
    // Defaults come from the main landscape of seed 1; the rest are variants.
    expect(plan.landscapes.filter((l) => l.group === 'lambda')).toHaveLength(2 * (LAMBDA_GRID.length - 1));
    expect(plan.landscapes.filter((l) => l.group === 'beta')).toHaveLength(SIGMOID_BETA_GRID.length - 1 + EXP_BETA_GRID.length - 1);
    expect(new Set(plan.landscapes.map((l) => l.id)).size).toBe(plan.landscapes.length);
    for (const l of plan.landscapes) expect(l.id).toMatch(/^[a-z0-9.-]+$/);
  });

  it('grid points name landscapes that exist, the default values the main ones', () => {
    const ids = new Set(plan.landscapes.map((l) => l.id));
    for (const g of [...plan.lambdaGrid, ...plan.betaGrid]) expect(ids.has(g.landscape), g.landscape).toBe(true);
    expect(plan.lambdaGrid.find((g) => g.loss === 'ce' && g.value === 1e-5)!.landscape).toBe('main-ce-s1');
    expect(plan.betaGrid.find((g) => g.loss === 'sigmoid' && g.value === 40)!.landscape).toBe('main-sigmoid-s1');
    expect(plan.betaGrid.find((g) => g.loss === 'exp' && g.value === 1)!.landscape).toBe('main-exp-s1');
    expect(plan.lambdaGrid.map((g) => g.value).filter((_, i) => i < LAMBDA_GRID.length)).toEqual([...LAMBDA_GRID]);
  });

  it('configs differ only in the loss, λ and seed: one network, data split and budget', () => {
    const configs = plan.landscapes.map((l) => ({ spec: l, config: landscapeConfig(l, { kind: 'spiral' }, budget) }));
    for (const { spec, config } of configs) {
      expect(config.dataset).toEqual(configs[0].config.dataset);
      expect(config.model).toEqual({ hidden: 10 });
      expect(config.sampler.steps).toBe(spec.group === 'main' ? budget.mainSteps : budget.variantSteps);
      expect(config.transitionStates.enabled).toBe(spec.group === 'main');
      expect(config.sampler.seed).toBe(spec.seed);
      // A config is a valid explore config.
      expect(exploreConfigSchema.safeParse(config).success).toBe(true);
    }
    const sigmoid = configs.find((c) => c.spec.id === 'beta-sigmoid-b10')!.config;
    expect(sigmoid.loss).toMatchObject({ kind: 'sigmoid', beta: 10 });
    expect(configs.find((c) => c.spec.id === 'main-hinge-s1')!.config.loss).toMatchObject({ kind: 'hinge', margin: 1 });
  });

  it('the smoke budget runs no transition states and skips calibration', () => {
    const smoke = studyBudget('quick', 'spiral', { smoke: true });
    expect(smoke).toBe(SMOKE_BUDGET);
    const config = landscapeConfig(planStudy(smoke).landscapes[0], { kind: 'spiral' }, smoke);
    expect(config.transitionStates.enabled).toBe(false);
    expect(config.sampler.temperature).toBe(SMOKE_BUDGET.fixedSampler!.temperature);
  });

  it('file numbers', () => {
    expect(fileNumber(1e-3)).toBe('1e-3');
    expect(fileNumber(0.25)).toBe('0.25');
    expect(fileNumber(160)).toBe('160');
  });
});

describe('planManifest', () => {
  const request = { preset: 'quick' as const, smoke: false, dataset: { kind: 'spiral' as const }, budget: studyBudget('quick', 'spiral') };

  it('a fresh manifest lists every landscape with its files', () => {
    const m = planManifest(undefined, request, 't0');
    expect(m.landscapes).toHaveLength(planStudy(request.budget).landscapes.length);
    for (const e of m.landscapes) {
      expect(e.db).toBe(`landscapes/${e.spec.id}.sqlite`);
      expect(e.log).toBe(`landscapes/${e.spec.id}.quenches.csv`);
      expect(e.complete).toBe(false);
    }
    expect(m.createdAt).toBe('t0');
  });

  it('grows: more seeds add landscapes, step targets never shrink, landscapes are kept', () => {
    const first = planManifest(undefined, { ...request, budget: studyBudget('medium', 'spiral') }, 't0');
    const done = { ...first, landscapes: first.landscapes.map((e) => ({ ...e, quenches: e.spec.steps, complete: true })) };
    const second = planManifest(done, { ...request, budget: { ...studyBudget('quick', 'spiral'), seeds: 5 } }, 't1');
    expect(second.createdAt).toBe('t0');
    expect(second.budget.mainSteps).toBe(first.budget.mainSteps);
    expect(second.landscapes.filter((e) => e.spec.group === 'main')).toHaveLength(6 * 5);
    const old = second.landscapes.find((e) => e.spec.id === 'main-ce-s1')!;
    expect(old.spec.steps).toBe(first.budget.mainSteps);
    expect(old.complete).toBe(true);
    expect(second.landscapes.find((e) => e.spec.id === 'main-ce-s5')!.complete).toBe(false);
  });

  it('a different data set is a one-line usage error', () => {
    const m = planManifest(undefined, request);
    expect(() => planManifest(m, { ...request, dataset: { kind: 'credit' } })).toThrow(/^Expected the same data set as the study in this folder/);
  });

  it('budgets merge field by field to the larger', () => {
    const merged = mergeBudgets(studyBudget('medium', 'spiral'), SMOKE_BUDGET);
    expect(merged.mainSteps).toBe(studyBudget('medium', 'spiral').mainSteps);
    expect(merged.lambdas).toEqual([...LAMBDA_GRID].sort((a, b) => a - b));
    expect(merged.fixedSampler).toBeUndefined();
  });

  it('a resumed landscape keeps its landscape settings (data, model, loss, λ) across presets', () => {
    const a = planStudy(studyBudget('quick', 'spiral')).landscapes[1];
    const b = planStudy(studyBudget('full', 'spiral')).landscapes[1];
    expect(a.id).toBe(b.id);
    expect(() => requireSameLandscape(landscapeConfig(a, { kind: 'spiral' }, studyBudget('quick', 'spiral')), landscapeConfig(b, { kind: 'spiral' }, studyBudget('full', 'spiral')), 'db')).not.toThrow();
  });
});

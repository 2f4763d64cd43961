// SPDX-License-Identifier: MIT
/**
 * A run, prepared: the validated config, the data (re-creatable from its description), the
 * model and loss, and the manifest stored with the database so the run can be resumed and any
 * minimum re-evaluated exactly later.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset, type PreparedDataset, type DatasetDescription } from '@lossscape/data';
import type { RunManifest } from '@lossscape/landscape';
import { LANDSCAPE_SCHEMA_VERSION } from '@lossscape/landscape';
import type { LossSpec, ModelSpec } from '@lossscape/tensor-core';
import { UsageError } from '../errors.js';
import { exploreConfigSchema, lossDefaults, type ExploreConfig } from '../config/schema.js';
import { describeIssue } from '../config/load.js';
import { runDataset, type RunPotentialArgs } from './potential-factory.js';

export interface PreparedRun {
  readonly config: ExploreConfig;
  readonly dataset: PreparedDataset;
  readonly model: ModelSpec;
  readonly loss: LossSpec;
  readonly potentialArgs: RunPotentialArgs;
  /** e.g. "sigmoid β=40, λ=1e-5, 2-10-2" */
  readonly lossLabel: string;
  /** e.g. "two spirals (97 per spiral, noise ±0.1, seed 1): train 155, test 39" */
  readonly dataLabel: string;
}

/** The loss spec tensor-core takes: only the parameters this loss has, defaults filled in. */
export function lossSpecOf(config: ExploreConfig): LossSpec {
  const { kind, positiveClass } = config.loss;
  const defaults = lossDefaults(kind);
  const spec: { kind: typeof kind; positiveClass: number; beta?: number; margin?: number } = { kind, positiveClass };
  if ('beta' in defaults) spec.beta = config.loss.beta ?? defaults.beta;
  else if (config.loss.beta !== undefined) throw new UsageError(`Expected no beta for the ${kind} loss (it has none) but received ${config.loss.beta}`);
  if ('margin' in defaults) spec.margin = config.loss.margin ?? defaults.margin;
  else if (config.loss.margin !== undefined) throw new UsageError(`Expected no margin for the ${kind} loss (it has none) but received ${config.loss.margin}`);
  return spec as LossSpec;
}

export function formatLossLabel(loss: LossSpec, l2: number, model: ModelSpec): string {
  const p = loss as { beta?: number; margin?: number };
  const param = p.beta !== undefined ? ` β=${p.beta}` : p.margin !== undefined ? ` m=${p.margin}` : '';
  return `${loss.kind}${param}, λ=${formatParameter(l2)}, ${model.inputs}-${model.hidden}-${model.classes}`;
}

/** 1e-5 rather than 0.00001; plain digits for ordinary values. */
export function formatParameter(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}

function assemble(config: ExploreConfig, dataset: PreparedDataset, description: DatasetDescription, datasetPath?: string): PreparedRun {
  const model: ModelSpec = { inputs: dataset.train.featureCount, hidden: config.model.hidden, classes: Math.max(dataset.train.classes, dataset.classNames.length) };
  const loss = lossSpecOf(config);
  if (config.loss.positiveClass >= model.classes) {
    throw new UsageError(`Expected a positive class between 0 and ${model.classes - 1} for 'loss.positiveClass' but received ${config.loss.positiveClass}`);
  }
  return {
    config,
    dataset,
    model,
    loss,
    potentialArgs: { dataset: description, ...(datasetPath ? { datasetPath } : {}), model, loss, l2: config.l2, distanceTolerance: config.duplicates.distanceTolerance },
    lossLabel: formatLossLabel(loss, config.l2, model),
    dataLabel: `${dataset.summary.source}: train ${dataset.train.rows}, test ${dataset.test.rows}`,
  };
}

/** A fresh run: loads (or generates) the data and splits it. */
export function prepareRun(config: ExploreConfig, cwd: string): PreparedRun {
  const d = config.dataset;
  const dataset = loadDataset({
    kind: d.kind,
    ...(d.path ? { path: path.resolve(cwd, d.path) } : {}),
    ...(d.label ? { label: d.label } : {}),
    stringLabels: d.stringLabels,
    pointsPerSpiral: d.pointsPerSpiral,
    noise: d.noise,
    testFraction: d.testFraction,
    seed: d.seed,
    ...(d.standardise === undefined ? {} : { standardise: d.standardise }),
  });
  return assemble(config, dataset, dataset.description);
}

/** A run re-created from its manifest (resume, watch, report, hessian --db). */
export function prepareRunFromManifest(manifest: RunManifest, source: string, options: { datasetPath?: string; config?: ExploreConfig; kernelThreads?: number } = {}): PreparedRun {
  const parsed = exploreConfigSchema.safeParse(manifest.config);
  if (!parsed.success) throw new UsageError(describeIssue(`${source} (stored config)`, parsed.error.issues[0], manifest.config));
  const config = options.config ?? parsed.data;
  if (options.config) requireSameLandscape(parsed.data, options.config, source);
  if (!manifest.dataset) throw new UsageError(`Expected a dataset description in the manifest of ${source} but received none`);
  const description = manifest.dataset as unknown as DatasetDescription;
  const dataset = runDataset({ dataset: description, ...(options.datasetPath ? { datasetPath: options.datasetPath } : {}) });
  const run = assemble(config, dataset, description, options.datasetPath);
  return options.kernelThreads === undefined ? run : { ...run, potentialArgs: { ...run.potentialArgs, kernelThreads: options.kernelThreads } };
}

/** Settings that define the landscape itself; a resumed run may change budgets, not these. */
const LANDSCAPE_KEYS = ['dataset', 'model', 'loss', 'l2', 'duplicates'] as const;

export function requireSameLandscape(stored: ExploreConfig, wanted: ExploreConfig, source: string): void {
  for (const key of LANDSCAPE_KEYS) {
    const a = JSON.stringify(stored[key]);
    const b = JSON.stringify(wanted[key]);
    if (a !== b) throw new UsageError(`Expected the same '${key}' as the run in ${source} (${a}) when resuming but received ${b}`);
  }
}

function gitCommit(): string | undefined {
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: here, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const PACKAGES = ['numeric', 'data', 'parallel', 'tensor-core', 'hessian-native', 'landscape', 'sampler', 'dashboard', 'cli'];

export function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = { node: process.version };
  for (const name of PACKAGES) {
    try {
      out[`@lossscape/${name}`] = (require(`@lossscape/${name}/package.json`) as { version: string }).version;
    } catch {
      out[`@lossscape/${name}`] = 'unknown';
    }
  }
  return out;
}

export function buildManifest(run: PreparedRun, name: string, backends: Record<string, string | number>): RunManifest {
  const commit = gitCommit();
  return {
    schemaVersion: LANDSCAPE_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    name,
    config: run.config as unknown as Record<string, unknown>,
    dataset: run.potentialArgs.dataset as unknown as Record<string, unknown>,
    seeds: [run.config.sampler.seed, run.config.dataset.seed],
    ...(commit ? { gitCommit: commit } : {}),
    packageVersions: packageVersions(),
    backends,
  };
}

// SPDX-License-Identifier: MIT
// `lossscape hessian` end to end in-process: a model trained here with tfjs, saved, analysed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOL, createRng, lpphe, maxAbsDiff } from '@lossscape/numeric';
import { loadDataset, readCsvFile } from '@lossscape/data';
import { createLossPotential, weightCount } from '@lossscape/tensor-core';
import { fileSystemHandler, initTfBackend, tf, tfLoss } from '@lossscape/tensor-core/tf';
import { symEigvals } from '@lossscape/hessian-native';
import { LANDSCAPE_SCHEMA_VERSION, openSqliteStore } from '@lossscape/landscape';
import type { HessianReport } from './hessian.js';
import { spectrumSvg } from './hessian.js';
import { runCli } from '../test-utils/cli.js';


const run = runCli;

const I = 6;
const H = 3;
let dir: string;
let csv: string;
let trained: tf.LayersModel;

/** The project's weight vector from tfjs Dense kernels [in, out], written out by hand. */
function projectWeights(model: tf.LayersModel): Float64Array {
  const [k1, b1, k2, b2] = model.getWeights().map((t) => Float64Array.from(t.dataSync()));
  const C = b2.length;
  const w = new Float64Array(weightCount({ inputs: I, hidden: H, classes: C }));
  let o = 0;
  for (let h = 0; h < H; h++) for (let i = 0; i < I; i++) w[o++] = k1[i * H + h];
  for (let h = 0; h < H; h++) w[o++] = b1[h];
  for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) w[o++] = k2[h * C + c];
  for (let c = 0; c < C; c++) w[o++] = b2[c];
  return w;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lossscape-hessian-'));
  const rng = createRng(0x4e55);
  const rows = ['a,b,c,d,e,f,y'];
  for (let d = 0; d < 80; d++) {
    const x = Array.from({ length: I }, () => rng.normal());
    const y = x[0] + 0.5 * x[1] - x[2] + 0.7 * rng.normal() > 0.3 ? 1 : 0;
    rows.push([...x.map((v) => v.toFixed(6)), y].join(','));
  }
  csv = path.join(dir, 'data.csv');
  await writeFile(csv, rows.join('\n') + '\n');
  const data = readCsvFile(csv);
  await initTfBackend();
  trained = tf.sequential({ layers: [tf.layers.dense({ units: H, activation: 'tanh', inputShape: [I] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
  trained.compile({ optimizer: tf.train.adam(0.05), loss: tfLoss({ kind: 'sigmoid', beta: 10 }) });
  const x = tf.tensor2d(Float32Array.from(data.features), [data.rows, I]);
  const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 2).toFloat();
  await trained.fit(x, y, { epochs: 30, batchSize: 80, verbose: 0 });
  await trained.save(fileSystemHandler(path.join(dir, 'tfjs')));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lossscape hessian --model', () => {
  it('the spectrum of a tfjs-trained model equals that of the same weights in the project potential', async () => {
    const r = await run(dir, 'hessian', '--model', 'tfjs', '--data', 'data.csv', '--loss', 'sigmoid', '--beta', '10', '--l2', '1e-4', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as HessianReport;
    const data = readCsvFile(csv);
    const w = projectWeights(trained);
    const potential = createLossPotential({ model: { inputs: I, hidden: H, classes: 2 }, data, loss: { kind: 'sigmoid', beta: 10 }, l2: 1e-4 });
    const direct = symEigvals(potential.hessian(w), w.length);
    const scale = Math.max(...Array.from(direct, Math.abs));
    expect(report.eigenvalues).toHaveLength(w.length);
    expect(maxAbsDiff(report.eigenvalues, direct) / scale).toBeLessThan(TOL.F64_EIGEN);
    expect(report.energy).toBeCloseTo(potential.energy(w), 12);
    expect(report.lpphe.value).toBeCloseTo(lpphe(direct).value, 8);
    expect(report.flatCount).toBe(H + 1);
    expect(report.expectedFlatCount).toBe(H + 1);
    expect(report.eigenvalues.every((v, k) => k === 0 || report.eigenvalues[k - 1] <= v)).toBe(true);
    // A float32 optimiser's end point is no float64 minimum: the report says so.
    expect(report.converged).toBe(false);
  });

  it('prints a text summary and writes SVG and PNG plots', async () => {
    const svg = await run(dir, 'hessian', '--model', 'tfjs/model.json', '--data', 'data.csv', '--loss', 'ce', '--plot', 'spectrum.svg');
    expect(svg.code).toBe(0);
    expect(svg.out).toMatch(/^LPPHE +-?\d/m);
    expect(svg.out).toMatch(/^flat +4 eigenvalues equal to 2λ/m);
    expect(svg.out).toMatch(/NOT a converged minimum/);
    expect(await readFile(path.join(dir, 'spectrum.svg'), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*2λ = 2\.0e-5[\s\S]*<\/svg>$/);
    const png = await run(dir, 'hessian', '--model', 'tfjs', '--data', 'data.csv', '--loss', 'quad', '--plot', 'spectrum.png');
    expect(png.code).toBe(0);
    expect(Array.from((await readFile(path.join(dir, 'spectrum.png'))).subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('mistakes are one line on stderr with exit code 2', async () => {
    await writeFile(path.join(dir, 'broken.json'), '{"modelTopology": {"class_name": "Sequential", "config": {"layers": []}}');
    const relu = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'relu', inputShape: [I] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
    await relu.save(fileSystemHandler(path.join(dir, 'relu')));
    const wide = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'tanh', inputShape: [I + 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
    await wide.save(fileSystemHandler(path.join(dir, 'wide')));
    const cases: Array<[string[], RegExp]> = [
      [['--model', 'broken.json', '--data', 'data.csv', '--loss', 'ce'], /broken\.json/],
      [['--model', 'relu', '--data', 'data.csv', '--loss', 'ce'], /^lossscape: Expected activation 'tanh' .* layer 'dense_Dense\d+' \(Dense, layer 1\) .* but received 'relu'$/],
      [['--model', 'wide', '--data', 'data.csv', '--loss', 'ce'], /^lossscape: Expected a model with 6 inputs \(the feature count of data\.csv\) .* a model with 7 inputs$/],
      [['--model', 'tfjs', '--data', 'data.csv'], /^lossscape: Expected --loss <kind>/],
      [['--model', 'tfjs', '--db', 'x.sqlite'], /exactly one of --model/],
      [['--model', 'nowhere.keras', '--data', 'data.csv', '--loss', 'ce'], /^lossscape: No such file: .*nowhere\.keras$/],
      [['--model', 'tfjs', '--data', 'data.csv', '--loss', 'ce', '--plot', 'x.gif'], /\.svg or \.png/],
    ];
    for (const [args, message] of cases) {
      const r = await run(dir, 'hessian', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err.trimEnd(), args.join(' ')).toMatch(message);
    }
  });
});

describe('lossscape hessian --db', () => {
  it('analyses stored minima with the model, loss and data of the run manifest', async () => {
    const prepared = loadDataset({ kind: 'csv', path: csv });
    const model = { inputs: I, hidden: H, classes: 2 };
    const rng = createRng(3);
    const ws = [0, 1].map(() => Float64Array.from({ length: weightCount(model) }, () => rng.uniformIn(-1, 1)));
    const file = path.join(dir, 'run.sqlite');
    const store = await openSqliteStore(file);
    await store.setManifest({
      schemaVersion: LANDSCAPE_SCHEMA_VERSION,
      createdAt: new Date(0).toISOString(),
      name: 'test',
      config: { loss: { kind: 'tanh', beta: 2 }, l2: 1e-3, model: { hidden: H } },
      dataset: prepared.description as unknown as Record<string, unknown>,
      seeds: [1],
      packageVersions: {},
      backends: {},
    });
    for (const [k, w] of ws.entries()) await store.addMinimum({ energy: -k, coordinates: w, rmsGradient: 1, step: k, chain: 0 }, { energyTolerance: 1e-9 });
    await store.close();

    const r = await run(dir, 'hessian', '--db', 'run.sqlite', '--minimum', 'all', '--json', '--plot', 'db.svg');
    expect(r.err).toBe('');
    const reports = JSON.parse(r.out) as HessianReport[];
    expect(reports.map((x) => x.minimumId)).toEqual([1, 2]);
    const potential = createLossPotential({ model, data: prepared.train, loss: { kind: 'tanh', beta: 2 }, l2: 1e-3 });
    reports.forEach((report, k) => {
      const direct = symEigvals(potential.hessian(ws[k]), ws[k].length);
      expect(maxAbsDiff(report.eigenvalues, direct) / Math.max(...Array.from(direct, Math.abs))).toBeLessThan(TOL.F64_EIGEN);
      expect(report.plot).toBe(path.join(dir, `db-${k + 1}.svg`));
    });
    const missing = await run(dir, 'hessian', '--db', 'run.sqlite', '--minimum', '9');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^lossscape: Expected a minimum with id 9 .* holds 2\)\n$/);
    const extra = await run(dir, 'hessian', '--db', 'run.sqlite', '--loss', 'ce');
    expect(extra.err).toMatch(/^lossscape: Expected no --loss with --db/);
  });
});

describe('spectrumSvg', () => {
  it('puts every eigenvalue in a bar and shows negative ones in their own colour', () => {
    const values = [-3e-4, 2e-5, 2e-5, 0.5, 40];
    const svg = spectrumSvg(values, { marker: 2e-5 });
    const bars = [...svg.matchAll(/<title>(\d+)<\/title>/g)].map((m) => Number(m[1]));
    expect(bars.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(svg).toContain('#c0392b');
    expect(svg).not.toContain('NaN');
  });
});

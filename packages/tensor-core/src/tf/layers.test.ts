// SPDX-License-Identifier: MIT
// A model trained here with tfjs, saved to disk, imported: identical predictions both ways.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOL, createRng, maxAbsDiff } from '@lossscape/numeric';
import { predictScores } from '../forward.js';
import { loadModelFile } from '../io/load-model.js';
import { writeLayersModel } from '../io/layers-model.js';
import { randomWeights } from '../model.js';
import { randomDataset } from '../test-utils/problems.js';
import { initTfBackend } from './backend.js';
import { createPairCounter, tfLoss } from './auc-loss.js';
import { fileSystemHandler, fromLayersModel, toLayersModel } from './layers.js';
import { stratifiedBatches } from './stratified-batches.js';
import * as tf from '@tensorflow/tfjs';

const rng = createRng(0x1a7e);
const spec = { inputs: 5, hidden: 4, classes: 2 };
const data = randomDataset(rng, spec, 120);
let x: tf.Tensor2D;
let dir: string;

function column1(t: tf.Tensor): Float64Array {
  const v = t.dataSync();
  const cols = t.shape[1] ?? 1;
  return Float64Array.from({ length: v.length / cols }, (_, d) => v[d * cols + cols - 1]);
}

beforeAll(async () => {
  await initTfBackend();
  x = tf.tensor2d(Float32Array.from(data.features), [120, 5]);
  dir = await mkdtemp(path.join(os.tmpdir(), 'lossscape-layers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(['softmax', 'sigmoid'] as const)('a LayersModel with %s output, trained here', (output) => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, activation: 'tanh', inputShape: [5] }),
        tf.layers.dense({ units: output === 'softmax' ? 2 : 1, activation: output }),
      ],
    });
    model.setWeights((await toLayersModel(spec, randomWeights(spec, rng), { output })).getWeights());
    const counter = createPairCounter();
    model.compile({ optimizer: tf.train.adam(0.05), loss: tfLoss({ kind: 'sigmoid', beta: 10 }, { counter }) });
    // tfjs-layers checks that targets have the output's shape: one-hot for a softmax output.
    const y = output === 'softmax' ? tf.oneHot(tf.tensor1d(data.labels, 'int32'), 2).toFloat() : tf.tensor2d(Float32Array.from(data.labels), [120, 1]);
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const idx of stratifiedBatches(data.labels, 32, rng)) {
        const i = tf.tensor1d(idx, 'int32');
        await model.trainOnBatch(tf.gather(x, i), tf.gather(y, i));
      }
    }
    expect(counter.batches).toBe(12);
    expect(counter.emptyBatches).toBe(0);
  });

  it('saved with fileSystemHandler and imported: the same probabilities (float32 vs float64)', async () => {
    await model.save(fileSystemHandler(path.join(dir, output)));
    const imported = await loadModelFile(path.join(dir, output));
    expect(imported.output).toBe(output);
    const tfP = column1(model.predict(x) as tf.Tensor);
    expect(maxAbsDiff(predictScores(imported.model, imported.weights, data.features), tfP)).toBeLessThan(TOL.F32);
    const reloaded = await tf.loadLayersModel(fileSystemHandler(path.join(dir, output, 'model.json')));
    expect(Array.from(column1(reloaded.predict(x) as tf.Tensor))).toEqual(Array.from(tfP));
  });

  it('fromLayersModel gives the weights imported from disk', async () => {
    const a = await fromLayersModel(model);
    const b = await loadModelFile(path.join(dir, output));
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });
});

describe('a functional tf.model (class Model with inbound nodes)', () => {
  it('imports through the same chain check', async () => {
    const input = tf.input({ shape: [5] });
    const hidden = tf.layers.dense({ units: 4, activation: 'tanh' }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(hidden) as tf.SymbolicTensor;
    const net = tf.model({ inputs: input, outputs: out });
    const imported = await fromLayersModel(net);
    expect(maxAbsDiff(predictScores(imported.model, imported.weights, data.features), column1(net.predict(x) as tf.Tensor))).toBeLessThan(TOL.F32);
  });
});

describe('exporting a minimum', () => {
  it.each(['softmax', 'sigmoid'] as const)('writeLayersModel (%s) loads in tfjs and predicts like the exact network', async (output) => {
    const w = randomWeights(spec, rng, { scale: 1.5 });
    const { modelJson } = await writeLayersModel(path.join(dir, `export-${output}`), spec, w, { output });
    const net = await tf.loadLayersModel(fileSystemHandler(modelJson));
    expect(maxAbsDiff(column1(net.predict(x) as tf.Tensor), predictScores(spec, w, data.features))).toBeLessThan(TOL.F32);
  });
});

// SPDX-License-Identifier: MIT
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOL, createRng, maxAbsDiff } from '@lossscape/numeric';
import { predictScores } from '../forward.js';
import { importKerasArchive, importKerasFile, importKerasH5Bytes } from './keras.js';
import { buildHdf5, kerasArchive, keras2Config, keras3Config, keras3WeightsH5, kerasLegacyH5, kerasProbability, randomKerasNet } from './test-utils/fixtures.js';

const rng = createRng(0x6e7a);
const x = Float64Array.from({ length: 7 * 5 }, () => rng.uniformIn(-2, 2));
const oneLine = (e: unknown) => expect((e as Error).message).not.toMatch(/\n/);

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('Keras 3 .keras archive', () => {
  it.each(['softmax', 'linear'] as const)('Sequential, %s output: same probabilities as the source network', async (output) => {
    const net = randomKerasNet(rng, 5, 4, 3, output);
    const m = await importKerasArchive(await kerasArchive(net), 'net.keras');
    expect(m.model).toEqual({ inputs: 5, hidden: 4, classes: 3 });
    expect(m.format).toBe('keras');
    expect(m.output).toBe(output === 'softmax' ? 'softmax' : 'logits');
    expect(maxAbsDiff(predictScores(m.model, m.weights, x), kerasProbability(net, x))).toBeLessThan(TOL.F64);
  });

  it('a single sigmoid unit maps to two classes with W2 row 0 = 0 and b2 = [0, b]', async () => {
    const net = randomKerasNet(rng, 5, 4, 1, 'sigmoid');
    const m = await importKerasArchive(await kerasArchive(net), 'net.keras');
    expect(m.model.classes).toBe(2);
    expect(m.output).toBe('sigmoid');
    const w2 = 5 * 4 + 4;
    expect(Array.from(m.weights.subarray(w2, w2 + 4))).toEqual([0, 0, 0, 0]);
    expect(m.weights[w2 + 8]).toBe(0);
    expect(m.weights[w2 + 9]).toBe(net.bias2[0]);
    expect(maxAbsDiff(predictScores(m.model, m.weights, x), kerasProbability(net, x))).toBeLessThan(TOL.F64);
  });

  it('Functional chain and float64 weights are read too', async () => {
    const net = randomKerasNet(rng, 5, 3, 2, 'softmax');
    const archive = await kerasArchive(net, keras3Config(net, { functional: true }), await keras3WeightsH5(net, '<d'));
    const m = await importKerasArchive(archive, 'f.keras');
    expect(maxAbsDiff(predictScores(m.model, m.weights, x), kerasProbability(net, x))).toBeLessThan(TOL.F64);
  });

  it('relu in the hidden layer is refused, naming the layer and the reason', async () => {
    const net = randomKerasNet(rng, 5, 3, 2, 'softmax');
    const e = await rejection(importKerasArchive(await kerasArchive(net, keras3Config(net, { hiddenActivation: 'relu' })), 'relu.keras'));
    expect(e.code).toBe('ERR_UNSUPPORTED_MODEL');
    expect(e.message).toMatch(/^Expected activation 'tanh' .* for layer 'hidden_tanh' \(Dense, layer 2\) of relu\.keras but received 'relu'$/);
    oneLine(e);
  });

  it('an archive without config.json or with a truncated zip gives one-line ERR_MODEL_FORMAT', async () => {
    const net = randomKerasNet(rng, 2, 2, 2, 'softmax');
    const archive = await kerasArchive(net);
    const e1 = await rejection(importKerasArchive(archive.subarray(0, 60), 'cut.keras'));
    expect(e1.code).toBe('ERR_MODEL_FORMAT');
    oneLine(e1);
    const { zipSync } = await import('fflate');
    const e2 = await rejection(importKerasArchive(zipSync({ 'model.weights.h5': new Uint8Array(8) }), 'noconfig.keras'));
    expect(e2.code).toBe('ERR_MODEL_FORMAT');
    expect(e2.message).toMatch(/config\.json/);
  });

  it('a weights file that is not HDF5 is refused before h5wasm sees it', async () => {
    const net = randomKerasNet(rng, 2, 2, 2, 'softmax');
    const e = await rejection(importKerasArchive(await kerasArchive(net, keras3Config(net), new TextEncoder().encode('not hdf5')), 'bad.keras'));
    expect(e.code).toBe('ERR_MODEL_FORMAT');
    expect(e.message).toMatch(/HDF5/);
  });
});

describe('Keras legacy .h5', () => {
  it('reads model_config and model_weights/<layer>/<layer>/kernel:0', async () => {
    const net = randomKerasNet(rng, 5, 6, 2, 'softmax');
    const m = await importKerasH5Bytes(await kerasLegacyH5(net), 'net.h5');
    expect(m.format).toBe('keras-h5');
    expect(m.layers).toEqual(['dense', 'dense_1']);
    expect(maxAbsDiff(predictScores(m.model, m.weights, x), kerasProbability(net, x))).toBeLessThan(TOL.F64);
  });

  it('refuses a weights-only file (no model_config)', async () => {
    const net = randomKerasNet(rng, 5, 6, 2, 'softmax');
    const e = await rejection(importKerasH5Bytes(await kerasLegacyH5(net, { withConfig: false }), 'w.h5'));
    expect(e.code).toBe('ERR_UNSUPPORTED_MODEL');
    expect(e.message).toMatch(/weights-only/);
    oneLine(e);
  });

  it('an extra Dense layer is refused naming it', async () => {
    const net = randomKerasNet(rng, 5, 6, 2, 'softmax');
    const config = keras2Config(net);
    const layers = (config.config as { layers: unknown[] }).layers;
    layers.push({ class_name: 'Dense', config: { name: 'dense_2', units: 2, activation: 'softmax' } });
    const bytes = await buildHdf5((f) => f.create_attribute('model_config', JSON.stringify(config)));
    const e = await rejection(importKerasH5Bytes(bytes, 'deep.h5'));
    expect(e.code).toBe('ERR_UNSUPPORTED_MODEL');
    expect(e.message).toMatch(/layer 'dense_2' \(Dense, layer 4\)/);
  });

  it('importKerasFile tells .keras and .h5 apart by content', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lossscape-keras-'));
    const net = randomKerasNet(rng, 5, 6, 2, 'softmax');
    const a = path.join(dir, 'model.bin');
    await writeFile(a, await kerasLegacyH5(net));
    expect((await importKerasFile(a)).format).toBe('keras-h5');
    await writeFile(a, await kerasArchive(net));
    expect((await importKerasFile(a)).format).toBe('keras');
    await writeFile(a, 'hello');
    const e = await rejection(importKerasFile(a));
    expect(e.code).toBe('ERR_MODEL_FORMAT');
  });
});

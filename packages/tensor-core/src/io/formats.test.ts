// SPDX-License-Identifier: MIT
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOL, createRng, maxAbsDiff } from '@lossscape/numeric';
import { predictScores } from '../forward.js';
import { randomWeights, weightCount } from '../model.js';
import { kerasArchive, kerasLegacyH5, kerasProbability, randomKerasNet, tfjsTopology } from './test-utils/fixtures.js';
import { importLayersArtifacts, importLayersModel, readLayersModelArtifacts, toLayersModelArtifacts, writeLayersArtifacts, writeLayersModel } from './layers-model.js';
import { detectModelFormat, loadModelFile, requireFeatureCount } from './load-model.js';
import { encodeNpy, parseNpy } from './npy.js';
import { encodeSafetensors, importStateDict, parseSafetensors } from './safetensors.js';
import { modelForLength, parseWeightsJson, weightsJson } from './weight-vector.js';
import type { LayersModelArtifacts } from './types.js';

const rng = createRng(0xf0a7);
const x = Float64Array.from({ length: 9 * 4 }, () => rng.uniformIn(-2, 2));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lossscape-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function caught(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a throw');
}
async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
const f32 = (a: Float64Array) => Float64Array.from(Float32Array.from(a));

/** tfjs-style artifacts for a source net, weights in manifest order. */
function tfjsArtifacts(net: ReturnType<typeof randomKerasNet>): LayersModelArtifacts {
  const data = new Float32Array([...net.kernel1, ...net.bias1, ...net.kernel2, ...net.bias2]);
  return {
    modelTopology: tfjsTopology(net),
    weightSpecs: [
      { name: 'dense_Dense1/kernel', shape: [net.inputs, net.hidden], dtype: 'float32' },
      { name: 'dense_Dense1/bias', shape: [net.hidden], dtype: 'float32' },
      { name: 'dense_Dense2/kernel', shape: [net.hidden, net.units], dtype: 'float32' },
      { name: 'dense_Dense2/bias', shape: [net.units], dtype: 'float32' },
    ],
    weightData: data.buffer,
  };
}

describe('TensorFlow.js LayersModel (files, no tfjs)', () => {
  it.each(['softmax', 'sigmoid'] as const)('tfjs-written topology with %s output imports to the same probabilities', (output) => {
    const net = randomKerasNet(rng, 4, 5, output === 'sigmoid' ? 1 : 2, output);
    const m = importLayersArtifacts(tfjsArtifacts(net), 'model.json');
    expect(m.layers).toEqual(['dense_Dense1', 'dense_Dense2']);
    expect(maxAbsDiff(predictScores(m.model, m.weights, x), kerasProbability(net, x))).toBeLessThan(TOL.F64);
  });

  it('falls back to manifest order when weight names do not match layer names', () => {
    const net = randomKerasNet(rng, 4, 5, 2, 'softmax');
    const a = tfjsArtifacts(net);
    const renamed = { ...a, weightSpecs: a.weightSpecs.map((s, k) => ({ ...s, name: `w${k}` })) };
    const m = importLayersArtifacts(renamed, 'renamed.json');
    expect(maxAbsDiff(predictScores(m.model, m.weights, x), kerasProbability(net, x))).toBeLessThan(TOL.F64);
  });

  it('export → files → import is exact to float32, also through the sigmoid form', async () => {
    const model = { inputs: 4, hidden: 3, classes: 2 };
    const w = randomWeights(model, rng, { scale: 1 });
    const { modelJson } = await writeLayersModel(path.join(dir, 'exp'), model, w);
    const back = await importLayersModel(modelJson);
    expect(back.model).toEqual(model);
    expect(Array.from(back.weights)).toEqual(Array.from(f32(w)));
    const s = await writeLayersModel(path.join(dir, 'exp-sigmoid'), model, w, { output: 'sigmoid' });
    const viaSigmoid = await importLayersModel(s.modelJson);
    expect(viaSigmoid.output).toBe('sigmoid');
    const p = predictScores(model, w, x);
    expect(maxAbsDiff(predictScores(viaSigmoid.model, viaSigmoid.weights, x), p)).toBeLessThan(TOL.F32);
  });

  it('sharded weights are concatenated in manifest order', async () => {
    const net = randomKerasNet(rng, 4, 5, 2, 'softmax');
    const a = tfjsArtifacts(net);
    const bytes = new Uint8Array(a.weightData);
    const sub = path.join(dir, 'sharded');
    await writeLayersArtifacts(sub, a);
    await writeFile(path.join(sub, 'group1-shard1of2.bin'), bytes.subarray(0, 33));
    await writeFile(path.join(sub, 'group1-shard2of2.bin'), bytes.subarray(33));
    const json = JSON.parse(await readFile(path.join(sub, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    await writeFile(path.join(sub, 'model.json'), JSON.stringify(json));
    const m = await loadModelFile(sub);
    expect(maxAbsDiff(predictScores(m.model, m.weights, x), kerasProbability(net, x))).toBeLessThan(TOL.F64);
  });

  it('malformed model.json files give one-line errors naming the file', async () => {
    const sub = path.join(dir, 'bad');
    const net = randomKerasNet(rng, 4, 5, 2, 'softmax');
    const { modelJson, weightsBin } = await writeLayersArtifacts(sub, tfjsArtifacts(net));
    await writeFile(weightsBin, new Uint8Array(10));
    const short = await rejection(importLayersModel(modelJson));
    expect(short.code).toBe('ERR_MODEL_FORMAT');
    expect(short.message).toMatch(/bytes of weight data/);
    expect(short.message).toContain(modelJson);
    await rm(weightsBin);
    const missing = await rejection(importLayersModel(modelJson));
    expect(missing.code).toBe('ERR_FILE_NOT_FOUND');
    expect(missing.message).toMatch(/weights\.bin/);
    await writeFile(modelJson, '{"modelTopology": {"class_name": "Sequential"');
    const trunc = await rejection(loadModelFile(modelJson));
    expect(trunc.code).toBe('ERR_MODEL_FORMAT');
    for (const e of [short, missing, trunc]) expect(e.message).not.toMatch(/\n/);
  });

  it('a convolution layer is refused, naming it', () => {
    const net = randomKerasNet(rng, 4, 5, 2, 'softmax');
    const a = tfjsArtifacts(net);
    const topo = structuredClone(a.modelTopology) as { config: { layers: unknown[] } };
    topo.config.layers.splice(1, 0, { class_name: 'Conv1D', config: { name: 'conv' } });
    const e = caught(() => importLayersArtifacts({ ...a, modelTopology: topo }, 'conv.json'));
    expect(e.code).toBe('ERR_UNSUPPORTED_MODEL');
    expect(e.message).toMatch(/layer 'conv' \(Conv1D, layer 2\)/);
  });

  it('toLayersModelArtifacts validates at the edge', () => {
    expect(() => toLayersModelArtifacts({ inputs: 2, hidden: 2, classes: 3 }, new Float64Array(weightCount({ inputs: 2, hidden: 2, classes: 3 })), { output: 'sigmoid' })).toThrow(
      /two-class model/,
    );
    expect(() => toLayersModelArtifacts({ inputs: 2, hidden: 2, classes: 2 }, new Float64Array(3))).toThrow(/^Expected Float64Array of length 12/);
  });

  it('readLayersModelArtifacts returns tfjs ModelArtifacts', async () => {
    const model = { inputs: 2, hidden: 2, classes: 2 };
    const { modelJson } = await writeLayersModel(path.join(dir, 'art'), model, randomWeights(model, rng));
    const a = await readLayersModelArtifacts(modelJson);
    expect(a.weightSpecs.map((s) => s.name)).toEqual(['hidden/kernel', 'hidden/bias', 'output/kernel', 'output/bias']);
    expect(a.weightData.byteLength).toBe(4 * weightCount(model));
  });
});

describe('safetensors (PyTorch state dict)', () => {
  const torchNet = (out: number) => {
    const I = 4;
    const H = 3;
    const fill = (n: number) => Float64Array.from({ length: n }, () => rng.uniformIn(-1, 1));
    return { I, H, out, w1: fill(H * I), b1: fill(H), w2: fill(out * H), b2: fill(out) };
  };
  /** PyTorch semantics: y = W x + b with W [out, in]. */
  const torchP1 = (t: ReturnType<typeof torchNet>, xs: Float64Array) =>
    Float64Array.from({ length: xs.length / t.I }, (_, d) => {
      const h = Array.from({ length: t.H }, (_, j) => Math.tanh(t.b1[j] + Array.from({ length: t.I }, (_, i) => t.w1[j * t.I + i] * xs[d * t.I + i]).reduce((a, b) => a + b)));
      const y = Array.from({ length: t.out }, (_, k) => t.b2[k] + h.reduce((a, hj, j) => a + t.w2[k * t.H + j] * hj, 0));
      if (t.out === 1) return 1 / (1 + Math.exp(-y[0]));
      const m = Math.max(...y);
      const e = y.map((v) => Math.exp(v - m));
      return e[1] / e.reduce((a, b) => a + b);
    });

  it.each([2, 1])('nn.Sequential(Linear, Tanh, Linear(%i)) in F64 imports exactly', (out) => {
    const t = torchNet(out);
    const bytes = encodeSafetensors({
      '0.weight': { dtype: 'F64', shape: [t.H, t.I], values: t.w1 },
      '0.bias': { dtype: 'F64', shape: [t.H], values: t.b1 },
      '2.weight': { dtype: 'F64', shape: [t.out, t.H], values: t.w2 },
      '2.bias': { dtype: 'F64', shape: [t.out], values: t.b2 },
    });
    expect(detectModelFormat(bytes)).toBe('safetensors');
    const m = importStateDict(parseSafetensors(bytes, 'net.safetensors'), 'net.safetensors');
    expect(m.output).toBe(out === 1 ? 'logit' : 'logits');
    expect(m.layers).toEqual(['0', '2']);
    expect(maxAbsDiff(predictScores(m.model, m.weights, x), torchP1(t, x))).toBeLessThan(TOL.F64);
  });

  it('orders layers by shape even when names sort the other way, and reads F32', () => {
    const t = torchNet(2);
    const bytes = encodeSafetensors({
      'b_in.weight': { dtype: 'F32', shape: [t.H, t.I], values: t.w1 },
      'b_in.bias': { dtype: 'F32', shape: [t.H], values: t.b1 },
      'a_out.weight': { dtype: 'F32', shape: [t.out, t.H], values: t.w2 },
      'a_out.bias': { dtype: 'F32', shape: [t.out], values: t.b2 },
    });
    const m = importStateDict(parseSafetensors(bytes, 'x'), 'x');
    expect(m.layers).toEqual(['b_in', 'a_out']);
    expect(maxAbsDiff(predictScores(m.model, m.weights, x), torchP1({ ...t, w1: f32(t.w1), b1: f32(t.b1), w2: f32(t.w2), b2: f32(t.b2) }, x))).toBeLessThan(TOL.F64);
  });

  it('refuses three layers and malformed headers with one-line errors', () => {
    const t = torchNet(2);
    const three = encodeSafetensors({
      '0.weight': { dtype: 'F32', shape: [t.H, t.I], values: t.w1 },
      '2.weight': { dtype: 'F32', shape: [t.H, t.H], values: new Float64Array(t.H * t.H) },
      '4.weight': { dtype: 'F32', shape: [t.out, t.H], values: t.w2 },
    });
    const e1 = caught(() => importStateDict(parseSafetensors(three, 'three.safetensors'), 'three.safetensors'));
    expect(e1.code).toBe('ERR_UNSUPPORTED_MODEL');
    expect(e1.message).toMatch(/two Linear layers .* 0\.weight, 2\.weight, 4\.weight/);
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setBigUint64(0, 1000n, true);
    const e2 = caught(() => parseSafetensors(bad, 'bad.safetensors'));
    expect(e2.code).toBe('ERR_MODEL_FORMAT');
    const cut = encodeSafetensors({ a: { dtype: 'F64', shape: [4], values: new Float64Array(4) } }).subarray(0, -8);
    expect(caught(() => parseSafetensors(cut, 'cut')).message).toMatch(/^Expected data_offsets spanning 32 bytes within 24/);
    for (const e of [e1, e2]) expect(e.message).not.toMatch(/\n/);
  });
});

describe('NPY and JSON weight vectors', () => {
  it('NPY round trip is exact; (K, W) gives K vectors; Fortran order is transposed', () => {
    const v = Float64Array.from({ length: 6 }, () => rng.normal());
    const back = parseNpy(encodeNpy(v), 'v.npy');
    expect(back.shape).toEqual([6]);
    expect(Array.from(back.values)).toEqual(Array.from(v));
    expect(parseNpy(encodeNpy(v, [2, 3]), 'm.npy').shape).toEqual([2, 3]);
    // Hand-written '<f4' Fortran-order 2×3: column-major bytes of [[1,2,3],[4,5,6]].
    let header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
    header = header.padEnd(128 - 10 - 1) + '\n';
    const bytes = new Uint8Array(128 + 24);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    new DataView(bytes.buffer).setUint16(8, header.length, true);
    bytes.set(new TextEncoder().encode(header), 10);
    new Float32Array(bytes.buffer, 128, 6).set([1, 4, 2, 5, 3, 6]);
    expect(Array.from(parseNpy(bytes, 'f.npy').values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(caught(() => parseNpy(bytes.subarray(0, 140), 'cut.npy')).message).toMatch(/^Expected 24 data bytes/);
  });

  it('infers the hidden width from the length, or names the mismatch', () => {
    expect(modelForLength(weightCount({ inputs: 30, hidden: 10, classes: 2 }), { inputs: 30 }, 'w')).toEqual({ inputs: 30, hidden: 10, classes: 2 });
    const e = caught(() => modelForLength(333, { inputs: 30 }, 'w.npy'));
    expect(e.code).toBe('ERR_DIMENSION_MISMATCH');
    expect(e.message).toMatch(/received 333 weights/);
    expect(caught(() => modelForLength(10, {}, 'w.json')).code).toBe('ERR_MODEL_FORMAT');
  });

  it('weightsJson parses back to the same float64 values', () => {
    const model = { inputs: 3, hidden: 2, classes: 2 };
    const w = randomWeights(model, rng, { scale: 3 });
    const v = parseWeightsJson(weightsJson(model, w), 'w.json');
    expect(v.model).toEqual(model);
    expect(Array.from(v.vectors[0])).toEqual(Array.from(w));
    expect(parseWeightsJson(JSON.stringify([Array.from(w), Array.from(w)]), 'k.json', { inputs: 3 }).vectors).toHaveLength(2);
  });

  it('loadModelFile picks a row of a K×W file and refuses ambiguity', async () => {
    const model = { inputs: 3, hidden: 2, classes: 2 };
    const W = weightCount(model);
    const rows = Float64Array.from({ length: 3 * W }, () => rng.normal());
    const file = path.join(dir, 'k.npy');
    await writeFile(file, encodeNpy(rows, [3, W]));
    const m = await loadModelFile(file, { inputs: 3, row: 2 });
    expect(Array.from(m.weights)).toEqual(Array.from(rows.subarray(2 * W)));
    expect((await rejection(loadModelFile(file, { inputs: 3 }))).message).toMatch(/one weight vector .* received 3/);
  });
});

describe('loadModelFile', () => {
  it('reads every format by content and checks the feature count', async () => {
    const net = randomKerasNet(rng, 4, 3, 2, 'softmax');
    const files: Array<[string, Uint8Array | string]> = [
      ['a.keras', await kerasArchive(net)],
      ['b.h5', await kerasLegacyH5(net)],
    ];
    for (const [name, content] of files) {
      const file = path.join(dir, name);
      await writeFile(file, content);
      const m = await loadModelFile(file);
      expect(maxAbsDiff(predictScores(m.model, m.weights, x), kerasProbability(net, x))).toBeLessThan(TOL.F64);
      expect(() => requireFeatureCount(m, 4, 'data.csv')).not.toThrow();
      const e = caught(() => requireFeatureCount(m, 30, 'data.csv'));
      expect(e.code).toBe('ERR_DIMENSION_MISMATCH');
      expect(e.message).toMatch(/with 30 inputs .* data\.csv.* with 4 inputs/);
    }
  });

  it('unrecognised and empty files give one-line ERR_MODEL_FORMAT', async () => {
    for (const [name, content] of [
      ['junk.bin', new Uint8Array([1, 2, 3, 4, 5])],
      ['empty.json', new Uint8Array(0)],
    ] as const) {
      const file = path.join(dir, name);
      await writeFile(file, content);
      const e = await rejection(loadModelFile(file));
      expect(e.code).toBe('ERR_MODEL_FORMAT');
      expect(e.message).toMatch(/^Expected a model file/);
      expect(e.message).not.toMatch(/\n/);
    }
  });
});

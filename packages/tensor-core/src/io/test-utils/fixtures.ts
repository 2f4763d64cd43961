// SPDX-License-Identifier: MIT
/**
 * Model files built here to the formats' documented layouts (Keras cannot be installed on these
 * machines, so Keras fixtures are written with h5wasm + fflate exactly as Keras lays them out:
 * keras/src/saving/saving_lib.py for .keras, legacy_h5_format.py for .h5).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { Rng } from '@lossscape/numeric';

/** A source network in Keras orientation: kernels [inputs, units]. */
export interface KerasNet {
  readonly inputs: number;
  readonly hidden: number;
  readonly units: number;
  readonly kernel1: Float32Array;
  readonly bias1: Float32Array;
  readonly kernel2: Float32Array;
  readonly bias2: Float32Array;
  readonly output: 'softmax' | 'sigmoid' | 'linear';
}

export function randomKerasNet(rng: Rng, inputs: number, hidden: number, units: number, output: KerasNet['output']): KerasNet {
  const fill = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.uniformIn(-s, s));
  return { inputs, hidden, units, kernel1: fill(inputs * hidden, 1), bias1: fill(hidden, 0.5), kernel2: fill(hidden * units, 1.5), bias2: fill(units, 0.5), output };
}

/** The source network's probability of class 1 (sigmoid unit, or softmax column 1), in float64. */
export function kerasProbability(net: KerasNet, x: Float64Array): Float64Array {
  const n = x.length / net.inputs;
  const out = new Float64Array(n);
  for (let d = 0; d < n; d++) {
    const h = new Float64Array(net.hidden);
    for (let j = 0; j < net.hidden; j++) {
      let a = net.bias1[j];
      for (let i = 0; i < net.inputs; i++) a += x[d * net.inputs + i] * net.kernel1[i * net.hidden + j];
      h[j] = Math.tanh(a);
    }
    const y = new Float64Array(net.units);
    for (let u = 0; u < net.units; u++) {
      let a = net.bias2[u];
      for (let j = 0; j < net.hidden; j++) a += h[j] * net.kernel2[j * net.units + u];
      y[u] = a;
    }
    if (net.units === 1) out[d] = 1 / (1 + Math.exp(-y[0]));
    else {
      const m = Math.max(...y);
      const e = Array.from(y, (v) => Math.exp(v - m));
      out[d] = e[1] / e.reduce((a, b) => a + b, 0);
    }
  }
  return out;
}

const denseConfig = (name: string, units: number, activation: string, extra: Record<string, unknown> = {}) => ({
  name,
  trainable: true,
  dtype: 'float32',
  units,
  activation,
  use_bias: true,
  kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
  bias_initializer: { class_name: 'Zeros', config: {} },
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
  ...extra,
});

/** Keras 2 `model_config` (also what legacy .h5 stores) for a Sequential net; `layers` overrides the list. */
export function keras2Config(net: KerasNet, layers?: unknown[]): Record<string, unknown> {
  return {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: layers ?? [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, net.inputs], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' } },
        { class_name: 'Dense', config: denseConfig('dense', net.hidden, 'tanh') },
        { class_name: 'Dense', config: denseConfig('dense_1', net.units, net.output) },
      ],
    },
  };
}

/** Keras 3 config.json for a Sequential net. */
export function keras3Config(net: KerasNet, options: { functional?: boolean; hiddenActivation?: string } = {}): Record<string, unknown> {
  const layer = (class_name: string, config: Record<string, unknown>, inbound?: string) => ({
    module: 'keras.layers',
    class_name,
    config,
    registered_name: null,
    ...(options.functional
      ? {
          name: config.name,
          inbound_nodes: inbound
            ? [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 0], dtype: 'float32', keras_history: [inbound, 0, 0] } }], kwargs: {} }]
            : [],
        }
      : {}),
  });
  const layers = [
    layer('InputLayer', { batch_shape: [null, net.inputs], dtype: 'float32', sparse: false, name: 'input_layer' }),
    layer('Dense', denseConfig('hidden_tanh', net.hidden, options.hiddenActivation ?? 'tanh'), 'input_layer'),
    layer('Dense', denseConfig('scores', net.units, net.output), 'hidden_tanh'),
  ];
  return {
    module: 'keras',
    class_name: options.functional ? 'Functional' : 'Sequential',
    config: {
      name: 'model',
      trainable: true,
      layers,
      ...(options.functional ? { input_layers: [['input_layer', 0, 0]], output_layers: [['scores', 0, 0]] } : {}),
    },
    registered_name: null,
  };
}

type H5 = typeof import('h5wasm/node');

/** Builds an HDF5 file with h5wasm and returns its bytes. */
export async function buildHdf5(fill: (file: InstanceType<H5['File']>, h5: H5) => void): Promise<Uint8Array> {
  const h5 = await import('h5wasm/node');
  await h5.ready;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lossscape-fixture-'));
  const file = path.join(dir, 'f.h5');
  try {
    const f = new h5.File(file, 'w');
    fill(f, h5);
    f.close();
    return new Uint8Array(await readFile(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** model.weights.h5 of a Keras 3 `.keras` archive. */
export function keras3WeightsH5(net: KerasNet, dtype: '<f' | '<d' = '<f'): Promise<Uint8Array> {
  return buildHdf5((f) => {
    f.create_group('vars');
    const layers = f.create_group('layers');
    const put = (name: string, kernel: Float32Array, kshape: number[], bias: Float32Array) => {
      const vars = layers.create_group(name).create_group('vars');
      const conv = (a: Float32Array) => (dtype === '<d' ? Float64Array.from(a) : a);
      vars.create_dataset({ name: '0', data: conv(kernel), shape: kshape, dtype });
      vars.create_dataset({ name: '1', data: conv(bias), shape: [bias.length], dtype });
    };
    layers.create_group('input_layer').create_group('vars');
    put('dense', net.kernel1, [net.inputs, net.hidden], net.bias1);
    put('dense_1', net.kernel2, [net.hidden, net.units], net.bias2);
    f.create_group('optimizer').create_group('vars');
  });
}

/** A whole `.keras` archive. */
export async function kerasArchive(net: KerasNet, config: Record<string, unknown> = keras3Config(net), weights?: Uint8Array): Promise<Uint8Array> {
  const enc = new TextEncoder();
  return zipSync({
    'metadata.json': enc.encode(JSON.stringify({ keras_version: '3.6.0', date_saved: '2025-01-01@00:00:00' })),
    'config.json': enc.encode(JSON.stringify(config)),
    'model.weights.h5': weights ?? (await keras3WeightsH5(net)),
  });
}

/** A Keras 2 whole-model `.h5` (model_config + model_weights/<layer>/<layer>/kernel:0). */
export function kerasLegacyH5(net: KerasNet, options: { withConfig?: boolean } = {}): Promise<Uint8Array> {
  return buildHdf5((f) => {
    if (options.withConfig !== false) f.create_attribute('model_config', JSON.stringify(keras2Config(net)));
    f.create_attribute('keras_version', '2.15.0');
    f.create_attribute('backend', 'tensorflow');
    const mw = f.create_group('model_weights');
    mw.create_attribute('layer_names', ['dense_input', 'dense', 'dense_1']);
    mw.create_group('dense_input').create_attribute('weight_names', [] as string[]);
    const put = (name: string, kernel: Float32Array, kshape: number[], bias: Float32Array) => {
      const g = mw.create_group(name);
      g.create_attribute('weight_names', [`${name}/kernel:0`, `${name}/bias:0`]);
      const inner = g.create_group(name);
      inner.create_dataset({ name: 'kernel:0', data: kernel, shape: kshape, dtype: '<f' });
      inner.create_dataset({ name: 'bias:0', data: bias, shape: [bias.length], dtype: '<f' });
    };
    put('dense', net.kernel1, [net.inputs, net.hidden], net.bias1);
    put('dense_1', net.kernel2, [net.hidden, net.units], net.bias2);
  });
}

/** A TensorFlow.js model.json topology as tfjs 4.22 writes it (layer names 'dense_DenseN'). */
export function tfjsTopology(net: KerasNet): Record<string, unknown> {
  return {
    class_name: 'Sequential',
    config: {
      name: 'sequential_1',
      layers: [
        { class_name: 'Dense', config: { ...denseConfig('dense_Dense1', net.hidden, 'tanh'), batch_input_shape: [null, net.inputs] } },
        { class_name: 'Dense', config: denseConfig('dense_Dense2', net.units, net.output) },
      ],
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

// SPDX-License-Identifier: MIT
/**
 * From a Keras-style model description (TensorFlow.js model.json, Keras 2 `model_config`,
 * Keras 3 `config.json`) to the project's network, and from two Dense layers' parameters to the
 * project's weight vector.
 *
 * Supported: Sequential, or a Functional model whose layers form one chain, made of
 *   [InputLayer] → Dense(H, tanh) → Dense(C ≥ 2, softmax | linear)   or
 *   [InputLayer] → Dense(H, tanh) → Dense(1, sigmoid | linear),
 * where an `Activation`/`Softmax` layer may carry a Dense layer's activation and dropout-type
 * layers (identity at inference) are skipped. A single output unit u is the two-class softmax in
 * another form: σ(u) = 1/(1 + e^(−u)) = e^u/(e^0 + e^u) = softmax([0, u])₁, so
 * W2 = [[0 … 0], [w]] and b2 = [0, b] give exactly the same probability of class 1.
 */
import { LandscapeError } from '@lossscape/numeric';
import { weightLayout, type ModelSpec } from '../model.js';
import type { ImportedModel, OutputMapping } from './types.js';

/** One layer of a Keras-style topology, normalised across Keras 2, Keras 3 and tfjs. */
export interface KerasLayer {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Names of the layers feeding this one (Functional models only). */
  readonly inbound?: readonly string[];
}

export interface DenseLayerInfo {
  readonly name: string;
  /** 1-based position in the source's layer list (for error messages). */
  readonly position: number;
  readonly units: number;
  readonly useBias: boolean;
}

export interface DenseStack {
  /** Feature count declared by an InputLayer or `batch_input_shape`, if any. */
  readonly inputs?: number;
  readonly hidden: DenseLayerInfo;
  readonly output: DenseLayerInfo;
  readonly mapping: Exclude<OutputMapping, 'vector'>;
  readonly notes: readonly string[];
}

/** Parameters of one Dense/Linear layer as stored in a file. */
export interface DenseParameters {
  readonly kernel: ArrayLike<number>;
  readonly kernelShape: readonly number[];
  /** Absent when the layer has no bias (use_bias = false). */
  readonly bias?: ArrayLike<number>;
  readonly biasShape?: readonly number[];
}

/** Keras and tfjs store kernels [inputs, units]; PyTorch stores weights [out, in]. */
export type KernelOrientation = 'inputs-units' | 'out-in';

const IDENTITY_AT_INFERENCE = new Set(['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization']);

export function unsupported(message: string): LandscapeError {
  return new LandscapeError(message, 'ERR_UNSUPPORTED_MODEL');
}

export function malformed(message: string): LandscapeError {
  return new LandscapeError(message, 'ERR_MODEL_FORMAT');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The activation of a layer config: a name, or 'linear' when absent. */
function activationName(value: unknown): string {
  if (value === undefined || value === null) return 'linear';
  if (typeof value === 'string') return value.toLowerCase();
  if (isRecord(value)) {
    // Keras 3 may serialise built-in activations as { class_name: 'function', config: 'tanh' } or a registered object.
    if (typeof value.config === 'string') return value.config.toLowerCase();
    if (typeof value.class_name === 'string') return value.class_name.toLowerCase();
  }
  return String(value);
}

/** Layer names feeding a layer, from Keras 2/tfjs (`[[["in", 0, 0, {}]]]`) or Keras 3 (`keras_history`) nodes. */
function inboundNames(nodes: unknown): { names: string[]; nodeCount: number } | undefined {
  if (!Array.isArray(nodes)) return undefined;
  const names: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      if (v.length >= 3 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number') {
        names.push(v[0]);
        return;
      }
      v.forEach(visit);
    } else if (isRecord(v)) {
      if (Array.isArray(v.keras_history) && typeof v.keras_history[0] === 'string') {
        names.push(v.keras_history[0]);
        return;
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(nodes);
  return { names, nodeCount: nodes.length };
}

/**
 * The layer list of a Keras-style topology. Accepts `{ class_name, config }`, the same wrapped
 * in `{ model_config }` (tfjs-converter output), and Keras 3's `{ module, class_name, config }`.
 */
export function kerasLayers(topology: unknown, where: string): KerasLayer[] {
  let t = topology;
  if (isRecord(t) && isRecord(t.model_config)) t = t.model_config;
  if (!isRecord(t) || typeof t.class_name !== 'string') {
    throw malformed(`Expected a Keras model topology { class_name, config } for ${where} but received ${isRecord(t) ? 'an object without class_name' : typeof t}`);
  }
  const className = t.class_name;
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional') {
    throw unsupported(`Expected a Sequential or Functional model for ${where} but received model class '${className}' (subclassed models carry no architecture)`);
  }
  const config = t.config;
  const list = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(list)) throw malformed(`Expected config.layers (an array) for ${where} but received ${typeof list}`);
  return list.map((entry, k): KerasLayer => {
    if (!isRecord(entry) || typeof entry.class_name !== 'string' || !isRecord(entry.config)) {
      throw malformed(`Expected { class_name, config } for layer ${k + 1} of ${where} but received ${JSON.stringify(entry)?.slice(0, 80)}`);
    }
    const name = typeof entry.config.name === 'string' ? entry.config.name : typeof entry.name === 'string' ? entry.name : `layer_${k + 1}`;
    const inbound = className === 'Sequential' ? undefined : inboundNames(entry.inbound_nodes);
    if (inbound && inbound.nodeCount > 1) {
      throw unsupported(`Expected each layer to be called once for ${where} but received layer '${name}' (${entry.class_name}, layer ${k + 1}) called ${inbound.nodeCount} times`);
    }
    return { className: entry.class_name, name, config: entry.config, ...(inbound ? { inbound: inbound.names } : {}) };
  });
}

/** Per-sample feature count from `batch_input_shape` / `batch_shape` ([null, I]) or `input_shape` ([I]). */
function declaredInputs(layer: KerasLayer, where: string): number | undefined {
  const c = layer.config;
  const batch = (c.batch_input_shape ?? c.batch_shape) as unknown;
  const shape = Array.isArray(batch) ? batch.slice(1) : Array.isArray(c.input_shape) ? c.input_shape : undefined;
  if (shape === undefined) return undefined;
  if (shape.length !== 1 || typeof shape[0] !== 'number') {
    throw unsupported(
      `Expected one feature axis (input shape [null, inputs]) for layer '${layer.name}' (${layer.className}) of ${where} but received input shape ${JSON.stringify(batch ?? c.input_shape)}`,
    );
  }
  return shape[0];
}

/**
 * Checks that the layers are the project's network and says how its output maps to a softmax.
 * Errors name the layer and why (ERR_UNSUPPORTED_MODEL).
 */
export function analyseDenseStack(layers: readonly KerasLayer[], where: string): DenseStack {
  const notes: string[] = [];
  let inputs: number | undefined;
  const dense: Array<{ info: DenseLayerInfo; activation: string; layer: KerasLayer }> = [];
  let previous: string | undefined;
  layers.forEach((layer, k) => {
    const position = k + 1;
    const label = `layer '${layer.name}' (${layer.className}, layer ${position}) of ${where}`;
    if (layer.inbound !== undefined && layer.className !== 'InputLayer') {
      const ok = layer.inbound.length === 1 && (previous === undefined || layer.inbound[0] === previous);
      if (!ok) {
        throw unsupported(`Expected a single chain of layers for ${label} but received inputs from ${layer.inbound.length ? layer.inbound.map((n) => `'${n}'`).join(', ') : 'no layer'}`);
      }
    }
    previous = layer.name;
    switch (layer.className) {
      case 'InputLayer':
        if (k !== 0) throw unsupported(`Expected the InputLayer first for ${label} but received it at position ${position}`);
        inputs = declaredInputs(layer, where);
        return;
      case 'Dense': {
        if (dense.length === 0) inputs ??= declaredInputs(layer, where);
        const units = layer.config.units;
        if (typeof units !== 'number' || !Number.isInteger(units) || units < 1) throw malformed(`Expected a positive integer units for ${label} but received ${JSON.stringify(units)}`);
        if (dense.length === 2) {
          throw unsupported(
            `Expected exactly two Dense layers (one tanh hidden layer and an output layer) for ${where} but received a third, ${label.replace(/ of .*$/, '')}`,
          );
        }
        const useBias = layer.config.use_bias !== false;
        dense.push({ info: { name: layer.name, position, units, useBias }, activation: activationName(layer.config.activation), layer });
        return;
      }
      case 'Activation':
      case 'Softmax': {
        const activation = layer.className === 'Softmax' ? 'softmax' : activationName(layer.config.activation);
        const last = dense[dense.length - 1];
        if (!last) throw unsupported(`Expected an activation only after a Dense layer for ${label} but received '${activation}' before any Dense layer`);
        if (last.activation !== 'linear') {
          throw unsupported(`Expected at most one activation per Dense layer for ${label} but received '${activation}' after '${last.activation}' of '${last.info.name}'`);
        }
        if (layer.className === 'Softmax' && layer.config.axis !== undefined && layer.config.axis !== -1 && layer.config.axis !== 1) {
          throw unsupported(`Expected a softmax over the last axis for ${label} but received axis ${JSON.stringify(layer.config.axis)}`);
        }
        last.activation = activation;
        return;
      }
      default:
        if (IDENTITY_AT_INFERENCE.has(layer.className)) {
          notes.push(`${layer.className} layer '${layer.name}' skipped (identity at inference)`);
          return;
        }
        throw unsupported(
          `Expected only InputLayer, Dense, Activation and dropout layers for ${where} but received ${label.replace(/ of .*$/, '')}, which the project's network Dense(tanh) → Dense(output) cannot represent`,
        );
    }
  });
  if (dense.length < 2) {
    throw unsupported(
      `Expected two Dense layers (a tanh hidden layer and an output layer) for ${where} but received ${dense.length === 0 ? 'none' : `only '${dense[0].info.name}'`}`,
    );
  }
  const [hidden, output] = dense;
  if (hidden.activation !== 'tanh') {
    throw unsupported(
      `Expected activation 'tanh' (the project's hidden layer) for layer '${hidden.info.name}' (Dense, layer ${hidden.info.position}) of ${where} but received '${hidden.activation}'`,
    );
  }
  const outLabel = `layer '${output.info.name}' (Dense, layer ${output.info.position}) of ${where}`;
  let mapping: DenseStack['mapping'];
  if (output.info.units >= 2) {
    if (output.activation === 'softmax') mapping = 'softmax';
    else if (output.activation === 'linear') mapping = 'logits';
    else {
      throw unsupported(`Expected activation 'softmax' or none for ${outLabel} with ${output.info.units} units but received '${output.activation}'`);
    }
  } else if (output.activation === 'sigmoid') mapping = 'sigmoid';
  else if (output.activation === 'linear') mapping = 'logit';
  else throw unsupported(`Expected activation 'sigmoid' or none for ${outLabel} with 1 unit but received '${output.activation}'`);
  if (mapping === 'logits') notes.push(`output layer '${output.info.name}' has no activation: its outputs are taken as logits of a softmax`);
  if (mapping === 'sigmoid' || mapping === 'logit') notes.push(`one output unit u mapped to two classes: σ(u) = softmax([0, u])₁, so W2 row 0 and b2[0] are 0`);
  if (!hidden.info.useBias) notes.push(`hidden layer '${hidden.info.name}' has no bias: b1 = 0`);
  if (!output.info.useBias) notes.push(`output layer '${output.info.name}' has no bias: b2 = 0`);
  return { ...(inputs !== undefined ? { inputs } : {}), hidden: hidden.info, output: output.info, mapping, notes };
}

function checkShape(what: string, shape: readonly number[] | undefined, length: number, expected: readonly number[]): void {
  const ok = shape !== undefined && shape.length === expected.length && shape.every((d, i) => d === expected[i]);
  if (!ok || length !== expected.reduce((a, b) => a * b, 1)) {
    throw malformed(`Expected shape [${expected.join(', ')}] for ${what} but received [${shape?.join(', ') ?? ''}] (${length} values)`);
  }
}

/**
 * The project's weight vector from the two layers' parameters. `hidden.kernelShape` gives the
 * feature count; every other shape is checked against it.
 */
export function assembleWeights(
  hiddenParams: DenseParameters,
  outputParams: DenseParameters,
  orientation: KernelOrientation,
  mapping: DenseStack['mapping'],
  where: string,
  names: readonly [string, string] = ['hidden layer', 'output layer'],
): { model: ModelSpec; weights: Float64Array } {
  const [hiddenName, outputName] = names;
  const ks1 = hiddenParams.kernelShape;
  const ks2 = outputParams.kernelShape;
  if (ks1.length !== 2 || ks2.length !== 2) {
    throw malformed(`Expected rank-2 kernels for ${where} but received shapes [${ks1.join(', ')}] (${hiddenName}) and [${ks2.join(', ')}] (${outputName})`);
  }
  const [inputs, hidden] = orientation === 'inputs-units' ? [ks1[0], ks1[1]] : [ks1[1], ks1[0]];
  const units = orientation === 'inputs-units' ? ks2[1] : ks2[0];
  const kernel2Expected = orientation === 'inputs-units' ? [hidden, units] : [units, hidden];
  checkShape(`the kernel of ${hiddenName} in ${where}`, ks1, hiddenParams.kernel.length, ks1);
  checkShape(`the kernel of ${outputName} in ${where}`, ks2, outputParams.kernel.length, kernel2Expected);
  if (hiddenParams.bias) checkShape(`the bias of ${hiddenName} in ${where}`, hiddenParams.biasShape ?? [hiddenParams.bias.length], hiddenParams.bias.length, [hidden]);
  if (outputParams.bias) checkShape(`the bias of ${outputName} in ${where}`, outputParams.biasShape ?? [outputParams.bias.length], outputParams.bias.length, [units]);
  const single = mapping === 'sigmoid' || mapping === 'logit';
  if (single && units !== 1) throw malformed(`Expected 1 output unit for ${outputName} in ${where} but received ${units}`);
  if (!single && units < 2) throw malformed(`Expected at least 2 output units for ${outputName} in ${where} but received ${units}`);
  const classes = single ? 2 : units;
  const model: ModelSpec = { inputs, hidden, classes };
  const layout = weightLayout(model);
  const w = new Float64Array(layout.count);
  const k1 = hiddenParams.kernel;
  for (let h = 0; h < hidden; h++) {
    for (let i = 0; i < inputs; i++) {
      w[layout.w1 + h * inputs + i] = orientation === 'inputs-units' ? k1[i * hidden + h] : k1[h * inputs + i];
    }
    w[layout.b1 + h] = hiddenParams.bias ? hiddenParams.bias[h] : 0;
  }
  const k2 = outputParams.kernel;
  const firstRow = single ? 1 : 0; // a single unit becomes class 1; class 0 keeps zero weights
  for (let u = 0; u < units; u++) {
    const k = u + firstRow;
    for (let h = 0; h < hidden; h++) {
      w[layout.w2 + k * hidden + h] = orientation === 'inputs-units' ? k2[h * units + u] : k2[u * hidden + h];
    }
    w[layout.b2 + k] = outputParams.bias ? outputParams.bias[u] : 0;
  }
  return { model, weights: w };
}

/** The imported model from an analysed stack and its two layers' parameters (Keras orientation). */
export function importedFromStack(
  stack: DenseStack,
  params: readonly [DenseParameters, DenseParameters],
  format: ImportedModel['format'],
  where: string,
  path?: string,
): ImportedModel {
  const { model, weights } = assembleWeights(params[0], params[1], 'inputs-units', stack.mapping, where, [
    `layer '${stack.hidden.name}'`,
    `layer '${stack.output.name}'`,
  ]);
  if (model.hidden !== stack.hidden.units) {
    throw malformed(`Expected ${stack.hidden.units} units (its config) for the kernel of layer '${stack.hidden.name}' in ${where} but received ${model.hidden}`);
  }
  const outputUnits = stack.mapping === 'sigmoid' || stack.mapping === 'logit' ? 1 : model.classes;
  if (outputUnits !== stack.output.units) {
    throw malformed(`Expected ${stack.output.units} units (its config) for the kernel of layer '${stack.output.name}' in ${where} but received ${outputUnits}`);
  }
  if (stack.inputs !== undefined && stack.inputs !== model.inputs) {
    throw malformed(`Expected ${stack.inputs} inputs (the declared input shape) for the kernel of layer '${stack.hidden.name}' in ${where} but received ${model.inputs}`);
  }
  return {
    model,
    weights,
    format,
    output: stack.mapping,
    layers: [stack.hidden.name, stack.output.name],
    ...(path !== undefined ? { path } : {}),
    notes: stack.notes,
  };
}

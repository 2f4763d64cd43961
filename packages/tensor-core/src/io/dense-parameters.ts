// SPDX-License-Identifier: MIT
/**
 * Finding the two Dense layers' kernel and bias among a file's named arrays. Names differ across
 * writers ('dense_Dense1/kernel', 'sequential/dense/kernel:0', 'dense/kernel'), so a layer's
 * arrays are matched by the last two path segments; when that fails the arrays are taken in
 * stored order (kernel, then bias, per Dense layer), which is how Keras and tfjs write them.
 */
import { malformed, type DenseLayerInfo, type DenseParameters } from './architecture.js';

export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
}

function segments(name: string): string[] {
  return name.replace(/:\d+$/, '').split('/');
}

function byName(layer: DenseLayerInfo, arrays: readonly NamedArray[]): DenseParameters | undefined {
  const find = (variable: string) =>
    arrays.find((a) => {
      const s = segments(a.name);
      return s.length >= 2 && s[s.length - 1] === variable && s[s.length - 2] === layer.name;
    });
  const kernel = find('kernel');
  const bias = layer.useBias ? find('bias') : undefined;
  if (!kernel || (layer.useBias && !bias)) return undefined;
  return { kernel: kernel.values, kernelShape: kernel.shape, ...(bias ? { bias: bias.values, biasShape: bias.shape } : {}) };
}

/** Kernel and bias of each Dense layer (in order), by name or else by stored order. */
export function denseParameters(layers: readonly DenseLayerInfo[], arrays: readonly NamedArray[], where: string): DenseParameters[] {
  const named = layers.map((l) => byName(l, arrays));
  if (named.every((p) => p !== undefined)) return named as DenseParameters[];
  const needed = layers.reduce((n, l) => n + (l.useBias ? 2 : 1), 0);
  if (arrays.length !== needed) {
    throw malformed(
      `Expected ${needed} weight arrays (kernel${layers.some((l) => l.useBias) ? ' and bias' : ''} of Dense layers ${layers.map((l) => `'${l.name}'`).join(', ')}) for ${where} but received ${arrays.length}${arrays.length ? ` (${arrays.map((a) => a.name).join(', ')})` : ''}`,
    );
  }
  let k = 0;
  return layers.map((layer) => {
    const kernel = arrays[k++];
    const bias = layer.useBias ? arrays[k++] : undefined;
    if (kernel.shape.length !== 2 || (bias && bias.shape.length !== 1)) {
      throw malformed(
        `Expected a rank-2 kernel${bias ? ' and a rank-1 bias' : ''} for layer '${layer.name}' in ${where} but received '${kernel.name}' [${kernel.shape.join(', ')}]${bias ? ` and '${bias.name}' [${bias.shape.join(', ')}]` : ''}`,
      );
    }
    return { kernel: kernel.values, kernelShape: kernel.shape, ...(bias ? { bias: bias.values, biasShape: bias.shape } : {}) };
  });
}

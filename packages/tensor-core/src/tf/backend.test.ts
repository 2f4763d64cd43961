// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableTfBackends, currentTfBackend, initTfBackend, wasmDirectory } from './backend.js';

describe('initTfBackend', () => {
  it('auto picks tensorflow when tfjs-node loads, else wasm with its shipped .wasm files', async () => {
    const info = await initTfBackend();
    const tensorflow = info.attempts.find((a) => a.backend === 'tensorflow')!;
    if (tensorflow.ok) {
      expect(info.backend).toBe('tensorflow');
    } else {
      // These machines cannot install tfjs-node (libtensorflow comes from outside the npm registry).
      expect(tensorflow.reason).toMatch(/not installed|failed to load/);
      expect(info.backend).toBe('wasm');
      expect(info.simd).toBe(true);
      expect(existsSync(path.join(wasmDirectory(), 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
    }
    expect(currentTfBackend()).toBe(info.backend);
  });

  it('forces a named backend, lists the usable ones, and refuses unknown names', async () => {
    expect((await initTfBackend({ backend: 'cpu' })).backend).toBe('cpu');
    const usable = await availableTfBackends();
    expect(usable).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    expect(currentTfBackend()).toBe('cpu');
    await expect(initTfBackend({ backend: 'webgpu' as never })).rejects.toThrow(/^Expected 'auto' or one of 'tensorflow', 'wasm', 'cpu' for backend/);
  });
});

// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { lossKinds, lossRegistry, resolveLoss } from './losses/registry.js';

describe('loss registry', () => {
  it('lists each loss once, with DESIGN.md defaults', () => {
    expect(lossKinds).toEqual(['ce', 'sigmoid', 'tanh', 'hinge', 'exp', 'quad']);
    expect(lossRegistry.size).toBe(6);
    expect(lossRegistry.get('sigmoid')!.defaults).toEqual({ beta: 40 });
    expect(lossRegistry.get('tanh')!.defaults).toEqual({ beta: 1 });
    expect(lossRegistry.get('exp')!.defaults).toEqual({ beta: 1 });
    expect(lossRegistry.get('hinge')!.defaults).toEqual({ margin: 1 });
    expect(lossRegistry.get('quad')!.defaults).toEqual({ margin: 1 });
    for (const [kind, def] of lossRegistry) expect(def.kind).toBe(kind);
  });

  it('cannot be changed from outside', () => {
    expect((lossRegistry as unknown as { set?: unknown }).set).toBeUndefined();
    expect(Object.isFrozen(lossRegistry)).toBe(true);
    const sigmoid = lossRegistry.get('sigmoid')!;
    expect(Object.isFrozen(sigmoid) && Object.isFrozen(sigmoid.defaults) && Object.isFrozen(lossKinds)).toBe(true);
    expect(() => {
      (sigmoid.defaults as { beta: number }).beta = 1;
    }).toThrow(TypeError);
  });

  it('resolves specs with defaults, NaN for parameters a loss does not take', () => {
    expect(resolveLoss({ kind: 'sigmoid' }).parameters).toEqual({ beta: 40, margin: NaN });
    expect(resolveLoss({ kind: 'hinge', margin: 0.5 }).parameters).toEqual({ beta: NaN, margin: 0.5 });
    expect(() => resolveLoss(null)).toThrow(/^Expected an object \{ kind: 'ce' \| 'sigmoid'/);
  });
});

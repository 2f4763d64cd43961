// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createRng, TOL, type Rng } from '@lossscape/numeric';
import { computeDisconnectivity, type DisconnectivityInput, type DisconnectivityTree } from './tree.js';
import { layoutDisconnectivity, type DisconnectivityLayout, type LayoutSegment } from './layout.js';
import { renderDisconnectivitySvg } from './svg.js';
import { renderDisconnectivityPng } from './png.js';
import { renderDisconnectivityText } from './text.js';
import { colourRamp, minimumValues } from './colour.js';
import type { MinimumRecord } from '../records.js';

/**
 * Hand-made landscape (energies chosen so every cut is easy to follow):
 *   minima 1:0, 4:0.5, 2:1, 3:2, 5:3 (5 has no transition state)
 *   TS 1–4 at 2.5, 1–2 at 4, 2–3 at 5
 * Levels 6, 5, 4, 3, 2, 1 (top 6, delta 1). By hand:
 *   E=6: {1,4,2,3} and {5} → roots A and leaf 5
 *   E=5: {1,4,2,3}         → B (chain below A)
 *   E=4: {1,4,2} and {3}   → C and leaf 3 (top at 4)
 *   E=3: {1,4} and {2}     → D and leaf 2 (top at 3)
 *   E=2: {1} and {4}       → leaves 1 and 4 (top at 2)
 */
const HAND: DisconnectivityInput = {
  minima: [
    { id: 1, energy: 0 },
    { id: 2, energy: 1 },
    { id: 3, energy: 2 },
    { id: 4, energy: 0.5 },
    { id: 5, energy: 3 },
  ],
  transitionStates: [
    { energy: 4, minimum1: 1, minimum2: 2 },
    { energy: 5, minimum1: 2, minimum2: 3 },
    { energy: 2.5, minimum1: 1, minimum2: 4 },
  ],
};
const HAND_OPTIONS = { levels: 6, topEnergy: 6, delta: 1 };

function describeTree(tree: DisconnectivityTree): string[] {
  return tree.nodes.map((n) =>
    n.kind === 'basin'
      ? `basin@${n.energy}[${n.minima.join(',')}]->${n.children.join(',')}`
      : `leaf ${n.minimum}@${n.energy}..${n.minimumEnergy}`,
  );
}

function randomLandscape(rng: Rng, n: number, t: number): DisconnectivityInput {
  const minima = Array.from({ length: n }, (_, i) => ({ id: i + 1, energy: rng.uniformIn(-10, 0) }));
  const transitionStates = Array.from({ length: t }, () => {
    const a = 1 + rng.int(n);
    const b = 1 + rng.int(n);
    return { energy: Math.max(minima[a - 1].energy, minima[b - 1].energy) + rng.uniformIn(0, 5), minimum1: a, minimum2: b };
  });
  return { minima, transitionStates };
}

/** True when the two segments cross at a point interior to both (touching ends is allowed). */
function properlyCross(s: LayoutSegment, u: LayoutSegment): boolean {
  const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number => {
    const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    return Math.abs(v) <= TOL.F64 ? 0 : Math.sign(v);
  };
  const d1 = orient(s.x1, s.y1, s.x2, s.y2, u.x1, u.y1);
  const d2 = orient(s.x1, s.y1, s.x2, s.y2, u.x2, u.y2);
  const d3 = orient(u.x1, u.y1, u.x2, u.y2, s.x1, s.y1);
  const d4 = orient(u.x1, u.y1, u.x2, u.y2, s.x2, s.y2);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

function crossings(layout: DisconnectivityLayout): number {
  let count = 0;
  const segs = layout.segments;
  for (let i = 0; i < segs.length; i++) for (let j = i + 1; j < segs.length; j++) if (properlyCross(segs[i], segs[j])) count++;
  return count;
}

describe('computeDisconnectivity', () => {
  it('matches the tree worked out by hand', () => {
    const tree = computeDisconnectivity(HAND, HAND_OPTIONS);
    expect(tree.levels).toEqual([6, 5, 4, 3, 2, 1]);
    expect(describeTree(tree)).toEqual([
      'basin@6[1,4,2,3]->1',
      'basin@5[1,4,2,3]->2,7',
      'basin@4[1,4,2]->3,6',
      'basin@3[1,4]->4,5',
      'leaf 1@2..0',
      'leaf 4@2..0.5',
      'leaf 2@3..1',
      'leaf 3@4..2',
      'leaf 5@6..3',
    ]);
    expect(tree.roots).toEqual([0, 8]);
    expect(tree.leafOf.get(5)).toBe(8);
    expect(tree.excludedMinima).toEqual([]);
  });

  it('keeps only the component of the global minimum, or drops isolated minima, on request', () => {
    for (const options of [{ connectedTo: 'global-minimum' as const }, { connectedTo: 1 }, { includeIsolated: false }]) {
      const tree = computeDisconnectivity(HAND, { ...HAND_OPTIONS, ...options });
      expect(tree.roots).toHaveLength(1);
      expect(tree.excludedMinima).toEqual([5]);
      expect([...tree.leafOf.keys()].sort()).toEqual([1, 2, 3, 4]);
    }
    expect(computeDisconnectivity(HAND, { ...HAND_OPTIONS, connectedTo: 5 }).leafOf.size).toBe(1);
  });

  it('cuts at the lowest maxMinima minima and leaves out minima above the first level', () => {
    const cut = computeDisconnectivity(HAND, { ...HAND_OPTIONS, maxMinima: 3 });
    expect([...cut.leafOf.keys()].sort()).toEqual([1, 2, 4]);
    expect([...cut.excludedMinima].sort()).toEqual([3, 5]);
    const low = computeDisconnectivity(HAND, { ...HAND_OPTIONS, topEnergy: 2.7 });
    expect([...low.leafOf.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(low.excludedMinima).toEqual([5]);
    // At 2.7 only TS 1–4 (2.5) is below the level: roots {1,4}, {2}, {3}.
    expect(low.roots).toHaveLength(3);
  });

  it('defaults the first level to the highest transition state, so everything connected is one root', () => {
    const tree = computeDisconnectivity(HAND);
    expect(tree.levels).toHaveLength(20);
    expect(tree.levels[0]).toBe(5);
    expect(tree.levels[1]).toBeCloseTo(5 - 5 / 20, 12);
    expect(tree.roots).toHaveLength(2);
  });

  it('draws a database without transition states as isolated minima', () => {
    const tree = computeDisconnectivity({ minima: HAND.minima, transitionStates: [] });
    expect(tree.roots).toHaveLength(5);
    expect(tree.nodes.every((n) => n.kind === 'leaf')).toBe(true);
    const layout = layoutDisconnectivity(tree);
    expect(layout.leaves.map((l) => l.minimum)).toEqual([1, 4, 2, 3, 5]);
    const text = renderDisconnectivityText(tree, layout, { width: 40, height: 8 });
    expect(text.match(/●/g)).toHaveLength(5);
    expect(renderDisconnectivitySvg(layout).match(/<circle/g)).toHaveLength(5);
    const single = computeDisconnectivity({ minima: [{ id: 7, energy: -1 }], transitionStates: [] });
    expect(renderDisconnectivityText(single, layoutDisconnectivity(single))).toContain('●');
    const none = computeDisconnectivity({ minima: [], transitionStates: [] });
    expect(renderDisconnectivityText(none, layoutDisconnectivity(none))).toContain('no minima');
    expect(renderDisconnectivitySvg(layoutDisconnectivity(none))).toContain('no minima');
  });

  it('every basin holds exactly the minima of its leaves, and children sit at or below their parent', () => {
    const rng = createRng(0xd15c);
    for (let trial = 0; trial < 20; trial++) {
      const input = randomLandscape(rng, 3 + rng.int(30), rng.int(40));
      const tree = computeDisconnectivity(input, { levels: 2 + rng.int(15) });
      const leavesUnder = (id: number): number[] => {
        const n = tree.nodes[id];
        return n.kind === 'leaf' ? [n.minimum] : n.children.flatMap(leavesUnder);
      };
      for (const n of tree.nodes) {
        if (n.parent !== null) expect(n.energy).toBeLessThanOrEqual(tree.nodes[n.parent].energy);
        if (n.kind === 'basin') {
          expect(leavesUnder(n.id).sort((a, b) => a - b)).toEqual([...n.minima].sort((a, b) => a - b));
          expect(n.minima.length).toBeGreaterThan(1);
        } else expect(n.minimumEnergy).toBeLessThanOrEqual(n.energy);
      }
      expect(tree.leafOf.size + tree.excludedMinima.length).toBe(input.minima.length);
    }
  });

  it('rejects bad input with the one message grammar', () => {
    expect(() => computeDisconnectivity({ minima: [{ id: 1, energy: NaN }], transitionStates: [] })).toThrow(
      /^Expected finite energy for minima\[0\]\.energy but received NaN/,
    );
    expect(() => computeDisconnectivity(HAND, { levels: 0 })).toThrow(/^Expected integer between 1 and 100000 for levels but received 0/);
    expect(() => computeDisconnectivity(HAND, { connectedTo: 99 })).toThrow(/for connectedTo but received 99/);
  });
});

describe('layoutDisconnectivity', () => {
  it('places the hand-made tree as worked out by hand', () => {
    const layout = layoutDisconnectivity(computeDisconnectivity(HAND, HAND_OPTIONS));
    expect(layout.leaves.map((l) => [l.minimum, l.x])).toEqual([
      [1, 0],
      [4, 1],
      [2, 2],
      [3, 3],
      [5, 4],
    ]);
    expect(layout.nodes.slice(0, 4).map((n) => n.x)).toEqual([2.125, 2.125, 1.25, 0.5]);
    expect(layout.energyMin).toBe(0);
    expect(layout.energyMax).toBe(6);
    // 8 parent links + 5 leaf lines (every leaf here ends below its top).
    expect(layout.segments.filter((s) => s.kind === 'branch')).toHaveLength(7);
    expect(layout.segments.filter((s) => s.kind === 'leaf')).toHaveLength(5);
  });

  it('never crosses lines, and each subtree owns a contiguous run of leaves', () => {
    const rng = createRng(0x1a70);
    for (let trial = 0; trial < 25; trial++) {
      const tree = computeDisconnectivity(randomLandscape(rng, 4 + rng.int(25), rng.int(40)), { levels: 3 + rng.int(12) });
      for (const order of ['energy', 'centre'] as const) {
        const layout = layoutDisconnectivity(tree, { order });
        expect(crossings(layout)).toBe(0);
        const xs = (id: number): number[] => {
          const n = tree.nodes[id];
          return n.kind === 'leaf' ? [layout.nodes[id].x] : n.children.flatMap(xs);
        };
        for (const n of tree.nodes) {
          const run = xs(n.id).sort((a, b) => a - b);
          expect(run[run.length - 1] - run[0]).toBe(run.length - 1);
        }
      }
    }
  });

  it('centre order puts the lowest child in the middle', () => {
    const tree = computeDisconnectivity(
      {
        minima: [1, 2, 3, 4, 5].map((id) => ({ id, energy: id })),
        transitionStates: [2, 3, 4, 5].map((id) => ({ energy: 10, minimum1: 1, minimum2: id })),
      },
      { levels: 2, topEnergy: 10, delta: 4 },
    );
    const layout = layoutDisconnectivity(tree, { order: 'centre' });
    expect(layout.leaves.map((l) => l.minimum)).toEqual([5, 3, 1, 2, 4]);
  });
});

describe('rendering', () => {
  const tree = computeDisconnectivity(HAND, HAND_OPTIONS);
  const layout = layoutDisconnectivity(tree);
  const minima: MinimumRecord[] = HAND.minima.map((m) => ({
    ...m,
    coordinates: new Float64Array(0),
    rmsGradient: 0,
    hits: 1,
    firstStep: 0,
    chain: 0,
    properties: m.id === 3 ? {} : { testAuc: 0.5 + m.id / 10 },
  }));

  it('colours minima by test AUC by default, grey when the value is missing', () => {
    const values = minimumValues(minima);
    expect([...values.keys()]).toEqual([1, 2, 4, 5]);
    const svg = renderDisconnectivitySvg(layout, { title: 'Hand <made>', colour: { label: 'test AUC', values } });
    expect(svg).toContain('Hand &lt;made&gt;');
    expect(svg).toContain('linearGradient');
    expect(svg.match(/<circle/g)).toHaveLength(5);
    // Lowest value (minimum 1, 0.6) gets the ramp's start, the highest (minimum 5, 1.0) its end.
    expect(svg).toMatch(new RegExp(`minimum 1: 0</title>`));
    expect(svg).toContain(`fill="${colourRamp(0)}"><title>minimum 1:`);
    expect(svg).toContain(`fill="${colourRamp(1)}"><title>minimum 5:`);
    expect(svg).toContain(`fill="${colourRamp(NaN)}"><title>minimum 3:`);
    expect(minimumValues(minima, (m) => -m.energy).get(5)).toBe(-3);
  });

  it('colour ramp runs from dark purple to yellow and clamps', () => {
    expect(colourRamp(0)).toBe('#440154');
    expect(colourRamp(1)).toBe('#fde725');
    expect(colourRamp(2)).toBe('#fde725');
    expect(colourRamp(-1)).toBe('#440154');
  });

  it('rasterises to a PNG of the requested width', async () => {
    const png = await renderDisconnectivityPng(renderDisconnectivitySvg(layout, { width: 400, height: 300 }), { width: 200 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(200); // IHDR width
    expect(view.getUint32(20)).toBe(150); // IHDR height keeps the aspect ratio
    await expect(renderDisconnectivityPng('not svg')).rejects.toThrow(TypeError);
  });

  it('draws a text dendrogram with one dot per minimum and the levels on the axis', () => {
    const text = renderDisconnectivityText(tree, layout, { width: 40, height: 13 });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(14);
    expect(text.match(/●/g)).toHaveLength(5);
    expect(lines[0]).toMatch(/^\s*6\.0 ┤/);
    expect(lines[lines.length - 1]).toContain('5 minima, 6 levels');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    const ascii = renderDisconnectivityText(tree, layout, { width: 40, height: 13, ascii: true });
    expect(ascii).toMatch(/^[\x20-\x7e\n]*$/);
    const graph = ascii.trimEnd().split('\n').slice(0, -1).join('\n');
    expect(graph.match(/o/g)).toHaveLength(5);
  });
});

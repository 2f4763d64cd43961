// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { createFrameSelector, dashboardLines, type FrameOptions } from './frame.js';
import { plainText } from './lines.js';
import { initialDashboard, reduceDashboard, type DashboardState } from './state.js';
import { syntheticRun } from './test-utils/synthetic.js';

const run = { name: 'frame-test', data: 'spiral', loss: 'sigmoid' };
const options: FrameOptions = { view: 'overview', help: false, canPause: true, columns: 100, rows: 30 };

function finished(): DashboardState {
  let s = initialDashboard(run);
  for (const e of syntheticRun({ chains: 2, steps: 300, seed: 5, transitionStateEvery: 2 })) s = reduceDashboard(s, e);
  return s;
}

describe('dashboardLines', () => {
  it('stays within the terminal: fewer lines than rows, no line wider than columns', () => {
    const s = finished();
    for (const view of ['overview', 'minima', 'graph'] as const) {
      for (const [columns, rows] of [
        [40, 12],
        [120, 40],
        [60, 24],
      ]) {
        for (const help of [false, true]) {
          const lines = dashboardLines(s, { ...options, view, help, columns, rows });
          expect(lines.length).toBeLessThan(rows);
          for (const l of lines) expect(plainText(l).length).toBeLessThanOrEqual(columns);
          expect(plainText(lines[lines.length - 1])).toMatch(/q/); // the key bar is always there
        }
      }
    }
  });
});

describe('createFrameSelector', () => {
  it('returns the same frame for the same state and options, and for a state that draws the same text', () => {
    const select = createFrameSelector();
    const s = finished();
    const f1 = select(s, options);
    expect(select(s, { ...options })).toBe(f1);
    // A connection attempt is counted but not drawn in the overview: same frame object.
    const s2 = reduceDashboard(s, { type: 'connection-attempt', chain: -1, elapsedMs: s.elapsedMs, minimum1: 1, minimum2: 2, connected: false, transitionStatesFound: 0, message: '' });
    expect(s2).not.toBe(s);
    expect(select(s2, options)).toBe(f1);
    // A visible change gives a new frame; so does another view.
    const s3 = reduceDashboard(s2, { type: 'warning', chain: 0, elapsedMs: s.elapsedMs, code: 'ERR_X', message: 'visible' });
    const f3 = select(s3, options);
    expect(f3).not.toBe(f1);
    expect(f3.lines.map(plainText).join('\n')).toContain('ERR_X visible');
    expect(select(s3, { ...options, view: 'minima' })).not.toBe(f3);
  });
});

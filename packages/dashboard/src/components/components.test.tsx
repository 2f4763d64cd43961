// SPDX-License-Identifier: MIT
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { initialDashboard, reduceDashboard, type ChainView, type DashboardState, type MinimumView } from '../state.js';
import { syntheticRun } from '../test-utils/synthetic.js';
import { linesOf, plain, widestLine } from '../test-utils/terminal.js';
import { ChainTable } from './chain-table.js';
import { DisconnectivityGraph } from './disconnectivity-graph.js';
import { EnergyHistogram } from './energy-histogram.js';
import { Header } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import { KeyBar } from './key-bar.js';
import { LatestMinima, MinimaList } from './minima-list.js';
import { ProgressBar } from './progress-bar.js';
import { Sparkline } from './sparkline.js';
import { Summary } from './summary.js';
import { Warnings } from './warnings.js';
import { GraphView, MinimaView, OverviewView } from './views.js';

afterEach(cleanup);

const run = { name: 'sigmoid-spiral-2024', data: 'spiral 194 points, 2 features, 80/20 split', loss: 'sigmoid β=40, λ=1e-5' };

function finishedRun(options: Parameters<typeof syntheticRun>[0] = {}): DashboardState {
  let s = initialDashboard(run);
  for (const e of syntheticRun({ chains: 2, steps: 400, seed: 3, ...options })) s = reduceDashboard(s, e);
  return s;
}

const chain = (over: Partial<ChainView>): ChainView => ({
  chain: 0,
  stepsDone: 1234,
  stepBudget: 3000,
  quenches: 1234,
  accepted: 600,
  acceptance: 0.486,
  windowAcceptance: 0.51,
  stepSize: 0.3123,
  temperature: 0.8,
  currentEnergy: -0.91234,
  bestEnergy: -0.93211,
  sinceLastNew: 20,
  reseeds: 0,
  finished: undefined,
  ...over,
});

const minimum = (id: number, energy: number, over: Partial<MinimumView> = {}): MinimumView => ({ id, energy, chain: 0, step: id * 3, elapsedMs: id, ...over });

describe('Header', () => {
  it('shows name, status, elapsed time, data and loss', () => {
    const { lastFrame } = render(<Header run={run} status="paused" elapsedMs={65_000} width={120} />);
    const f = plain(lastFrame());
    expect(f).toContain('Lossscape · sigmoid-spiral-2024');
    expect(f).toContain('❚❚ PAUSED 0:01:05');
    expect(f).toContain('data spiral 194 points, 2 features, 80/20 split · loss sigmoid β=40, λ=1e-5');
  });

  it('fits 40 columns: drops the product name and puts data and loss on their own cut lines', () => {
    const { lastFrame } = render(<Header run={{ ...run, data: 'x'.repeat(80) }} status="running" elapsedMs={0} width={40} />);
    const lines = linesOf(lastFrame());
    expect(lines[0]).not.toContain('Lossscape');
    expect(lines[0]).toContain('● running 0:00:00');
    expect(lines[1]).toMatch(/^data x+…$/);
    expect(lines[2]).toBe('loss sigmoid β=40, λ=1e-5');
    expect(widestLine(lastFrame())).toBeLessThanOrEqual(40);
  });
});

describe('ProgressBar', () => {
  it('shows percentage, label and ETA in exactly the width', () => {
    const { lastFrame } = render(<ProgressBar fraction={0.25} etaMs={30_000} label="750/3000 steps" width={80} />);
    const f = plain(lastFrame());
    expect(f).toMatch(/^█+[▏▎▍▌▋▊▉]?░+ {2}25% {2}750\/3000 steps {2}ETA 0:00:30$/);
    expect([...f]).toHaveLength(80);
  });

  it('drops the label on a narrow line and says when there is no budget', () => {
    const narrow = render(<ProgressBar fraction={0.5} etaMs={NaN} label="a long label that cannot fit" width={40} />);
    expect(plain(narrow.lastFrame())).toMatch(/^█+[▏▎▍▌▋▊▉]?░+ {2}50% ETA –$/);
    expect(widestLine(narrow.lastFrame())).toBeLessThanOrEqual(40);
    const none = render(<ProgressBar fraction={NaN} etaMs={NaN} label="77 steps" width={40} />);
    expect(plain(none.lastFrame())).toBe('no budget · 77 steps');
  });
});

describe('Sparkline', () => {
  it('draws the series in the room left and prints the last value', () => {
    const { lastFrame } = render(<Sparkline values={[0, 1, 2, 3, 5, 8]} label="minima over time" width={60} />);
    expect(plain(lastFrame())).toMatch(/^minima over time ▁[▁▂▃▄▅▆▇█]{4}█ 8$/);
  });
});

describe('Summary', () => {
  it('lists rate, minima, best energy, test AUC and TS; short labels when narrow', () => {
    const s = finishedRun();
    const wide = plain(render(<Summary state={s} width={120} />).lastFrame());
    expect(wide).toMatch(/quench\/s [\d.]+ · minima \d+ · best E -0\.\d+ · test AUC best 0\.\d{4} mean 0\.\d{4} \(\d+\) · TS 0/);
    const narrow = render(<Summary state={s} width={40} />);
    expect(plain(narrow.lastFrame())).toMatch(/q\/s [\d.]+ · min \d+/);
    expect(plain(narrow.lastFrame())).not.toContain('quench/s');
    expect(widestLine(narrow.lastFrame())).toBeLessThanOrEqual(40);
  });
});

describe('ChainTable', () => {
  const chains = [chain({}), chain({ chain: 1, finished: 'stagnation', windowAcceptance: NaN })];

  it('shows every column when wide', () => {
    const lines = linesOf(render(<ChainTable chains={chains} width={120} rows={5} />).lastFrame());
    expect(lines[0]).toMatch(/^chain +steps +acc +window +step size +T +E now +best E +since new state$/);
    expect(lines[1]).toMatch(/^0 +1234\/3000 +0\.49 +0\.51 +0\.312 +0\.8 +-0\.91234 +-0\.93211 +20 running$/);
    expect(lines[2]).toMatch(/–.*✓ stagnation$/);
  });

  it('drops low-priority columns and shortens labels at 40 columns', () => {
    const f = render(<ChainTable chains={chains} width={40} rows={5} />).lastFrame();
    const header = linesOf(f)[0];
    expect(header).toMatch(/^c +steps +acc +step +best/);
    expect(header).not.toMatch(/window|win/);
    expect(header).not.toContain('since new');
    expect(widestLine(f)).toBeLessThanOrEqual(40);
  });

  it('says how many chains it could not show', () => {
    const many = Array.from({ length: 8 }, (_, i) => chain({ chain: i }));
    const lines = linesOf(render(<ChainTable chains={many} width={80} rows={4} />).lastFrame());
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('… 6 more chains');
  });
});

describe('MinimaList and LatestMinima', () => {
  const minima = [minimum(4, -1, { testAuc: 0.97, lpphe: -119.5 }), minimum(9, -0.9, { flag: 'negative eigenvalue' }), minimum(2, -0.5)];

  it('ranks minima with their gap to the lowest and their properties', () => {
    const lines = linesOf(render(<MinimaList minima={minima} title="Lowest" width={120} rows={10} />).lastFrame());
    expect(lines[0]).toBe('Lowest');
    expect(lines[1]).toMatch(/^rank +id +energy +ΔE +test AUC +train AUC +LPPHE +chain +step flag$/);
    expect(lines[2]).toMatch(/^ +1 +#4 +-1 +0 +0\.9700 +– +-119\.5 +0 +12$/);
    expect(lines[3]).toMatch(/^ +2 +#9 +-0\.9 +0\.1 .*negative eigenv…$/);
    expect(lines[4]).toMatch(/^ +3 +#2 +-0\.5 +0\.5 /);
  });

  it('keeps id, energy and AUC at 40 columns, and honours the row limit', () => {
    const f = render(<MinimaList minima={minima} title="Lowest" width={40} rows={4} />).lastFrame();
    const lines = linesOf(f);
    expect(lines[1]).toMatch(/id +energy +AUC/);
    expect(lines).toHaveLength(4);
    expect(widestLine(f)).toBeLessThanOrEqual(40);
  });

  it('says when there are no minima yet; lists the latest newest first', () => {
    expect(plain(render(<MinimaList minima={[]} title="Lowest" width={60} rows={5} />).lastFrame())).toContain('no minima yet');
    const f = plain(render(<LatestMinima minima={[minimum(9, -0.9), minimum(8, -0.8, { testAuc: 0.95 })]} width={80} rows={1} />).lastFrame());
    expect(f).toBe('new: #9 -0.9 · #8 -0.8 AUC 0.9500');
  });
});

describe('EnergyHistogram', () => {
  it('draws one bar per bin whose counts add up to the number of minima', () => {
    const energies = Array.from({ length: 100 }, (_, i) => -1 + (i % 10) / 20);
    const lines = linesOf(render(<EnergyHistogram energies={energies} width={80} rows={5} />).lastFrame());
    expect(lines).toHaveLength(5);
    const counts = lines.map((l) => Number(/(\d+)$/.exec(l)![1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(lines[0]).toMatch(/^ *-1 … -0\.91 █+ +20$/);
  });

  it('fits 40 columns with lower edges only', () => {
    const f = render(<EnergyHistogram energies={[1, 2, 3, 4]} width={40} rows={4} />).lastFrame();
    expect(linesOf(f)[0]).toMatch(/^ *1 █+ 1$/);
    expect(widestLine(f)).toBeLessThanOrEqual(40);
  });
});

describe('DisconnectivityGraph', () => {
  it('draws the landscape package’s text graph of the given minima and transition states', () => {
    const minima = [minimum(1, -1), minimum(2, -0.8), minimum(3, -0.6)];
    const ts = [
      { id: 1, energy: -0.2, minimum1: 1, minimum2: 2 },
      { id: 2, energy: 0, minimum1: 2, minimum2: 3 },
    ];
    const f = render(<DisconnectivityGraph minima={minima} transitionStates={ts} width={60} rows={12} />).lastFrame();
    const text = plain(f);
    expect(text.match(/●/g)).toHaveLength(3);
    expect(text).toContain('3 minima');
    expect(widestLine(f)).toBeLessThanOrEqual(60);
  });

  it('says so when the terminal is too small', () => {
    const f = render(<DisconnectivityGraph minima={[minimum(1, 0)]} transitionStates={[]} width={40} rows={3} />).lastFrame();
    expect(plain(f)).toBe('terminal too small for the graph');
  });
});

describe('Warnings', () => {
  const warnings = Array.from({ length: 5 }, (_, i) => ({ elapsedMs: 1000 * (5 - i), chain: 1, code: 'ERR_NOT_CONVERGED', message: `quench ${5 - i}\nfailed` }));

  it('shows the total and the newest ones on single lines', () => {
    const lines = linesOf(render(<Warnings warnings={warnings} total={25} width={120} rows={3} />).lastFrame());
    expect(lines).toEqual(['warnings (25)', '0:00:05 c1 ERR_NOT_CONVERGED quench 5 failed', '0:00:04 c1 ERR_NOT_CONVERGED quench 4 failed']);
  });

  it('renders nothing without warnings', () => {
    expect(plain(render(<Warnings warnings={[]} total={0} width={80} rows={3} />).lastFrame())).toBe('');
  });
});

describe('HelpOverlay and KeyBar', () => {
  it('lists every key, and says when pausing is not available', () => {
    const f = plain(render(<HelpOverlay canPause={false} width={120} />).lastFrame());
    for (const key of ['p', 'q', '?', '1', '2', '3', 'tab']) expect(f).toMatch(new RegExp(`^${key.replace('?', '\\?')} +\\S`, 'm'));
    expect(f).toContain('pause (not available: read-only)');
  });

  it('marks the current view and shortens at 40 columns', () => {
    expect(plain(render(<KeyBar view="minima" canPause paused={false} width={100} />).lastFrame())).toBe('1 overview [2 minima] 3 graph · p pause · q quit · ? help');
    expect(plain(render(<KeyBar view="graph" canPause={false} paused={false} width={40} />).lastFrame())).toBe('1 2 [3] q ?');
  });
});

describe('views', () => {
  const s = finishedRun({ transitionStateEvery: 0 });

  it('overview fits 40 and 120 columns', () => {
    for (const width of [40, 120]) {
      const f = render(<OverviewView state={s} width={width} rows={20} />).lastFrame();
      expect(plain(f)).toContain('100%');
      expect(widestLine(f)).toBeLessThanOrEqual(width);
    }
  });

  it('minima view lists the lowest minima', () => {
    const f = plain(render(<MinimaView state={s} width={100} rows={12} />).lastFrame());
    expect(f).toContain(`Lowest minima (${s.lowestMinima.length} kept of ${s.distinctMinima} distinct)`);
    expect(f).toContain(`#${s.lowestMinima[0].id}`);
  });

  it('graph view: a histogram before any transition state, the disconnectivity graph after', () => {
    expect(plain(render(<GraphView state={s} width={100} rows={12} />).lastFrame())).toContain('Energy histogram of the lowest');
    const withTs = finishedRun({ transitionStateEvery: 2 });
    const f = plain(render(<GraphView state={withTs} width={100} rows={16} />).lastFrame());
    expect(f).toContain('Disconnectivity graph of the lowest');
    expect(f).toContain('●');
  });
});

// SPDX-License-Identifier: MIT
/**
 * Named starting points for `explore`. Flags and a config file override them.
 * - demo: a few minutes on the spirals' sigmoid landscape — what `npm start` runs.
 * - overnight: ten hours, two chains, transition states, stops early once discovery stalls.
 */
import type { ExploreConfigInput } from './schema.js';

export const PRESETS = Object.freeze({
  demo: {
    name: 'demo',
    dataset: { kind: 'spiral' },
    loss: { kind: 'sigmoid' },
    sampler: { steps: null, timeMinutes: 3, chains: 1 },
    transitionStates: { enabled: true, neighbours: 1, maxAttempts: 200 },
  },
  overnight: {
    name: 'overnight',
    dataset: { kind: 'spiral' },
    loss: { kind: 'sigmoid' },
    sampler: { steps: null, timeMinutes: 600, chains: 2, stopAfterNoNew: 20000 },
    transitionStates: { enabled: true, neighbours: 2, maxAttempts: 20000 },
  },
} satisfies Record<string, ExploreConfigInput>);

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

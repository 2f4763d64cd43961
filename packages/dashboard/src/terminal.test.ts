// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { isInteractiveTerminal } from './terminal.js';

describe('isInteractiveTerminal', () => {
  const tty = { isTTY: true };
  it('is true for a TTY outside CI', () => {
    expect(isInteractiveTerminal(tty, {})).toBe(true);
    expect(isInteractiveTerminal(tty, { CI: 'false' })).toBe(true);
    expect(isInteractiveTerminal(tty, { CI: '0', TERM: 'xterm-256color' })).toBe(true);
  });
  it('is false in CI (Ink would draw only the last frame), for pipes and for dumb terminals', () => {
    expect(isInteractiveTerminal(tty, { CI: 'true' })).toBe(false);
    expect(isInteractiveTerminal(tty, { CI: '' })).toBe(false);
    expect(isInteractiveTerminal(tty, { CONTINUOUS_INTEGRATION: '1' })).toBe(false);
    expect(isInteractiveTerminal({ isTTY: false }, {})).toBe(false);
    expect(isInteractiveTerminal({}, {})).toBe(false);
    expect(isInteractiveTerminal(undefined, {})).toBe(false);
    expect(isInteractiveTerminal(tty, { TERM: 'dumb' })).toBe(false);
  });
});

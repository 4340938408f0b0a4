import assert from 'node:assert/strict';
import { terminal } from '../../lib/core/color.ts';

describe('core/color', () => {
  const tty = { isTTY: true };
  it('colours and redraws a terminal; nothing off one', () => {
    assert.deepEqual(terminal(tty, { TERM: 'xterm-256color' }), { color: true, redraw: true });
    assert.deepEqual(terminal({ isTTY: false }, {}), { color: false, redraw: false });
  });
  it('honours NO_COLOR (any non-empty value), TERM=dumb and CI', () => {
    assert.deepEqual(terminal(tty, { NO_COLOR: '1' }), { color: false, redraw: true });
    assert.deepEqual(terminal(tty, { NO_COLOR: '' }), { color: true, redraw: true });
    assert.deepEqual(terminal(tty, { TERM: 'dumb' }), { color: false, redraw: false });
    assert.deepEqual(terminal(tty, { CI: 'true' }), { color: true, redraw: false });
  });
});

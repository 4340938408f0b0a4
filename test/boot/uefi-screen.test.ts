// A UEFI console's cursor moves and colours played onto rows: what a person would read.
import assert from 'node:assert/strict';
import { screenRows } from '../../lib/boot/uefi-screen.ts';

describe('boot/uefi-screen', () => {
  it('places text by ESC [ row ; col H, ignores colours, keeps the last drawing of a cell', () => {
    const raw = '\x1b[2J\x1b[2;3Hab\x1b[1m\x1b[33m\x1b[2;3HX\x1b[0m\x1b[1;1Htop';
    assert.deepEqual(screenRows(raw), ['top', '  Xb']);
  });

  it('clears on ESC [ 2 J and erases to the end of the line on ESC [ K', () => {
    assert.deepEqual(screenRows('old\r\nlines\x1b[2J\x1b[1;1Hnew'), ['new']);
    assert.deepEqual(screenRows('abcdef\x1b[1;3H\x1b[K'), ['ab']);
  });

  it('follows CR, LF and backspace like a terminal, and skips an unknown escape', () => {
    assert.deepEqual(screenRows('one\r\ntwo\bO\x1b(Bx\rT'), ['one', 'TwOx']);
  });
});

import assert from 'node:assert/strict';
import { printable } from '../../lib/core/printable.ts';

describe('core/printable', () => {
  it('shows C0, ESC, DEL and C1 bytes as escapes, so a peer cannot drive the terminal', () => {
    const hostile = 'ok\x1b]0;pwned\x07\x1b[2J\r\x9b31m\x7f\x00\u202ehidden';
    const shown = printable(hostile);
    assert.equal(shown, 'ok\\e]0;pwned\\x07\\e[2J\\r\\x9b31m\\x7f\\x00\\u202ehidden');
    assert.doesNotMatch(shown, /[\x00-\x1f\x7f-\x9f\u202e]/);
  });

  it('keeps line feeds and tabs of a multi-line tail when asked', () => {
    assert.equal(printable('a\tb\nc\x1b[0m', { multiline: true }), 'a\tb\nc\\e[0m');
    assert.equal(printable('a\nb'), 'a\\nb');
  });

  it('caps the length, escapes included', () => {
    assert.equal(printable('x'.repeat(500), { max: 10 }), `${'x'.repeat(10)}…`);
    assert.equal(printable('\x1b'.repeat(100), { max: 6 }), '\\e\\e\\e…');
    assert.equal(printable('short'), 'short');
  });
});

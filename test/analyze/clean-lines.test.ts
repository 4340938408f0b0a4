import assert from 'node:assert/strict';
import { cleanParts } from '../../lib/analyze/clean-lines.ts';
import { toLines } from '../../lib/core/text.ts';
import { textFixtures } from '../fixtures/text-files.ts';

const slow = (raw: string) => toLines(raw).map((l) => l.text);

describe('analyze/clean-lines', () => {
  it('gives what toLines gives for lines its fast path must turn away', () => {
    const tricky = [
      '',
      'plain',
      'trailing space ',
      'trailing tab\t',
      'tab\tinside',
      '\x1b[32mgreen\x1b[0m',
      'bell\x07 and del\x7f',
      'nbsp at the end\u00a0',
      'line sep at the end\u2028',
      '(XEN) alone',
      'Booting from ROM..(XEN) Xen version 4.8.3',
      '(XEN) one(XEN) two',
      'x\u2028(XEN) not glued: . does not cross a line separator',
      '(XEN)no space',
      '   ',
    ];
    for (const raw of tricky) assert.deepEqual(cleanParts(raw), slow(raw), JSON.stringify(raw));
  });

  it('gives what toLines gives on every line of every text fixture', () => {
    let n = 0;
    for (const [path, text] of textFixtures()) {
      for (const raw of text.split(/\r\n|\n|\r/)) {
        assert.deepEqual(cleanParts(raw), slow(raw), `${path}: ${JSON.stringify(raw)}`);
        n++;
      }
    }
    assert.ok(n > 1000, `only ${n} lines`);
  });
});

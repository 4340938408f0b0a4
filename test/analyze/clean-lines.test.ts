import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanParts } from '../../lib/analyze/clean-lines.ts';
import { looksBinary } from '../../lib/analyze/read-input.ts';
import { toLines } from '../../lib/core/text.ts';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

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
    for (const path of walk(fixtures)) {
      const buf = readFileSync(path);
      if (looksBinary(buf)) continue;
      for (const raw of buf.toString('utf8').split(/\r\n|\n|\r/)) {
        assert.deepEqual(cleanParts(raw), slow(raw), `${path}: ${JSON.stringify(raw)}`);
        n++;
      }
    }
    assert.ok(n > 1000, `only ${n} lines`);
  });
});

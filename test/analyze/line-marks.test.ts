import assert from 'node:assert/strict';
import { cleanParts } from '../../lib/analyze/clean-lines.ts';
import { HELD_PATTERNS, HOLDS_SCANNER, markedLine, rawMarkedLine } from '../../lib/analyze/line-marks.ts';
import { HOLDS, xenMessage } from '../../lib/core/text.ts';
import { fixtureLines, textFixtures } from '../fixtures/text-files.ts';

describe('analyze/line-marks', () => {
  it('has a literal for every pattern, so lines are marked at all (else analyze runs every gate again)', () => {
    assert.ok(HOLDS_SCANNER, 'some pattern of HELD_PATTERNS has no literal (lib/xen/regex-literal.ts)');
    const bits = HELD_PATTERNS.map(([bit]) => bit);
    assert.deepEqual(
      [...bits].sort((a, b) => a - b),
      Object.values(HOLDS),
    );
  });

  it('clears an analyzer bit only when none of its patterns matches the line or its Xen message', () => {
    let cleared = 0;
    let matched = 0;
    for (const text of fixtureLines()) {
      const { holds } = markedLine(1, text);
      assert.notEqual(holds, undefined);
      for (const [bit, patterns] of HELD_PATTERNS) {
        const hit = patterns.find((p) => p.test(text) || p.test(xenMessage(text)));
        if (hit) matched++;
        if ((holds! & bit) !== 0) continue;
        cleared++;
        assert.equal(hit, undefined, `bit ${bit} clear for ${JSON.stringify(text)}, yet ${hit} matches it`);
      }
    }
    assert.ok(matched > 500 && cleared > 10000, `matched ${matched}, cleared ${cleared}: the check proves little`);
  });

  it('marks a raw line in one pass only when it needs no cleaning, and then as markedLine does', () => {
    let fast = 0;
    let slow = 0;
    const tricky = [
      'plain',
      'tail ',
      'bell\x07',
      '\x1b[1mIVRS\x1b[0m',
      'a(XEN) b',
      '(XEN) PCI add device 0000:00:00.0',
      '',
    ];
    const raws = [...tricky, ...[...textFixtures()].flatMap(([, t]) => t.split(/\r\n|\n|\r/))];
    for (const raw of raws) {
      const one = rawMarkedLine(7, raw);
      if (one === null) {
        slow++;
        continue;
      }
      fast++;
      assert.deepEqual(cleanParts(raw), [raw], JSON.stringify(raw));
      assert.deepEqual(one, markedLine(7, raw), JSON.stringify(raw));
    }
    assert.ok(fast > 1000 && slow > 5, `fast ${fast}, slow ${slow}`);
    assert.equal(rawMarkedLine(1, 'bell\x07'), null);
    assert.equal(rawMarkedLine(1, 'tail '), null);
    assert.equal(rawMarkedLine(1, 'a(XEN) b'), null);
  });
});

import assert from 'node:assert/strict';
import { TESTS as DETECT } from '../../lib/analyze/detect.ts';
import { DIAGNOSES } from '../../lib/diagnose/table.ts';
import { AMD_VI_MESSAGES } from '../../lib/xen/amd-vi-messages.ts';
import { mayMatch, requiredLiterals } from '../../lib/xen/regex-literal.ts';
import { LINE_PATTERNS } from '../../lib/xen/xen-log.ts';
import { fixtureLines } from '../fixtures/text-files.ts';

/** Every pattern the parsers prefilter, named for the failure message. */
const PATTERNS: [string, RegExp][] = [
  ...DIAGNOSES.flatMap((r) => r.patterns.map((p): [string, RegExp] => [r.code, p])),
  ...AMD_VI_MESSAGES.map((m): [string, RegExp] => [m.wording, m.pattern]),
  ...LINE_PATTERNS.map((p): [string, RegExp] => ['xen-log', p]),
  ...DETECT.map(([kind, p]): [string, RegExp] => [`detect ${kind}`, p]),
];

/** Lines that match some pattern: every fixture line, two neighbours joined, and Xen's own wordings. */
function corpus(): string[] {
  return [...new Set([...AMD_VI_MESSAGES.map((m) => m.wording), ...fixtureLines()])];
}

describe('xen/regex-literal', () => {
  it('reads the literal a regex cannot match without, and gives up (null) where it is unsure', () => {
    assert.deepEqual(requiredLiterals(/IVHD Error: Invalid Device Type!/), ['IVHD Error: Invalid Device Type!']);
    assert.deepEqual(requiredLiterals(/abcd?ef/), ['abc']); // d is optional: "abcef" matches
    assert.deepEqual(requiredLiterals(/ab*cdef/), ['cdef']);
    assert.deepEqual(requiredLiterals(/xyz{0,2}abcd/), ['abcd']);
    assert.deepEqual(requiredLiterals(/I\/O virt\.x/), ['I/O virt.x']);
    assert.deepEqual(requiredLiterals(/^\s*- Dom0 mode: (\S+)/), ['- Dom0 mode: ']);
    assert.deepEqual(requiredLiterals(/foo (?:bar|bazz) qux|other/), ['foo ', 'other']);
    assert.deepEqual(requiredLiterals(/((?:AMD-Vi: )?(?:IVHD: duplicate IO-APIC).*)/), ['IVHD: duplicate IO-APIC']);
    // Optional groups and look-arounds require nothing; a group that must match requires its content.
    assert.deepEqual(requiredLiterals(/(?:long literal)?ab/), ['ab']);
    assert.deepEqual(requiredLiterals(/(?!long literal)ab/), ['ab']);
    assert.deepEqual(requiredLiterals(/(?:long literal)*ab/), ['ab']);
    assert.deepEqual(requiredLiterals(/(?:long literal){0,1}ab/), ['ab']);
    assert.deepEqual(requiredLiterals(/x(long literal)+y/), ['long literal']);
    // Unsure: no prefilter.
    assert.equal(requiredLiterals(/abc/i), null);
    assert.equal(requiredLiterals(/abc/g), null);
    assert.equal(requiredLiterals(/\x41bc/), null);
    assert.equal(requiredLiterals(/(a)\1/), null);
    assert.equal(requiredLiterals(/.*/), null);
    assert.equal(requiredLiterals(/a|.*/), null);
  });

  it('mayMatch: false only when the line has none of the literals', () => {
    assert.equal(mayMatch(null, ''), true);
    assert.equal(mayMatch(['foo', 'bar'], 'xbarx'), true);
    assert.equal(mayMatch(['foo', 'bar'], 'fo ba'), false);
  });

  it('every parser pattern has a literal, and every line it matches contains it (also with a character cut anywhere)', () => {
    const lines = corpus();
    let matched = 0;
    for (const [name, re] of PATTERNS) {
      const lits = requiredLiterals(re);
      assert.ok(lits, `${name}: ${re} has no literal (no prefilter: slow, not wrong; derive one or extend the reader)`);
      for (const l of lines) {
        if (!re.test(l)) continue;
        matched++;
        assert.ok(mayMatch(lits, l), `${name}: ${re} matches ${JSON.stringify(l)} without ${JSON.stringify(lits)}`);
        // Cut one character at every place: a regex that still matches must still find its literal.
        for (let i = 0; i < Math.min(l.length, 300); i++) {
          const cut = l.slice(0, i) + l.slice(i + 1);
          if (re.test(cut))
            assert.ok(
              mayMatch(lits, cut),
              `${name}: ${re} matches ${JSON.stringify(cut)} without ${JSON.stringify(lits)}`,
            );
        }
      }
    }
    assert.ok(matched > 100, `only ${matched} matching lines: the check proves little`);
  });
});

import assert from 'node:assert/strict';
import { escapeRegExp } from '../../lib/core/escape-regexp.ts';
import { HAS_CONTROL, LiteralScanner } from '../../lib/xen/literal-scanner.ts';
import { fixtureLines } from '../fixtures/text-files.ts';

/** The answer the scanner must give: the or of the masks of the literals that occur. */
const bruteHolds = (lits: readonly [string, number][], s: string) =>
  lits.reduce((m, [l, b]) => (s.includes(l) ? m | b : m), 0);

/** A small deterministic generator, so a failure is the same on every run. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

describe('xen/literal-scanner', () => {
  const literals: [string, number][] = [
    ['IVHD Error: Invalid Device Type!', 1],
    ['IVRS', 2],
    [']: ', 4],
    ['xl: ', 8],
    ['ab', 16], // shorter than a window
    ['aaa', 32], // overlapping occurrences
    ['Ünïcødé', 64],
    ['IVHD', 128], // a prefix of another literal, under its own bit
  ];
  const scanner = new LiteralScanner(literals);
  const regex = new RegExp(literals.map(([l]) => escapeRegExp(l)).join('|'));

  it('answers as a regex of the literals, and or-s the masks of every literal that occurs', () => {
    const cases = [
      '',
      'a',
      'IVHD Error: Invalid Device Type!',
      'x IVHD Error: Invalid Device Type',
      '(XEN) IVRS at the end IVRS',
      'IVR S',
      'kernel: [  1.0]: x',
      'aaa at the start',
      'the end is aa',
      'the end is aaa',
      'Ünïcødé',
      'Ünïcød',
      'xl: list',
      'xl:',
      'IVHD alone',
      'b a',
    ];
    for (const s of cases) {
      assert.equal(scanner.test(s), regex.test(s), JSON.stringify(s));
      assert.equal(scanner.holds(s), bruteHolds(literals, s), JSON.stringify(s));
    }
  });

  it('agrees with the brute force on random strings built from pieces of the literals', () => {
    const r = rng(7);
    const pieces = [
      ...literals.map(([l]) => l),
      'I',
      'V',
      'H',
      'D',
      ' ',
      ':',
      ']',
      'a',
      'x',
      'é',
      '\x1b',
      '\x7f',
      '\t',
    ];
    for (let i = 0; i < 20000; i++) {
      let s = '';
      const n = Math.floor(r() * 8);
      for (let j = 0; j < n; j++) {
        const p = pieces[Math.floor(r() * pieces.length)];
        // a piece cut short at either end, now and then, so near misses are common
        const cut = r() < 0.3 ? p.slice(Math.floor(r() * 2), p.length - Math.floor(r() * 2)) : p;
        s += cut;
      }
      assert.equal(scanner.holds(s), bruteHolds(literals, s), JSON.stringify(s));
      assert.equal(scanner.test(s), regex.test(s), JSON.stringify(s));
      const control = /[\x00-\x1f\x7f]/.test(s) ? HAS_CONTROL : 0;
      assert.equal(scanner.holdsRaw(s), bruteHolds(literals, s) | control, JSON.stringify(s));
    }
  });

  it('agrees with a regex of a real gate on every fixture line', () => {
    // Literals with the shapes of the parsers' (lib/xen/amd-vi-messages.ts and friends).
    const real: [string, number][] = [
      'not found in ACPI tables; using same IOMMU as function 0',
      'AMD-Vi: IOMMU ',
      'PCI add device ',
      'I/O virtualisation enabled',
      'No irq handler for vector',
      'ACPI',
      'libxl: ',
      'Xen version ',
      ' - Currently ',
      '[iommu',
    ].map((l, k) => [l, 1 << k]);
    const s2 = new LiteralScanner(real);
    let loud = 0;
    const lines = fixtureLines();
    for (const l of lines) {
      const want = bruteHolds(real, l);
      assert.equal(s2.holds(l), want, JSON.stringify(l));
      if (want) loud++;
    }
    assert.ok(
      loud > 500 && loud < lines.length,
      `${loud} of ${lines.length} lines hold a literal: the check proves little`,
    );
  });

  it('reports a control character only when asked, even in a line that also holds a literal', () => {
    assert.equal(scanner.holds('IVRS\x07'), 2);
    assert.equal(scanner.holdsRaw('IVRS\x07'), 2 | HAS_CONTROL);
    assert.equal(scanner.holdsRaw('\x1b[0m'), HAS_CONTROL);
    assert.equal(scanner.holdsRaw('a\x7f'), HAS_CONTROL);
    assert.equal(scanner.holdsRaw('tab\there'), 16 | HAS_CONTROL); // "ab" in "tab"
    assert.equal(scanner.holdsRaw('plain'), 0);
  });

  it('finds an empty literal everywhere, as a regex does', () => {
    const e = new LiteralScanner(['', 'zzz']);
    assert.equal(e.test(''), true);
    assert.equal(e.test('abc'), true);
  });
});

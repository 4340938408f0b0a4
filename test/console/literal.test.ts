import assert from 'node:assert/strict';
import { requiredLiteral } from '../../lib/console/literal.ts';

describe('console/literal', () => {
  it('extracts the longest literal every match contains', () => {
    const cases: [RegExp, string][] = [
      [/\(XEN\) (?:\[[^\]\n]*\] )?Panic on CPU \d+/, 'Panic on CPU '],
      // From its rarest character on: "(" starts every Xen line, "*" does not.
      [/\(XEN\) \*{40}\r?\n/, '****************************************'],
      [/\(XEN\) FATAL TRAP/, 'FATAL TRAP'],
      [/x{3}y/, 'xxxy'],
      [/a+bc/, 'bc'],
      [/foo|barbaz/, ''],
      [/Kernel panic/i, ''],
      [/(?:ab)?cd/, 'cd'],
      [/\x41BCD/, 'BCD'],
    ];
    for (const [re, lit] of cases) assert.equal(requiredLiteral(re), lit, String(re));
  });

  it('never excludes a text the regex matches (random regexes and texts)', () => {
    const atoms = ['a', 'b', '\\(', '\\d', '[ab]', '(?:ab)?', 'a{2}', 'b+', 'a*', '.', '\\s', '(a|b)', 'ab?'];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const src = Array.from({ length: 1 + rnd(5) }, () => atoms[rnd(atoms.length)]).join('');
      const re = new RegExp(src);
      const text = Array.from({ length: 12 }, () => 'ab( 1'[rnd(5)]).join('');
      const lit = requiredLiteral(re);
      if (re.test(text)) assert.ok(text.includes(lit), `${re} matches ${JSON.stringify(text)} without "${lit}"`);
    }
  });
});

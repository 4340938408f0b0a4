import assert from 'node:assert/strict';
import { compilePattern, compilePatterns, scanKind } from '../../lib/console/pattern.ts';

describe('console/pattern', () => {
  it('classifies regexes that cannot span lines as line-bound', () => {
    for (const re of [
      /Xen version [\d.]+/,
      /\(XEN\) (?:\[[^\]\n]*\] )?Panic on CPU \d+/,
      /login: $/,
      /^root@.*# $/m,
      /.*\r?\n/,
      /[^\n]+END/,
      /[ -~]+/,
      /\(XEN\) \*{40}\r?\n/,
    ])
      assert.equal(scanKind(re), 'line', String(re));
  });

  it('classifies anything that might match a newline, or ^ without m, as a stream pattern', () => {
    for (const re of [
      /a\sb/,
      /a[\s\S]*b/,
      /a.b/s,
      /a[^x]b/,
      /a\Wb/,
      /a\Db/,
      /a\x0ab/,
      /a[\x00-\x1f]b/,
      /a[\t-\r]b/,
      /a\nb/,
      /\p{Cc}/u,
      /^login:/,
      /(?<=\n)foo/,
    ])
      assert.equal(scanKind(re), 'stream', String(re));
  });

  it('searches strings as their UTF-8 bytes and reports regex groups', () => {
    const s = compilePattern('Größe');
    const text = Buffer.from('xx Größe', 'utf8').toString('latin1');
    assert.deepEqual(s.find(text, 0), { start: 3, end: 10, groups: [] });
    const r = compilePattern(/v(\d+)\.(\d+)?x/);
    assert.deepEqual(r.find('..v4.x', 0)?.groups, ['4', '']);
    assert.equal(r.find('v4.x', 1), null);
  });

  it('splits top-level alternatives, each with its own kind, groups kept at their global index', () => {
    const parts = compilePatterns(/@@A (\d+)@@|@@B (\d+)\r\n[\s\S]*?@@END \2@@|(x)/);
    assert.deepEqual(
      parts.map((p) => [p.kind, p.lead]),
      [
        ['line', '@@A '],
        ['stream', '@@B '],
        ['line', ''],
      ],
    );
    assert.deepEqual(parts[1].find('@@B 7\r\nzz@@END 7@@', 0)?.groups, ['', '7', '']);
    assert.deepEqual(parts[0].find('@@A 3@@', 0)?.groups, ['3', '', '']);
    // A backreference across alternatives cannot be split: one searcher for the whole regex.
    // biome-ignore lint/suspicious/noUselessRegexBackrefs: the case under test
    assert.equal(compilePatterns(/(a)|\1b/).length, 1);
  });
});

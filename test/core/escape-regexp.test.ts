import assert from 'node:assert/strict';
import { escapeRegExp } from '../../lib/core/escape-regexp.ts';

describe('core/escape-regexp', () => {
  it('makes a RegExp that matches exactly the literal, every pattern character included', () => {
    const literal = 'a.b*c+d?e^f$g{2}(h)|i[j]\\k/l';
    const re = new RegExp(`^${escapeRegExp(literal)}$`);
    assert.ok(re.test(literal));
    assert.ok(!re.test(literal.replace('.', 'x')));
    assert.ok(!new RegExp(escapeRegExp('boot.ipxe')).test('bootXipxe'));
  });
});

import assert from 'node:assert/strict';
import { isBdf, normalizeBdf, normalizeLooseBdf } from '../../lib/xen/bdf.ts';

describe('xen/bdf', () => {
  it('normalizes short and full forms', () => {
    assert.equal(normalizeBdf('02:00.0'), '0000:02:00.0');
    assert.equal(normalizeBdf(' 0000:0A:1f.7 '), '0000:0a:1f.7');
  });
  it('refuses what is not a BDF', () => {
    for (const bad of ['', '2:0.0', '02:00.8', '02:20.0', '02:00', 'xx:00.0', '0000:02:00.0; reboot']) {
      assert.equal(isBdf(bad), false, bad);
      assert.equal(normalizeBdf(bad), null, bad);
    }
  });
  it('expands libxl\'s "0:2:0.0" form', () => {
    assert.equal(normalizeLooseBdf('0:2:0.0'), '0000:02:00.0');
    assert.equal(normalizeLooseBdf('02:00.0'), '0000:02:00.0');
    assert.equal(normalizeLooseBdf('nope'), null);
  });
});

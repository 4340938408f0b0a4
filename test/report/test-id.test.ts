import assert from 'node:assert/strict';
import { explicitId, withId } from '../../lib/report/test-id.ts';

describe('report/test-id', () => {
  it('a test function keeps the id it was declared with; one without has none', () => {
    const fn = withId('firmware/banner-board', () => {});
    assert.equal(explicitId({ fn }), 'firmware/banner-board');
    assert.equal(explicitId({ fn: () => {} }), undefined);
    assert.equal(explicitId({}), undefined);
  });

  it('refuses an id that is not "<suite>/<name>" in lower case', () => {
    for (const bad of ['Firmware/board', 'firmware', 'firmware/ board', '/x', 'a/b c'])
      assert.throws(() => withId(bad, () => {}), /is not "<suite>\/<name>"/, bad);
  });
});

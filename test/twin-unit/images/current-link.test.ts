// images/current names the cached image set the rig's boot server serves: made, then replaced
// in place when the key changes.
import assert from 'node:assert/strict';
import { mkdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkCurrent } from '../../../twin/images/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('twin/images current link', () => {
  it('points at the key folder (relative, inside the root) and is replaced when the key changes', async () => {
    const root = tempDir('twin-images-');
    for (const key of ['aaaa', 'bbbb']) {
      mkdirSync(join(root, key, 'boot'), { recursive: true });
      writeFileSync(join(root, key, 'boot', 'xen'), key);
    }
    await linkCurrent(root, 'aaaa');
    assert.equal(readlinkSync(join(root, 'current')), 'aaaa');
    await linkCurrent(root, 'bbbb');
    assert.equal(readlinkSync(join(root, 'current')), 'bbbb');
    assert.equal(realpathSync(join(root, 'current', 'boot', 'xen')), join(realpathSync(root), 'bbbb', 'boot', 'xen'));
  });
});

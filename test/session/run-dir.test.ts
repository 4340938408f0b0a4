import assert from 'node:assert/strict';
import { readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { createRunDir } from '../../lib/session/run-dir.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('session/run-dir', () => {
  it('reports/latest is a relative link to the newest run: it survives the folder being copied or mounted elsewhere', () => {
    const here = process.cwd();
    const dir = tempDir('run-dir-');
    process.chdir(dir);
    try {
      const run = createRunDir('apu2-rte');
      const link = readlinkSync(join(dir, 'reports', 'latest'));
      assert.ok(!link.startsWith('/'), link);
      assert.match(link, /-apu2-rte$/);
      assert.equal(realpathSync(join(dir, 'reports', 'latest')), realpathSync(run.root));
    } finally {
      process.chdir(here);
    }
  });
});

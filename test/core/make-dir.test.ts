// A folder the user named that cannot be made is one usage line naming the path and why (D15),
// from the real CLI too: `run --report-dir <a file>` and `console --transcript <file>/x`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isUsageError } from '../../lib/core/errors.ts';
import { makeDir } from '../../lib/core/make-dir.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const BIN = resolve(import.meta.dirname, '../../bin/iommu-lab.js');

describe('core/make-dir', () => {
  it('a file in the way is a usage error naming the path, not an internal error', () => {
    const file = join(tempDir('make-dir-'), 'a-file');
    writeFileSync(file, 'x');
    let e: unknown;
    try {
      makeDir(join(file, 'sub'), 'the report folder');
    } catch (x) {
      e = x;
    }
    assert.ok(isUsageError(e));
    assert.match((e as Error).message, /^cannot create the report folder .*a-file\/sub: a file is in the way/);
  });

  for (const args of [
    (f: string) => ['run', '--suite', 'firmware', '--report-dir', f],
    (f: string) => ['console', '--transcript', join(f, 'x')],
  ])
    it(`iommu-lab ${args('F').slice(0, 2).join(' ')} … with a file in the way: one line, exit 2, no stack`, function () {
      this.timeout(20_000);
      const file = join(tempDir('make-dir-cli-'), 'a-file');
      writeFileSync(file, 'x');
      const r = spawnSync(process.execPath, [BIN, ...args(file)], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^iommu-lab: cannot create the (report|transcript) folder .*: a file is in the way/);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
    });
});

// The CLI as a process: --version names the version and commit; a mistyped flag is one line
// and the hint (not the whole help), exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/iommu-lab.js', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('cli/program', function () {
  this.timeout(30_000);

  it('--version prints the name, the package version and the commit, exit 0', () => {
    const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    const r = cli('--version');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^iommu-lab ${version.replace(/\./g, '\\.')}( \\([0-9a-f]{12}\\))?\\n$`));
  });

  it('an unknown flag gives one line and the hint, not the whole help, exit 2', () => {
    for (const args of [['--bogus'], ['rigs', '--bogus']]) {
      const r = cli(...args);
      assert.equal(r.code, 2);
      assert.match(r.err, /^error: unknown option '--bogus'\n/);
      assert.match(r.err, /\(run with --help for usage\)\n$/);
      assert.doesNotMatch(r.err, /Usage:|Options:|Commands:/, 'the whole help was printed');
      assert.ok(r.err.trim().split('\n').length <= 3, r.err);
    }
  });
});

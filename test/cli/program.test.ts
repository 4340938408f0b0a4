// The CLI as a process: --version names the version and commit; a mistyped flag is one line
// and the hint (not the whole help), exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandModules } from '../../lib/cli/commands/index.ts';
import { buildProgram, commandOf } from '../../lib/cli/program.ts';

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

  it('a run loads only the command it names; no command, a typo or an option first loads them all', async () => {
    assert.equal(commandOf(['analyze', 'x.log']), 'analyze');
    for (const argv of [[], ['--help'], ['-V'], ['help', 'analyze'], ['analyse'], ['constructor'], ['--help', 'rigs']])
      assert.equal(commandOf(argv), null, argv.join(' '));
    const only = await buildProgram(['analyze', 'x.log']);
    assert.deepEqual(
      only.commands.map((c) => c.name()),
      ['analyze'],
    );
    const all = await buildProgram();
    assert.deepEqual(all.commands.map((c) => c.name()).sort(), Object.keys(commandModules).sort());
  });

  it("--help lists every command, and a command's --help is its own", () => {
    const r = cli('--help');
    assert.equal(r.code, 0, r.err);
    for (const name of Object.keys(commandModules)) assert.match(r.out, new RegExp(`^  ${name}\\b`, 'm'), name);
    const a = cli('analyze', '--help');
    assert.equal(a.code, 0, a.err);
    assert.match(a.out, /^Usage: iommu-lab analyze/m);
  });
});

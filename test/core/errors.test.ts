// Each error family is recognised by one brand check that holds when the module defining the class
// is loaded twice (tsx can load a module as ESM and as CJS, or under two URLs): an error from the
// second copy is not an instance of the first copy's class, but is* still says yes.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FlashRefused } from '../../flash/supply/errors.ts';
import * as boot from '../../lib/boot/errors.ts';
import * as death from '../../lib/console/death.ts';
import * as errors from '../../lib/core/errors.ts';
import { exitCodeOf, verdictOf } from '../../lib/core/exit-code.ts';
import * as result from '../../lib/core/result.ts';

const lib = resolve(import.meta.dirname, '../../lib');
/** A second instance of a module: same file, another URL. */
const second = <T>(path: string): Promise<T> => import(`${pathToFileURL(join(lib, path)).href}?copy=2`);

const deathOpts = { line: 'Kernel panic', pattern: 'x', waitName: 'dom0', consoleTail: '', offset: 0 };
const cmdResult = { command: 'false', exitCode: 1, stdout: '', stderr: '', durationMs: 1, timedOut: false };

describe('core/errors: one brand check per family', () => {
  it('holds for an instance of a second copy of each class, where instanceof does not', async () => {
    const e2 = await second<typeof errors>('core/errors.ts');
    const b2 = await second<typeof boot>('boot/errors.ts');
    const d2 = await second<typeof death>('console/death.ts');
    const r2 = await second<typeof result>('core/result.ts');
    const rig = new e2.RigError('relay', { code: 'POWER_HTTP', part: 'power' });
    assert.notEqual(e2.RigError, errors.RigError);
    assert.equal(rig instanceof errors.RigError, false, 'a real second copy');
    assert.ok(errors.isRigError(rig));
    assert.ok(errors.isRigError(rig, 'SSH_AUTH', 'POWER_HTTP'));
    assert.ok(!errors.isRigError(rig, 'SSH_AUTH'));
    assert.ok(errors.isUsageError(new e2.UsageError('bad flag')));
    assert.ok(boot.isBootFailure(new b2.BootFailure('no boot', 'xen', '')));
    assert.ok(errors.isRigError(new b2.BenchBroken(new Error('first'))));
    assert.ok(death.isConsoleDeath(new d2.ConsoleDeathError(deathOpts)));
    assert.ok(result.isCommandError(new r2.CommandError(cmdResult, 'here')));
    // And the other way round: the second copy's checks know the first copy's errors.
    assert.ok(e2.isRigError(new errors.RigError('x', { code: 'SSH_AUTH', part: 'remote' })));
    assert.ok(b2.isHang(new errors.RigError('x', { code: 'CONSOLE_SILENCE', part: 'console' })));
  });

  it('holds for a copy of lib/core in another directory, exit code and verdict included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-brand-'));
    try {
      cpSync(join(lib, 'core'), join(dir, 'core'), { recursive: true });
      const c = (await import(pathToFileURL(join(dir, 'core/errors.ts')).href)) as typeof errors;
      const usage = new c.UsageError('--boots must be a number');
      const lab = new c.RigError('relay', { code: 'POWER_HTTP', part: 'power' });
      assert.ok(errors.isUsageError(usage) && !errors.isRigError(usage));
      assert.ok(errors.isRigError(lab) && !errors.isUsageError(lab));
      assert.deepEqual([exitCodeOf(usage), exitCodeOf(lab), verdictOf(lab)], [2, 2, 'broken']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells the families apart, subclasses included', () => {
    const refused = new FlashRefused('REFUSED_SIZE', 'too small');
    assert.ok(errors.isUsageError(refused) && !errors.isRigError(refused));
    const bench = new boot.BenchBroken(new Error('relay'));
    assert.ok(errors.isRigError(bench, 'BENCH_BROKEN') && !errors.isUsageError(bench));
    assert.ok(!boot.isBootFailure(new Error('plain')) && !death.isConsoleDeath(new Error('ConsoleDeathError')));
    for (const v of [undefined, null, 'RigError', 42, { code: 'POWER_HTTP', name: 'RigError' }])
      assert.ok(!errors.isRigError(v), String(v));
  });

  it('isHang: silence, console timeout and dom0 timeout only', () => {
    const rig = (code: 'CONSOLE_SILENCE' | 'CONSOLE_TIMEOUT' | 'DOM0_TIMEOUT' | 'CONSOLE_LOST') =>
      new errors.RigError('x', { code, part: 'console' });
    assert.deepEqual(
      ['CONSOLE_SILENCE', 'CONSOLE_TIMEOUT', 'DOM0_TIMEOUT', 'CONSOLE_LOST'].map((c) =>
        boot.isHang(rig(c as 'CONSOLE_LOST')),
      ),
      [true, true, true, false],
    );
    assert.ok(!boot.isHang({ code: 'CONSOLE_SILENCE' }), 'a look-alike object is not a hang');
  });
});

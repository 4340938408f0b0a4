import { AssertionError } from 'node:assert';
import assert from 'node:assert/strict';
import { FlashRefused } from '../../flash/supply/errors.ts';
import { BootFailure } from '../../lib/boot/errors.ts';
import { RigError, UsageError } from '../../lib/core/errors.ts';
import { exitCodeForSignal, exitCodeForStates, exitCodeOf, ownerOf, verdictOf } from '../../lib/core/exit-code.ts';
import { RigFileError } from '../../lib/rig/load.ts';

describe('core/exit-code', () => {
  it("a failure's owner decides verdict and exit code: board 1/failed, lab and usage 2/broken", () => {
    const cases: [unknown, string, string, number][] = [
      [new AssertionError({ message: 'x' }), 'board', 'failed', 1],
      [new BootFailure('no boot', 'xen', ''), 'board', 'failed', 1],
      [new RigError('relay', { code: 'POWER_HTTP', part: 'power' }), 'lab', 'broken', 2],
      [new RigError('key', { code: 'SECRET_MISSING', part: 'rig' }), 'usage', 'broken', 2],
      [new UsageError('--boots'), 'usage', 'broken', 2],
      [new FlashRefused('REFUSED_WRONG_BOARD', 'apu4'), 'usage', 'broken', 2],
      [new RigFileError('rigs/x.ts', 'power.url', 'missing'), 'usage', 'broken', 2],
      [new TypeError('a bug'), 'lab', 'broken', 2],
      ['a thrown string', 'lab', 'broken', 2],
    ];
    for (const [e, owner, verdict, code] of cases)
      assert.deepEqual([ownerOf(e), verdictOf(e), exitCodeOf(e)], [owner, verdict, code], String(e));
  });

  it('a run: 0 passed, 1 failed only, 2 any broken or nothing run', () => {
    assert.equal(exitCodeForStates(['passed', 'skipped']), 0);
    assert.equal(exitCodeForStates(['passed', 'failed']), 1);
    assert.equal(exitCodeForStates(['failed', 'broken']), 2);
    assert.equal(exitCodeForStates(['skipped']), 2);
    assert.equal(exitCodeForStates([]), 2);
  });

  it('a signal: 128 + its number', () => {
    assert.deepEqual((['SIGHUP', 'SIGINT', 'SIGTERM'] as const).map(exitCodeForSignal), [129, 130, 143]);
  });
});

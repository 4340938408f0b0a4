import assert from 'node:assert/strict';
import { isBootFailure } from '../../lib/boot/errors.ts';
import { ConsoleDeathError } from '../../lib/console/death.ts';
import { ExpectBuffer } from '../../lib/console/expect-buffer.ts';
import type { Console } from '../../lib/console/types.ts';
import { isRigError, RigError } from '../../lib/core/errors.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import { boardDeath, watchBoard } from '../../lib/session/board-watch.ts';

/** A console on the real expect engine, fed by the test. */
function consoleOf(buffer: ExpectBuffer): Console {
  return { expect: (p, o) => buffer.expect(p, o), tail: (n) => buffer.tail(n) } as Console;
}

const dropped = () =>
  new RigError('dom0: connection closed while running xl dmesg', { code: 'SSH_DROPPED', part: 'remote' });
const shell = (fail: () => Error): RemoteShell =>
  ({ description: 'dom0', run: async () => Promise.reject(fail()), close: async () => {} }) as unknown as RemoteShell;

describe('session/board-watch: dom0 SSH judged against the console', () => {
  it('an SSH drop with a panic on the console is the board dying (BOARD_PANIC), not the lab', async () => {
    const buffer = new ExpectBuffer({ description: 'test', deathLingerMs: 10 });
    buffer.push('[  100.0] sysrq: Trigger a crash\n[  100.1] Kernel panic - not syncing: sysrq triggered crash\n');
    const d = watchBoard(shell(dropped), () => boardDeath(consoleOf(buffer)));
    await assert.rejects(
      d.run('xl dmesg'),
      (e) => isBootFailure(e) && e.failure === 'BOARD_PANIC' && /Kernel panic/.test(e.message),
    );
  });

  it('an SSH drop with a quiet console stays the lab failure it is', async () => {
    const buffer = new ExpectBuffer({ description: 'test' });
    buffer.push('dom0 login: \n');
    const d = watchBoard(shell(dropped), () => boardDeath(consoleOf(buffer)));
    await assert.rejects(d.run('xl dmesg'), (e) => isRigError(e, 'SSH_DROPPED'));
  });

  it('a failing command is not a connection failure: the console is not consulted', async () => {
    let asked = false;
    const c = {
      expect: async () => {
        asked = true;
        throw new ConsoleDeathError({ line: 'Kernel panic', pattern: 'x', waitName: 'x', consoleTail: '', offset: 0 });
      },
    } as unknown as Console;
    const d = watchBoard(
      shell(() => new RigError('xl: exit 1', { code: 'EXEC_SPAWN', part: 'host' })),
      () => boardDeath(c),
    );
    await assert.rejects(d.run('xl info'), (e) => isRigError(e, 'EXEC_SPAWN'));
    assert.equal(asked, false);
    assert.equal(await boardDeath(undefined), undefined);
  });
});

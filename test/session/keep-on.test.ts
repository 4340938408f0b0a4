// `--keep-on` leaves the board powered, but never the dom0 SSH connection open: an open session
// would keep the process alive after the run (and a CI job with it). Real parts: the scripted
// board's RTE relay, TCP console and in-process SSH dom0.
import assert from 'node:assert/strict';
import { BootStrategy } from '../../lib/boot/strategy.ts';
import { runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { powerOffAtEnd } from '../../lib/session/end-power.ts';
import { Session } from '../../lib/session/session.ts';
import { ScriptedBoard } from '../helpers/scripted-board.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('session --keep-on', function () {
  this.timeout(30_000);
  let board: ScriptedBoard;

  beforeEach(async () => {
    board = new ScriptedBoard();
    await board.start();
  });
  afterEach(async () => {
    await board.stop();
  });

  for (const keepOn of [true, false]) {
    it(`${keepOn ? 'keeps the board on' : 'switches the board off'} and closes dom0's SSH at the end`, async () => {
      const dir = tempDir('keep-on-');
      const raw = board.rig(dir, { power: { minOffMs: 100, timeoutMs: undefined } });
      const session = await Session.open(validateRig(raw, 'scripted.json'), {
        open: ['power', 'console'],
        transcriptPath: runDirPaths(dir).transcript,
      });
      powerOffAtEnd(session, { keepOn });
      await new BootStrategy(session).to('dom0');
      const dom0 = await session.dom0();
      assert.equal((await dom0.run('true')).exitCode, 0);
      await session.close();
      assert.equal(board.rte.gpio.get(0), keepOn ? 1 : 0, 'relay after the session');
      await assert.rejects(dom0.run('true', { timeoutMs: 3_000 }), 'dom0 SSH still open after the session');
    });
  }
});

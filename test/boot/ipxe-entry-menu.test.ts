// The way into PC Engines' iPXE shell (lib/boot/ipxe-entry-menu.ts), against a console that reads
// keys as SeaBIOS's sercon does (pcengines-menu-fake.ts): arrow-up in one write, Enter, and a
// rig that names the wrong entry told so at once.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BootBench } from '../../lib/boot/bench.ts';
import { enterByCtrlB } from '../../lib/boot/ipxe-entry-ctrl-b.ts';
import { ARROW_UP, ENTER, enterByMenu } from '../../lib/boot/ipxe-entry-menu.ts';
import { emptyRecord } from '../../lib/boot/record.ts';
import { openConsole } from '../../lib/console/open.ts';
import type { Console } from '../../lib/console/types.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { PcEnginesMenu } from './pcengines-menu-fake.ts';

describe('boot/ipxe-entry-menu: PC Engines iPXE menu', function () {
  this.timeout(20_000);
  let board: PcEnginesMenu;
  let con: Console;

  async function bench(): Promise<BootBench> {
    board = new PcEnginesMenu();
    await board.start();
    con = await openConsole(
      { kind: 'tcp', host: '127.0.0.1', port: board.port, protocol: 'raw' },
      { transcriptPath: join(tempDir('menu-'), 'console.log') },
    );
    await con.expect('N for PXE boot', { timeout: 5_000, name: 'prompt' });
    await con.send('n');
    return { rig: { boot: { timeoutsMs: { firmware: 5_000 } } }, console: con } as unknown as BootBench;
  }

  afterEach(async () => {
    await con?.close();
    await board?.stop();
  });

  it('reaches iPXE> with arrow-up as one write, then Enter', async () => {
    const b = await bench();
    const rec = emptyRecord();
    await enterByMenu(b, rec);
    assert.equal(board.stage, 'shell');
    assert.deepEqual(board.segments.slice(1), [ARROW_UP, ENTER]);
    assert.match(rec.firmwareLog, /iPXE boot menu[\s\S]*ipxe shell[\s\S]*autoboot/);
  });

  it('the fake is the trap: the arrow sent a character at a time is a bare ESC, and iPXE is gone', async () => {
    await bench();
    await con.expect(/autoboot/, { timeout: 5_000, name: 'menu' });
    await con.sendSlowly(ARROW_UP, { chunk: 1, delayMs: 50 });
    await con.expect('No bootable device', { timeout: 5_000, name: 'SeaBIOS after iPXE' });
    assert.equal(board.stage, 'gone');
  });

  it('a lost arrow: Enter picks autoboot, and the entry fails as IPXE_MENU_MISSED (a retried console fault)', async () => {
    const b = await bench();
    board.loseArrows = 1;
    const e = await enterByMenu(b, emptyRecord()).catch((x) => x);
    assert.ok(isRigError(e, 'IPXE_MENU_MISSED'), String(e));
    assert.match(e.message, /no shell within 10 s of arrow-up \+ Enter/);
  });

  it('the Ctrl-B entry on PC Engines firmware fails at once, naming the fix (no Ctrl-B line ever comes)', async () => {
    const b = await bench();
    const t0 = performance.now();
    const e = await enterByCtrlB(b, emptyRecord()).catch((x) => x);
    assert.ok(isRigError(e, 'IPXE_ENTRY_MISMATCH'), String(e));
    assert.match(
      e.message,
      /iPXE offers its embedded menu \(PC Engines\), not Ctrl-B.*set boot\.network\.entry: 'menu'/,
    );
    assert.ok(performance.now() - t0 < 3_000, 'not after the firmware timeout');
    assert.equal(board.segments.length, 1, 'no Ctrl-B was sent');
  });
});

// The way into Dasharo's iPXE shell (lib/boot/ipxe-entry-dasharo.ts) and the `auto` entry
// (lib/boot/ipxe-entries.ts), against a console that reads keys as SeaBIOS's sercon does and
// moves through dasharo.ipxe's menu as iPXE does (dasharo-menu-fake.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BootBench } from '../../lib/boot/bench.ts';
import { IPXE_ENTRIES } from '../../lib/boot/ipxe-entries.ts';
import { ARROW_DOWN, DASHARO_SHELL_BANNER, enterByDasharoMenu } from '../../lib/boot/ipxe-entry-dasharo.ts';
import { ENTER, enterByMenu } from '../../lib/boot/ipxe-entry-menu.ts';
import { emptyRecord } from '../../lib/boot/record.ts';
import { openConsole } from '../../lib/console/open.ts';
import type { Console } from '../../lib/console/types.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { parseFirmwareLog } from '../../lib/firmware/banner.ts';
import { buildDateOf, flavourOfConsole } from '../../lib/firmware/flavour.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { DasharoMenu } from './dasharo-menu-fake.ts';
import { PcEnginesMenu } from './pcengines-menu-fake.ts';

describe('boot/ipxe-entry-dasharo: Dasharo Network Boot Menu', function () {
  this.timeout(20_000);
  let board: DasharoMenu | PcEnginesMenu;
  let con: Console;
  let signOn = '';

  async function bench(fake: DasharoMenu | PcEnginesMenu = new DasharoMenu()): Promise<BootBench> {
    board = fake;
    await board.start();
    con = await openConsole(
      { kind: 'tcp', host: '127.0.0.1', port: board.port, protocol: 'raw' },
      { transcriptPath: join(tempDir('dasharo-'), 'console.log') },
    );
    const p = await con.expect('N for PXE boot', { timeout: 5_000, name: 'prompt' });
    signOn = p.before + p.text;
    await con.send('n');
    return { rig: { boot: { timeoutsMs: { firmware: 5_000 } } }, console: con } as unknown as BootBench;
  }

  afterEach(async () => {
    await con?.close();
    await board?.stop();
  });

  it('reaches iPXE> with three arrow-downs, each one write, then Enter: the "iPXE Shell" item ran', async () => {
    const b = await bench();
    const rec = emptyRecord();
    await enterByDasharoMenu(b, rec);
    const d = board as DasharoMenu;
    assert.equal(d.ran, 'shell');
    assert.deepEqual(d.segments.slice(1), [ARROW_DOWN, ARROW_DOWN, ARROW_DOWN, ENTER]);
    assert.match(rec.firmwareLog, /Dasharo Network Boot Menu[\s\S]*Autoboot \(DHCP\)[\s\S]*iPXE Shell/);
    assert.match(con.tail(3), new RegExp(DASHARO_SHELL_BANNER.replace(/[."]/g, '\\$&')));
  });

  it('a lost arrow lands on "OS installation": the entry fails as IPXE_MENU_MISSED, naming the keys', async () => {
    const b = await bench();
    (board as DasharoMenu).loseArrows = 1;
    const e = await enterByDasharoMenu(b, emptyRecord()).catch((x) => x);
    assert.ok(isRigError(e, 'IPXE_MENU_MISSED'), String(e));
    assert.match(e.message, /no shell within 10 s of Down ×3 \+ Enter/);
    assert.equal((board as DasharoMenu).ran, 'netbootxyz');
  });

  it("PC Engines' entry (arrow-up) on Dasharo's menu fails at once, naming the fix", async () => {
    const b = await bench();
    const e = await enterByMenu(b, emptyRecord()).catch((x) => x);
    assert.ok(isRigError(e, 'IPXE_ENTRY_MISMATCH'), String(e));
    assert.match(
      e.message,
      /iPXE offers Dasharo's network boot menu, not its embedded menu \(PC Engines\).*set boot\.network\.entry: 'dasharo-menu' \(or 'auto'\)/,
    );
    assert.equal(board.segments.length, 1, 'no key sent into the menu');
  });

  it('auto: Dasharo menu → Down ×3 + Enter; the same firmware log tells dasharo-seabios with no build date', async () => {
    const b = await bench();
    const rec = emptyRecord();
    await IPXE_ENTRIES.auto(b, rec);
    assert.equal((board as DasharoMenu).ran, 'shell');
    const log = signOn + rec.firmwareLog;
    const banner = parseFirmwareLog(log);
    assert.equal(flavourOfConsole(banner, log)?.flavour, 'dasharo-seabios');
    assert.equal(banner.corebootBuild, '19700101');
    assert.equal(buildDateOf(banner.corebootBuild), null);
  });

  it("auto: PC Engines' menu → arrow-up + Enter", async () => {
    const b = await bench(new PcEnginesMenu());
    await IPXE_ENTRIES.auto(b, emptyRecord());
    const p = board as PcEnginesMenu;
    assert.equal(p.stage, 'shell');
    assert.deepEqual(p.segments.slice(1), ['\x1b[A', ENTER]);
  });
});

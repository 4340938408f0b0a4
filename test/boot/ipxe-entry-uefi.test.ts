// The way into iPXE on Dasharo coreboot+UEFI (lib/boot/ipxe-entry-uefi.ts) and `auto` recognising
// its prompt, against a strict fake of the firmware over TCP (uefi-boot-manager-fake.ts): F10 at
// the prompt, the boot manager menu read from its screen, arrows to "iPXE Network Boot", then
// Dasharo's iPXE menu as on SeaBIOS.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BootBench } from '../../lib/boot/bench.ts';
import { IPXE_ENTRIES } from '../../lib/boot/ipxe-entries.ts';
import { ARROW_DOWN } from '../../lib/boot/ipxe-entry-dasharo.ts';
import { ENTER } from '../../lib/boot/ipxe-entry-menu.ts';
import { UEFI_PROMPT } from '../../lib/boot/ipxe-entry-point.ts';
import { F10, fromUefiPrompt } from '../../lib/boot/ipxe-entry-uefi.ts';
import { emptyRecord } from '../../lib/boot/record.ts';
import { FIRMWARE_BANNER } from '../../lib/boot/transitions.ts';
import { openConsole } from '../../lib/console/open.ts';
import type { Console } from '../../lib/console/types.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { sleep } from '../../lib/core/time.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { UefiBootManager } from './uefi-boot-manager-fake.ts';

const DASHARO_SHELL_KEYS = [ARROW_DOWN, ARROW_DOWN, ARROW_DOWN, ENTER];

describe('boot/ipxe-entry-uefi: Dasharo coreboot+UEFI boot manager → iPXE Network Boot', function () {
  this.timeout(20_000);
  let board: UefiBootManager;
  let con: Console;

  async function bench(setup: (b: UefiBootManager) => void = () => {}): Promise<BootBench> {
    board = new UefiBootManager();
    setup(board);
    await board.start();
    con = await openConsole(
      { kind: 'tcp', host: '127.0.0.1', port: board.port, protocol: 'raw' },
      { transcriptPath: join(tempDir('uefi-'), 'console.log') },
    );
    return { rig: { boot: { timeoutsMs: { firmware: 5_000 } } }, console: con } as unknown as BootBench;
  }

  afterEach(async () => {
    await con?.close();
    await board?.stop();
  });

  it('F10 at the prompt, Down ×1 past "UEFI Shell", Enter, then Dasharo\'s iPXE Shell: an EFI iPXE', async () => {
    const b = await bench();
    const rec = emptyRecord();
    assert.equal(await IPXE_ENTRIES['uefi-boot-manager'](b, rec), 'efi');
    assert.equal(board.ran, 'shell');
    assert.deepEqual(board.segments, [F10, ARROW_DOWN, ENTER, ...DASHARO_SHELL_KEYS]);
    assert.deepEqual(board.lost, [], 'nothing sent before the prompt');
    assert.match(
      rec.firmwareLog,
      /ENTER to boot directly[\s\S]*Please select boot device:[\s\S]*Dasharo Network Boot Menu/,
    );
  });

  it('counts the Downs from the parsed menu: three disks first → Down ×4', async () => {
    const b = await bench((f) => {
      f.disks = ['Debian (SATA)', 'UEFI PXEv4 (MAC:000DB9000001)', 'USB Disk'];
    });
    await IPXE_ENTRIES['uefi-boot-manager'](b, emptyRecord());
    assert.deepEqual(board.segments.slice(0, 6), [F10, ARROW_DOWN, ARROW_DOWN, ARROW_DOWN, ARROW_DOWN, ENTER]);
    assert.equal(board.ran, 'shell');
  });

  it('reads a UTF-8 terminal\'s "→" selection the same way', async () => {
    const b = await bench((f) => {
      f.utf8 = true;
    });
    await IPXE_ENTRIES['uefi-boot-manager'](b, emptyRecord());
    assert.equal(board.ran, 'shell');
  });

  it('without NetworkBoot the menu has no iPXE entry: one line naming the cause and the remedy, no key sent into the menu', async () => {
    const b = await bench((f) => {
      f.networkBoot = false;
    });
    const e = await IPXE_ENTRIES['uefi-boot-manager'](b, emptyRecord()).catch((x) => x);
    assert.ok(isRigError(e, 'UEFI_NO_NETWORK_BOOT'), String(e));
    assert.match(
      e.message,
      /lists "UEFI Shell" but no "iPXE Network Boot": the UEFI variable NetworkBoot is not set: flash with --settings pxe=on .*Networking Options → Enable network boot/,
    );
    assert.doesNotMatch(e.message, /\n/);
    assert.deepEqual(board.segments, [F10]);
  });

  it('the strict fake loses keys sent before its prompt; F10 after the 6 s prompt finds no menu (UEFI_BOOT_MENU_MISSED)', async () => {
    const b = await bench((f) => {
      f.promptMs = 200;
      f.postMs = 1_500;
    });
    await con.send(F10); // during POST: nothing reads the console yet
    await con.expect(UEFI_PROMPT, { timeout: 5_000, name: 'prompt' });
    assert.deepEqual(board.lost, [F10]);
    await sleep(400);
    assert.equal(board.uefiStage, 'default-boot');
    const e = await fromUefiPrompt(b, emptyRecord()).catch((x) => x);
    assert.ok(isRigError(e, 'UEFI_BOOT_MENU_MISSED'), String(e));
    assert.match(e.message, /no boot manager menu within 5 s of F10/);
  }).timeout(30_000);

  it('auto recognises the UEFI prompt and returns an EFI iPXE; the prompt counts as the firmware banner', async () => {
    const b = await bench();
    const rec = emptyRecord();
    assert.equal(await IPXE_ENTRIES.auto(b, rec), 'efi');
    assert.equal(board.ran, 'shell');
    assert.match(rec.firmwareLog, FIRMWARE_BANNER);
  });

  it("PC Engines' entry on the UEFI prompt fails at once, naming uefi-boot-manager", async () => {
    const b = await bench();
    const e = await IPXE_ENTRIES.menu(b, emptyRecord()).catch((x) => x);
    assert.ok(isRigError(e, 'IPXE_ENTRY_MISMATCH'), String(e));
    assert.match(e.message, /the UEFI boot manager .*set boot\.network\.entry: 'uefi-boot-manager' \(or 'auto'\)/);
    assert.deepEqual(board.segments, []);
  });
});

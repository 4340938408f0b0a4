// The whole UEFI network boot against the strict Dasharo UEFI fake on a real TCP console and a
// real boot server: F10, iPXE Network Boot, Dasharo's iPXE Shell, `dhcp` and `chain` of GRUB EFI
// (not the multiboot script), then GRUB's fetches of grub.cfg, Xen, dom0 kernel and initramfs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BootBench } from '../../lib/boot/bench.ts';
import { F10 } from '../../lib/boot/ipxe-entry-uefi.ts';
import { emptyRecord } from '../../lib/boot/record.ts';
import { loadXen, networkBoot } from '../../lib/boot/transitions.ts';
import { openConsole } from '../../lib/console/open.ts';
import type { Console } from '../../lib/console/types.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { type BootServer, startBootServer } from '../../lib/pxe/boot-server.ts';
import { savedEnv } from '../helpers/saved-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { onPath, skipWithout } from '../helpers/tools.ts';
import { makeImageSet, pxeRig } from '../pxe/image-set.ts';
import { UefiBootManager } from './uefi-boot-manager-fake.ts';

describe('boot: network boot of Dasharo coreboot+UEFI through GRUB EFI', function () {
  this.timeout(30_000);
  const restoreEnv = savedEnv('IOMMU_LAB_GRUB_CACHE', 'PATH');
  let board: UefiBootManager;
  let server: BootServer | undefined;
  let con: Console;

  async function bench(entry: 'uefi-boot-manager' | 'auto', key: string | false = false): Promise<BootBench> {
    board = new UefiBootManager();
    await board.start();
    const rig = pxeRig(makeImageSet());
    rig.boot.network = {
      method: 'ipxe-shell',
      entry,
      key,
      prompt: 'N for PXE boot',
      charDelayMs: 0,
      interface: 'net0',
    };
    rig.console = { kind: 'tcp', host: '127.0.0.1', port: board.port, protocol: 'raw' };
    rig.boot.timeoutsMs = { ...rig.boot.timeoutsMs, firmware: 5_000, ipxe: 5_000 };
    server = await startBootServer(rig);
    con = await openConsole(rig.console, { transcriptPath: join(tempDir('uefi-boot-'), 'console.log') });
    return { rig, console: con, bootServer: server } as unknown as BootBench;
  }

  beforeEach(() => {
    process.env.IOMMU_LAB_GRUB_CACHE = tempDir('grub-cache-');
  });
  afterEach(async () => {
    await con?.close();
    await server?.close();
    server = undefined;
    await board?.stop();
    restoreEnv();
  });

  for (const entry of ['uefi-boot-manager', 'auto'] as const)
    it(`${entry}: chains GRUB EFI, which loads grub.cfg, Xen, dom0 kernel and initramfs from the same server`, async function () {
      if (!onPath('grub-mkstandalone'))
        skipWithout(this, 'no grub-mkstandalone on PATH', 'apt-get install grub-efi-amd64-bin');
      const b = await bench(entry);
      const rec = emptyRecord();
      await networkBoot(b, rec);
      const base = `http://127.0.0.1:${server!.listening.port}`;
      assert.equal(board.chained, `${base}/efi/grubx64.efi`);
      await loadXen(b, rec);
      assert.match(rec.xenLog, /Xen version 4\.17/);
      assert.deepEqual(board.fetched, [
        `${base}/efi/grubx64.efi`,
        `${base}/efi/grub.cfg`,
        `${base}/xen`,
        `${base}/dom0/kernel`,
        `${base}/dom0/initrd`,
      ]);
      assert.deepEqual(
        server!.log.served().map((e) => e.path),
        ['/efi/grubx64.efi', '/efi/grub.cfg', '/xen', '/dom0/kernel', '/dom0/initrd'],
        'the served set is recorded as for iPXE',
      );
      assert.ok(!server!.log.fetched('/boot.ipxe'), 'the multiboot script is not for EFI iPXE');
    });

  it("auto with the SeaBIOS key still set (one rig for every flavour): edk2's prompt instead of N for PXE boot, no key pressed", async function () {
    if (!onPath('grub-mkstandalone'))
      skipWithout(this, 'no grub-mkstandalone on PATH', 'apt-get install grub-efi-amd64-bin');
    const b = await bench('auto', 'n');
    await networkBoot(b, emptyRecord());
    assert.equal(board.segments[0], F10, 'no "n" at the UEFI prompt (the fake would take it as "boot directly")');
    assert.equal(board.chained, `http://127.0.0.1:${server!.listening.port}/efi/grubx64.efi`);
  });

  it('auto on a UEFI board without grub-mkstandalone on the host: the reason, once iPXE is reached', async () => {
    process.env.PATH = tempDir('empty-path-');
    const b = await bench('auto');
    const e = await networkBoot(b, emptyRecord()).catch((x) => x);
    assert.ok(isRigError(e, 'PXE_GRUB_MISSING'), String(e));
    assert.match(e.message, /apt-get install grub-efi-amd64-bin/);
    assert.equal(board.chained, undefined);
  });
});

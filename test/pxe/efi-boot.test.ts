// The boot server of a UEFI rig over real HTTP: GRUB EFI built with the stub naming the port it
// listens on, the run's grub.cfg, the multiboot script unchanged beside them, every fetch logged.
import assert from 'node:assert/strict';
import { isRigError, isUsageError } from '../../lib/core/errors.ts';
import { type BootServer, startBootServer } from '../../lib/pxe/boot-server.ts';
import { efiWanted } from '../../lib/pxe/efi-boot.ts';
import { renderGrubCfg } from '../../lib/pxe/grub-cfg.ts';
import { BOOT_PATHS } from '../../lib/pxe/served-set.ts';
import { validateRig } from '../../lib/rig/load.ts';
import type { Rig } from '../../lib/rig/schema.ts';
import { savedEnv } from '../helpers/saved-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { onPath, skipWithout } from '../helpers/tools.ts';
import { makeImageSet, pxeRig } from './image-set.ts';

function withEntry(rig: Rig, entry: 'uefi-boot-manager' | 'auto' | 'menu'): Rig {
  rig.boot.network = { method: 'ipxe-shell', entry, key: false, prompt: '', charDelayMs: 0, interface: 'net0' };
  return rig;
}

async function get(url: string): Promise<{ status: number; body: Buffer }> {
  const r = await fetch(url);
  return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
}

describe('pxe/efi-boot: what a UEFI board fetches', function () {
  this.timeout(60_000);
  const restoreEnv = savedEnv('IOMMU_LAB_GRUB_CACHE', 'PATH');
  let srv: BootServer | undefined;
  beforeEach(() => {
    process.env.IOMMU_LAB_GRUB_CACHE = tempDir('grub-cache-');
  });
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
    restoreEnv();
  });

  it('serves grubx64.efi (stub naming the listening port) and grub.cfg; boot.ipxe stays the multiboot script', async function () {
    if (!onPath('grub-mkstandalone'))
      skipWithout(this, 'no grub-mkstandalone on PATH', 'apt-get install grub-efi-amd64-bin');
    const rig = withEntry(pxeRig(makeImageSet()), 'uefi-boot-manager');
    srv = await startBootServer(rig);
    const base = `http://127.0.0.1:${srv.listening.port}`;
    assert.ok(srv.efi && !('error' in srv.efi));
    assert.equal(srv.efi.chainUrl, `${base}/efi/grubx64.efi`);
    const grub = await get(srv.efi.chainUrl);
    assert.equal(grub.status, 200);
    assert.equal(grub.body.subarray(0, 2).toString(), 'MZ');
    assert.ok(grub.body.includes(Buffer.from(`source '(http,127.0.0.1:${srv.listening.port})/efi/grub.cfg'`)));
    const cfg = await get(`${base}/efi/grub.cfg`);
    assert.equal(
      cfg.body.toString(),
      renderGrubCfg({
        base,
        xenCommandLine: rig.boot.xenCommandLine,
        dom0CommandLine: 'console=hvc0 earlyprintk=xen',
        paths: BOOT_PATHS,
      }),
    );
    assert.match(
      cfg.body.toString(),
      new RegExp(`^multiboot2 '\\(http,127\\.0\\.0\\.1:${srv.listening.port}\\)/xen' 'iommu=verbose'`, 'm'),
    );
    assert.match((await get(`${base}/boot.ipxe`)).body.toString(), /^kernel .*\/xen iommu=verbose/m);
    // What GRUB then loads is served from the image set as for iPXE.
    assert.equal((await get(`${base}/xen`)).status, 200);
    assert.deepEqual(
      srv.log.served().map((e) => e.path),
      ['/efi/grubx64.efi', '/efi/grub.cfg', '/boot.ipxe', '/xen'],
    );
  });

  it('a SeaBIOS rig serves no EFI files', async () => {
    const rig = withEntry(pxeRig(makeImageSet()), 'menu');
    assert.equal(efiWanted(rig), undefined);
    srv = await startBootServer(rig);
    assert.equal(srv.efi, undefined);
    assert.equal((await get(`http://127.0.0.1:${srv.listening.port}/efi/grubx64.efi`)).status, 404);
  });

  it('without grub-mkstandalone: a UEFI rig does not start (one lab line), an auto rig starts and keeps the reason', async () => {
    process.env.PATH = tempDir('empty-path-');
    const e = await startBootServer(withEntry(pxeRig(makeImageSet()), 'uefi-boot-manager')).catch((x) => x);
    assert.ok(isRigError(e, 'PXE_GRUB_MISSING'), String(e));
    assert.match(e.message, /apt-get install grub-efi-amd64-bin/);
    srv = await startBootServer(withEntry(pxeRig(makeImageSet()), 'auto'));
    assert.ok(srv.efi && 'error' in srv.efi && isRigError(srv.efi.error, 'PXE_GRUB_MISSING'));
    assert.equal((await get(`http://127.0.0.1:${srv.listening.port}/boot.ipxe`)).status, 200);
  });

  it("a rig value GRUB cannot take refuses a UEFI rig's server before it serves anything; an auto rig keeps the reason", async () => {
    const rig = withEntry(pxeRig(makeImageSet()), 'uefi-boot-manager');
    rig.boot.xenCommandLine = 'iommu=verbose dom0_mem="1G"';
    const e = await startBootServer(rig).catch((x) => x);
    assert.match(String(e), /boot\.xenCommandLine: the word dom0_mem="1G" holds a quote or backslash/);
    const auto = withEntry(pxeRig(makeImageSet()), 'auto');
    auto.boot.xenCommandLine = rig.boot.xenCommandLine;
    srv = await startBootServer(auto);
    assert.ok(srv.efi && 'error' in srv.efi && isUsageError(srv.efi.error));
    assert.match((await get(`http://127.0.0.1:${srv.listening.port}/boot.ipxe`)).body.toString(), /dom0_mem="1G"/);
  });

  it('the rig schema refuses uefi-boot-manager with the SeaBIOS key still set', () => {
    const raw = structuredClone(pxeRig(makeImageSet(), {}, 8080)) as unknown as { boot: { network: unknown } };
    raw.boot.network = { method: 'ipxe-shell', entry: 'uefi-boot-manager' };
    assert.doesNotThrow(() =>
      validateRig(
        { ...raw, boot: { ...raw.boot, network: { method: 'ipxe-shell', entry: 'uefi-boot-manager', key: false } } },
        'uefi.ts',
      ),
    );
    assert.throws(() => validateRig(raw, 'uefi.ts'), /boot\.network\.key.*set key: false/s);
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkBootVariable } from '../../../lib/uefi/dasharo.ts';
import { setVariable } from '../../../lib/uefi/varstore-write.ts';
import { buildTwinFirmware } from '../../../twin/firmware/build.ts';
import { readTwinFirmware } from '../../../twin/firmware/read.ts';

describe('twin firmware reader (the board validator)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fw-read-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const layout of ['cbfs', 'fmap'] as const) {
    for (const [iommu, pxe] of [
      [true, false],
      [false, true],
    ]) {
      it(`${layout}: reads iommu${iommu ? 1 : 0} pxen${pxe ? 1 : 0} and the version back`, async () => {
        const out = join(dir, `${layout}-${iommu}-${pxe}.rom`);
        await buildTwinFirmware({ out, layout, iommu, pxe, version: 'v4.14.0.1-test' });
        const r = await readTwinFirmware(out, join(dir, `w-${layout}-${iommu}`));
        assert.ok(r.valid, !r.valid ? r.reason : '');
        assert.equal(r.layout, layout);
        assert.deepEqual(r.settings, { iommu, pxe });
        assert.equal(r.version, 'v4.14.0.1-test');
        assert.equal(`${r.vendor} ${r.board}`, 'PC Engines apu2');
        assert.ok(r.pxeRom);
      });
    }
  }

  it('a corrupt image is not firmware', async () => {
    const out = join(dir, 'bad.rom');
    await buildTwinFirmware({ out, corrupt: true, iommu: true, pxe: true });
    const r = await readTwinFirmware(out, join(dir, 'w-bad'));
    assert.equal(r.valid, false);
  });

  it('an erased chip (all 0xFF) is not firmware', async () => {
    const out = join(dir, 'erased.rom');
    writeFileSync(out, Buffer.alloc(8 * 1024 * 1024, 0xff));
    assert.deepEqual(await readTwinFirmware(out, join(dir, 'w-erased')), { valid: false, reason: 'no FMAP signature' });
  });

  it('a CBFS whose payload has no reset vector is not firmware', async () => {
    const garbage = join(dir, 'garbage.bin');
    writeFileSync(garbage, Buffer.alloc(262144, 0x90));
    const out = join(dir, 'nopayload.rom');
    await buildTwinFirmware({ out, seabios: garbage });
    const r = await readTwinFirmware(out, join(dir, 'w-garbage'));
    assert.deepEqual(r, { valid: false, reason: 'payload has no reset vector' });
  });

  it('without a bootorder file the options are off (coreboot defaults)', async () => {
    const out = join(dir, 'nobootorder.rom');
    await buildTwinFirmware({ out, layout: 'cbfs', iommu: true, pxe: true });
    execFileSync('cbfstool', [out, 'remove', '-r', 'COREBOOT', '-n', 'bootorder']);
    const r = await readTwinFirmware(out, join(dir, 'w-nobo'));
    assert.ok(r.valid);
    assert.deepEqual(r.settings, { iommu: false, pxe: false });
  });

  it('a missing flash file is reported, not thrown', async () => {
    const r = await readTwinFirmware(join(dir, 'nope.rom'), join(dir, 'w-nope'));
    assert.equal(r.valid, false);
  });

  for (const networkBoot of [false, true])
    it(`dasharo-uefi, NetworkBoot ${networkBoot}: OVMF, the EFI ROM and the script; IOMMU always on`, async () => {
      const out = join(dir, `uefi-${networkBoot}.rom`);
      await buildTwinFirmware({
        out,
        flavour: 'dasharo-uefi',
        pxe: networkBoot,
        built: new Date('2025-11-27T00:00:00Z'),
      });
      const r = await readTwinFirmware(out, join(dir, `w-uefi-${networkBoot}`));
      assert.ok(r.valid, !r.valid ? r.reason : '');
      assert.deepEqual(r.settings, { iommu: true, pxe: networkBoot });
      assert.deepEqual([r.version, r.date, `${r.vendor} ${r.board}`], ['v0.9.1', '2025-11-27', 'PC Engines apu2']);
      assert.ok(r.uefi, 'read as Dasharo UEFI');
      assert.deepEqual(readFileSync(r.payload), readFileSync('/usr/share/OVMF/OVMF_CODE.fd'));
      assert.deepEqual(readFileSync(r.uefi.efiRom), readFileSync('/usr/lib/ipxe/qemu/efi-e1000e.rom'));
      assert.match(readFileSync(r.uefi.script, 'latin1'), /Dasharo Network Boot Menu/);
      assert.equal(r.pxeRom, undefined);
    });

  it('dasharo-uefi: NetworkBoot is read from the flashed SMMSTORE, not from the build', async () => {
    const out = join(dir, 'uefi-edited.rom');
    await buildTwinFirmware({ out, flavour: 'dasharo-uefi' });
    const img = readFileSync(out);
    setVariable(img.subarray(0, 0x40000), networkBootVariable(true)).region.copy(img, 0);
    writeFileSync(out, img);
    const r = await readTwinFirmware(out, join(dir, 'w-uefi-edited'));
    assert.ok(r.valid);
    assert.equal(r.settings.pxe, true);
    img.fill(0xff, 0, 0x40000); // an erased store: the variable is absent, Dasharo's default is off
    writeFileSync(out, img);
    const erased = await readTwinFirmware(out, join(dir, 'w-uefi-erased'));
    assert.ok(erased.valid);
    assert.equal(erased.settings.pxe, false);
  });

  it('dasharo-uefi --corrupt: the payload is no firmware volume, the board stays silent', async () => {
    const out = join(dir, 'uefi-bad.rom');
    await buildTwinFirmware({ out, flavour: 'dasharo-uefi', corrupt: true });
    assert.deepEqual(await readTwinFirmware(out, join(dir, 'w-uefi-bad')), {
      valid: false,
      reason: 'payload is not a firmware volume',
    });
  });
});

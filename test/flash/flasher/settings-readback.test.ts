// The settings on the chip after a verified write, taken from the image flashrom compared it with.
import assert from 'node:assert/strict';
import type { Flashrom } from '../../../flash/flasher/flashrom.ts';
import { readBackSettings } from '../../../flash/flasher/settings-readback.ts';
import { writeNetworkBoot } from '../../../flash/image/smmstore.ts';
import { buildTestImage, UEFI_FMD } from '../image/build-image.ts';

// A verified write needs no chip read: any call to flashrom would be a bug.
const noFlashrom = new Proxy({}, { get: () => assert.fail('flashrom used after a verified write') }) as Flashrom;
const opts = { verified: true, work: '/nonexistent' };

describe('flash/flasher/settings-readback', function () {
  this.timeout(30_000);

  it('bootorder knobs of a PC Engines image; none when it has no bootorder', async () => {
    const pce = buildTestImage({ layout: 'fmap', knobs: { iommu: '1', pxen: '0' } });
    assert.deepEqual(await readBackSettings(noFlashrom, pce, { ...opts, uefi: false }), {
      chipSettings: 'iommu=on pxe=off (verified by flashrom)',
      settingsOnChip: { iommu: true, pxe: false },
    });
    const none = buildTestImage({ layout: 'fmap', knobs: null });
    assert.deepEqual(await readBackSettings(noFlashrom, none, { ...opts, uefi: false }), {
      chipSettings: 'unknown (no bootorder)',
    });
  });

  it('Dasharo UEFI: NetworkBoot from SMMSTORE, the IOMMU named as always on, not as a setting', async () => {
    const uefi = buildTestImage({
      layout: 'fmap',
      fmd: UEFI_FMD,
      version: 'v0.9.1',
      config: ['CONFIG_PAYLOAD_EDK2=y'],
    });
    assert.deepEqual(await readBackSettings(noFlashrom, writeNetworkBoot(uefi, true), { ...opts, uefi: true }), {
      chipSettings: 'NetworkBoot=on, IOMMU always on (verified by flashrom)',
      settingsOnChip: { pxe: true },
    });
    assert.deepEqual(await readBackSettings(noFlashrom, uefi, { ...opts, uefi: true }), {
      chipSettings: 'NetworkBoot=unset (firmware default), IOMMU always on (verified by flashrom)',
      settingsOnChip: undefined,
    });
  });
});

// The rig's settings on a Dasharo UEFI image (cbfstool-made, Dasharo's apu2 map): NetworkBoot in SMMSTORE.
import assert from 'node:assert/strict';
import { findFmap, fmapArea } from '../../../flash/image/fmap.ts';
import { readNetworkBoot, writeNetworkBoot, writeUefiVariable } from '../../../flash/image/smmstore.ts';
import { applyUefiSettings, readUefiSettings, smmstoreRegionOf } from '../../../flash/supply/uefi-settings.ts';
import { buildTestImage, UEFI_FMD } from '../image/build-image.ts';

describe('flash/supply/uefi-settings', function () {
  this.timeout(30_000);
  const uefi = buildTestImage({ layout: 'fmap', fmd: UEFI_FMD, version: 'v0.9.1', config: ['CONFIG_PAYLOAD_EDK2=y'] });
  const a = fmapArea(findFmap(uefi), 'SMMSTORE')!;
  const region = (img: Buffer) => img.subarray(a.offset, a.offset + a.size);

  it('sets NetworkBoot in place and says what changed; the IOMMU alone writes nothing', () => {
    const img = Buffer.from(uefi);
    assert.deepEqual(applyUefiSettings(img, { iommu: true }), { changed: [] });
    assert.ok(img.equals(uefi));
    assert.deepEqual(applyUefiSettings(img, { iommu: true, pxe: true }).changed, [
      'SMMSTORE variable store created (region was erased)',
      'NetworkBoot (none)→on',
    ]);
    assert.equal(readNetworkBoot(img), true);
    const same = Buffer.from(img);
    assert.deepEqual(applyUefiSettings(same, { pxe: true }), { changed: [] }, 'already on: image left as it came');
    assert.ok(same.equals(img));
    assert.deepEqual(applyUefiSettings(img, { pxe: false }).changed, ['NetworkBoot on→off']);
    assert.equal(readNetworkBoot(img), false);
  });

  it('refuses (REFUSED_VARSTORE, one line) a store with no room for NetworkBoot', () => {
    const full = writeUefiVariable(uefi, {
      name: 'Filler',
      guid: '11111111-2222-3333-4444-555555555555',
      data: Buffer.alloc(65536 - 100 - 60 - 14 - 8),
      attributes: 3,
    }).image;
    assert.throws(
      () => applyUefiSettings(Buffer.from(full), { pxe: true }),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'REFUSED_VARSTORE');
        assert.match(
          e.message,
          /^flash refused: cannot set NetworkBoot: SMMSTORE: variable store is full: NetworkBoot does not fit in the \d+ bytes left of 65436 \(flash it as is without pxe= in --settings\)$/,
        );
        return true;
      },
    );
  });

  it('reads a region back for the report: set, unset, unreadable', () => {
    assert.deepEqual(readUefiSettings(region(writeNetworkBoot(uefi, true))), {
      settings: { pxe: true },
      text: 'NetworkBoot=on, IOMMU always on',
    });
    assert.deepEqual(readUefiSettings(region(uefi)), {
      settings: undefined,
      text: 'NetworkBoot=unset (firmware default), IOMMU always on',
    });
    const junk = Buffer.alloc(a.size, 0);
    assert.deepEqual(readUefiSettings(junk), {
      text: 'unknown (SMMSTORE: no firmware volume header (no "_FVH" signature at 0x28))',
    });
  });

  it('finds the SMMSTORE region only through an FMAP', () => {
    assert.deepEqual(smmstoreRegionOf(uefi), { offset: 0, size: 0x40000 });
    assert.equal(smmstoreRegionOf(buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' })), undefined);
    assert.equal(smmstoreRegionOf(Buffer.alloc(0x40000, 0xff)), undefined, 'no FMAP: not an image');
  });
});

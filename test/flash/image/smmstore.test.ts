// NetworkBoot in a Dasharo UEFI image's SMMSTORE region: images made by cbfstool/fmaptool with
// Dasharo's apu2 map, compared with what coreboot's smmstoretool writes.
import assert from 'node:assert/strict';
import { findFmap, fmapArea } from '../../../flash/image/fmap.ts';
import {
  readNetworkBoot,
  readUefiVariable,
  smmstoreArea,
  writeNetworkBoot,
  writeUefiVariable,
} from '../../../flash/image/smmstore.ts';
import { DASHARO_VARS_GUID, NETWORK_BOOT_ATTRIBUTES } from '../../../lib/uefi/dasharo.ts';
import { VarStoreError } from '../../../lib/uefi/varstore.ts';
import { varStoreFixture } from '../../uefi/varstore-fixtures.ts';
import { buildTestImage, UEFI_FMD } from './build-image.ts';

const NV_BS_RT = 0x7;

describe('flash/image/smmstore', function () {
  this.timeout(30_000);
  const uefi = buildTestImage({ layout: 'fmap', fmd: UEFI_FMD, version: 'v0.9.1', config: ['CONFIG_PAYLOAD_EDK2=y'] });
  const area = fmapArea(findFmap(uefi), 'SMMSTORE')!;
  const region = (img: Buffer) => img.subarray(area.offset, area.offset + area.size);

  it("writes into a release image's erased SMMSTORE what `smmstoretool rom set -g dasharo -n NetworkBoot` writes", () => {
    assert.ok(
      region(uefi).every((b) => b === 0xff),
      'the test image ships SMMSTORE erased, as releases do',
    );
    assert.equal(readNetworkBoot(uefi), undefined);
    const on = writeNetworkBoot(uefi, true, NV_BS_RT);
    assert.ok(region(on).equals(varStoreFixture('smmstore-networkboot-true.bin')), 'byte for byte smmstoretool');
    assert.ok(
      on.subarray(area.size).equals(uefi.subarray(area.size)),
      'nothing outside SMMSTORE changed (CBFS untouched)',
    );
    assert.equal(readNetworkBoot(on), true);
    const off = writeNetworkBoot(on, false);
    assert.ok(region(off).equals(varStoreFixture('smmstore-networkboot-false.bin')));
    assert.equal(readNetworkBoot(off), false);
    assert.ok(
      region(uefi).every((b) => b === 0xff),
      'the input image is not modified',
    );
  });

  it("by default writes Dasharo's own attributes NV|BS: smmstoretool's bytes but for the attributes", () => {
    const ours = region(writeNetworkBoot(uefi, true));
    const theirs = varStoreFixture('smmstore-networkboot-true.bin');
    const differ = [...ours.keys()].filter((i) => ours[i] !== theirs[i]);
    assert.deepEqual(differ, [0x68], 'only the Attributes field of the one variable header (at 0x64 + 4)');
    assert.deepEqual([ours[0x68], theirs[0x68], NETWORK_BOOT_ATTRIBUTES], [0x3, 0x7, 0x3]);
  });

  it('tells a new store from an edit, and what the variable held before', () => {
    const first = writeUefiVariable(uefi, {
      name: 'NetworkBoot',
      guid: DASHARO_VARS_GUID,
      data: Buffer.from([1]),
      attributes: 3,
    });
    assert.deepEqual([first.created, first.previous], [true, undefined]);
    const again = writeUefiVariable(first.image, {
      name: 'NetworkBoot',
      guid: DASHARO_VARS_GUID,
      data: Buffer.from([0]),
      attributes: 3,
    });
    assert.deepEqual([again.created, again.previous], [false, Buffer.from([1])]);
  });

  it('takes a file without FMAP as the region itself (an OVMF_VARS, an extracted SMMSTORE)', () => {
    const vars = varStoreFixture('OVMF_VARS.ms.fd');
    assert.deepEqual(smmstoreArea(vars), { offset: 0, size: vars.length, fromFmap: false });
    assert.deepEqual(
      readUefiVariable(vars, 'SecureBootEnable', 'f0a30bc7-af08-4556-99c4-001009c93a44'),
      Buffer.from([1]),
    );
    assert.equal(readNetworkBoot(writeNetworkBoot(vars, true)), true);
  });

  it('refuses an FMAP without SMMSTORE, and a region that is neither erased nor a store (never reformats it)', () => {
    const pcengines = buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' });
    assert.throws(
      () => writeNetworkBoot(pcengines, true),
      /^VarStoreError: the image has an FMAP but no SMMSTORE region$/,
    );
    const junk = Buffer.from(uefi);
    junk.fill(0, area.offset, area.offset + 0x1000);
    assert.throws(
      () => writeNetworkBoot(junk, true),
      (e: Error) => e instanceof VarStoreError && /no "_FVH"/.test(e.message),
    );
    assert.throws(() => readNetworkBoot(junk), VarStoreError);
  });
});

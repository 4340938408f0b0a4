import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBootorder, setKnobs } from '../../../flash/image/bootorder.ts';
import {
  describeRegions,
  inspectImage,
  readBootorderBytes,
  readImageSettings,
  writeBootorderBytes,
} from '../../../flash/image/inspect.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { buildTestImage } from './build-image.ts';

describe('image inspection (images made by cbfstool/fmaptool)', () => {
  it('finds the FMAP regions, the CBFS in COREBOOT and the BOOTORDER region (v4.14.0.1+ layout)', () => {
    const img = buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' });
    const info = inspectImage(img);
    assert.deepEqual(
      info.fmap?.areas.map((a) => a.name),
      ['BIOS', 'RW_MRC_CACHE', 'BOOTORDER', 'RW_VPD', 'FMAP', 'COREBOOT'],
    );
    assert.equal(info.fmap?.offset, 0x20000);
    assert.equal(info.cbfs[0]?.region, 'COREBOOT');
    assert.ok(info.cbfs[0]?.files.some((f) => f.name === 'config'));
    assert.equal(info.bootorder?.layout, 'fmap');
    assert.equal(info.bootorder?.offset, 0x10000);
    assert.equal(info.identity.version, 'v4.19.0.1');
    assert.equal(info.identity.board, 'PC Engines apu2');
    assert.deepEqual(readImageSettings(img, info.bootorder), { pxen: '0', scon: '1', usben: '1', iommu: '0' });
    assert.ok(describeRegions(info).some((r) => /^COREBOOT 0x20800\+0x7df800 \(CBFS, \d+ files\)$/.test(r)));
  });

  it('finds the master header and the CBFS bootorder file (pre-v4.14.0.1 layout)', () => {
    const img = buildTestImage({ layout: 'cbfs', board: 'apu3', version: 'v4.12.0.2' });
    const info = inspectImage(img);
    assert.equal(info.fmap, undefined);
    assert.equal(info.masterHeader?.romSize, 8 * 1024 * 1024);
    assert.equal(info.bootorder?.layout, 'cbfs');
    assert.equal(info.bootorder?.size, 4096);
    assert.equal(info.bootorder!.offset % 0x1000, 0, 'bootorder is sector aligned');
    assert.equal(info.identity.board, 'PC Engines apu3');
    assert.equal(info.identity.version, 'v4.12.0.2');
  });

  it('edits a hashed CBFS bootorder so that cbfstool still calls the hash valid', () => {
    const img = buildTestImage({ layout: 'cbfs', hash: true });
    const info = inspectImage(img);
    assert.ok(info.bootorder?.file?.hash, 'hash attribute found');
    const edit = setKnobs(readBootorderBytes(img, info.bootorder!), { iommu: '1' });
    writeBootorderBytes(img, info.bootorder!, edit.bytes);
    assert.equal(parseBootorder(readBootorderBytes(img, info.bootorder!)).settings.iommu, '1');
    const dir = tempDir('iommu-lab-t-');
    writeFileSync(join(dir, 'x.rom'), img);
    const out = execFileSync('cbfstool', [join(dir, 'x.rom'), 'print', '-v'], { encoding: 'utf8', stdio: 'pipe' });
    assert.match(out, /hash SHA256:[0-9a-f]{64} valid/);
    assert.doesNotMatch(out, /invalid/);
  });

  it('finds nothing in bytes that are not coreboot', () => {
    const info = inspectImage(Buffer.alloc(8 * 1024 * 1024, 0xa5));
    assert.equal(info.fmap, undefined);
    assert.equal(info.masterHeader, undefined);
    assert.equal(info.cbfs.length, 0);
    assert.equal(info.bootorder, undefined);
  });
});

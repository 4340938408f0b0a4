import assert from 'node:assert/strict';
import type { CbfsFile } from '../../../flash/image/cbfs.ts';
import { compareVersions, identifyImage, sameBoard } from '../../../flash/image/identify.ts';

function imageWith(files: Record<string, string>): { buf: Buffer; files: CbfsFile[] } {
  const parts: Buffer[] = [];
  const out: CbfsFile[] = [];
  let at = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'latin1');
    out.push({ name, type: 0x50, headerOffset: at, dataOffset: at, size: data.length, compressed: false });
    parts.push(data);
    at += data.length;
  }
  return { buf: Buffer.concat(parts), files: out };
}

describe('image identity', () => {
  it("reads coreboot's build.h (CBFS revision) for version and board", () => {
    const { buf, files } = imageWith({
      revision:
        '#define COREBOOT_VERSION "v4.19.0.1"\n#define COREBOOT_MAINBOARD_VENDOR "PC Engines"\n#define COREBOOT_MAINBOARD_PART_NUMBER "apu2"\n',
    });
    assert.deepEqual(identifyImage(buf, files), {
      version: 'v4.19.0.1',
      board: 'PC Engines apu2',
      sources: ['version from CBFS revision', 'board from CBFS revision'],
    });
  });

  it("a real build (config LZMA-compressed): the release tag from build.h's COREBOOT_EXTRA_VERSION, not build_info's git describe", () => {
    const { buf, files } = imageWith({
      build_info: 'COREBOOT_VERSION: 24.08-88-gd944bc39\nMAINBOARD_VENDOR: PC Engines\nMAINBOARD_PART_NUMBER: apu2\n',
      revision:
        '#define COREBOOT_VERSION "24.08-88-gd944bc39"\n#define COREBOOT_EXTRA_VERSION "-v24.08.00.01"\n#define COREBOOT_DMI_DATE "01/01/1970"\n',
    });
    const id = identifyImage(buf, files);
    assert.equal(id.version, 'v24.08.00.01');
    assert.deepEqual(id.sources, ['version from CBFS revision', 'board from CBFS build_info']);
  });

  it('an upstream build (empty COREBOOT_EXTRA_VERSION): the coreboot version', () => {
    const { buf, files } = imageWith({
      build_info: 'COREBOOT_VERSION: 26.06\n',
      revision: '#define COREBOOT_VERSION "26.06"\n#define COREBOOT_EXTRA_VERSION ""\n',
    });
    assert.equal(identifyImage(buf, files).version, '26.06');
  });

  it('prefers the .config LOCALVERSION (the PC Engines tag) and its board option', () => {
    const { buf, files } = imageWith({
      config: 'CONFIG_LOCALVERSION="v4.14.0.1"\nCONFIG_BOARD_PCENGINES_APU4=y\n',
      revision: '#define COREBOOT_VERSION "4.14-1234"\n',
    });
    const id = identifyImage(buf, files);
    assert.equal(id.version, 'v4.14.0.1');
    assert.equal(id.board, 'PC Engines apu4');
  });

  it('falls back to the banner strings of the image', () => {
    const buf = Buffer.from('\0\0PC Engines apu2\ncoreboot build 20170831\nBIOS version v4.0.12\n\0', 'latin1');
    const id = identifyImage(buf, []);
    assert.equal(id.board, 'PC Engines apu2');
    assert.equal(id.version, 'v4.0.12');
  });

  it('compares boards and release versions', () => {
    assert.ok(sameBoard('apu2', 'PC Engines apu2'));
    assert.ok(!sameBoard('PC Engines apu3', 'PC Engines apu2'));
    assert.equal(compareVersions('v4.14.0.1', 'v4.13.0.6'), 1);
    assert.equal(compareVersions('v4.14.0.1', '4.14.0.1'), 0);
  });
});

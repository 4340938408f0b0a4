import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flavourOfImage } from '../../../flash/image/flavour.ts';
import { inspectImage } from '../../../flash/image/inspect.ts';
import { parseFirmwareLog } from '../../../lib/firmware/banner.ts';
import { flavourOfConsole } from '../../../lib/firmware/flavour.ts';
import { liveVariables, parseVarStore } from '../../../lib/uefi/varstore.ts';
import { signOn } from '../../../twin/board/banner.ts';
import { buildTwinFirmware, CBFS_IPXE_SCRIPT, DASHARO_MENU } from '../../../twin/firmware/build.ts';
import { CBFS_EFI_ROM, CBFS_OVMF_CODE } from '../../../twin/firmware/cbfs-names.ts';
import { readTwinFirmware } from '../../../twin/firmware/read.ts';
import { networkBootEnabled } from '../../../twin/firmware/smmstore.ts';

const cbfstool = (...args: string[]) => execFileSync('cbfstool', args, { encoding: 'utf8', stdio: 'pipe' });

describe('twin firmware builder (real fmaptool/cbfstool)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fw-build-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const layout of ['cbfs', 'fmap'] as const) {
    it(`${layout} layout: 8 MiB image whose CBFS and bootorder cbfstool can read`, async () => {
      const out = join(dir, `${layout}.rom`);
      const b = await buildTwinFirmware({ out, layout, iommu: true, pxe: true, version: 'v4.19.0.1-twin' });
      assert.equal(b.layout, layout);
      assert.equal(readFileSync(out).length, 8 * 1024 * 1024);
      const listing = cbfstool(out, 'print', '-r', 'COREBOOT');
      for (const name of ['revision', 'img/seabios', 'genroms/pxe.rom'])
        assert.match(listing, new RegExp(`^${name}\\s`, 'm'));
      const regions = cbfstool(out, 'layout');
      const bo = join(dir, `${layout}.bootorder`);
      if (layout === 'fmap') {
        assert.match(regions, /'BOOTORDER'/);
        assert.doesNotMatch(listing, /^bootorder\s/m);
        cbfstool(out, 'read', '-r', 'BOOTORDER', '-f', bo);
      } else {
        assert.doesNotMatch(regions, /'BOOTORDER'/);
        cbfstool(out, 'extract', '-r', 'COREBOOT', '-n', 'bootorder', '-f', bo);
      }
      const bytes = readFileSync(bo);
      assert.equal(bytes.length, 4096);
      const text = bytes.subarray(0, bytes.indexOf(0xff)).toString('latin1');
      assert.match(text, /^\/pci@i0cf8\//);
      assert.match(text, /^pxen1$/m);
      assert.match(text, /^iommu1$/m);
      assert.match(text, /^scon1$/m);
      const rev = join(dir, `${layout}.revision`);
      cbfstool(out, 'extract', '-r', 'COREBOOT', '-n', 'revision', '-f', rev);
      assert.match(readFileSync(rev, 'utf8'), /COREBOOT_VERSION "v4\.19\.0\.1-twin"/);
      const payload = join(dir, `${layout}.payload`);
      cbfstool(out, 'extract', '-r', 'COREBOOT', '-n', 'img/seabios', '-f', payload);
      assert.deepEqual(readFileSync(payload), readFileSync('/usr/share/seabios/bios-256k.bin'));
    });
  }

  it('defaults like a PC Engines release: iommu0, pxen0, BOOTORDER region for v4.19', async () => {
    const out = join(dir, 'default.rom');
    const b = await buildTwinFirmware({ out });
    assert.deepEqual([b.iommu, b.pxe, b.layout], [false, false, 'fmap']);
    const bo = join(dir, 'default.bootorder');
    cbfstool(out, 'read', '-r', 'BOOTORDER', '-f', bo);
    const text = readFileSync(bo, 'latin1');
    assert.match(text, /^pxen0$/m);
    assert.match(text, /^iommu0$/m);
  });

  it('picks the pre-v4.14.0.1 CBFS layout for old versions', async () => {
    const b = await buildTwinFirmware({ out: join(dir, 'old.rom'), version: 'v4.13.0.5' });
    assert.equal(b.layout, 'cbfs');
  });

  it('--corrupt: still a coreboot image to cbfstool, but its payload is garbage', async () => {
    const out = join(dir, 'bad.rom');
    await buildTwinFirmware({ out, corrupt: true });
    assert.equal(readFileSync(out).length, 8 * 1024 * 1024);
    assert.ok(readFileSync(out).indexOf('__FMAP__') >= 0);
    assert.match(cbfstool(out, 'print'), /revision/);
    const good = join(dir, 'good-for-corrupt.rom');
    await buildTwinFirmware({ out: good });
    assert.notDeepEqual(readFileSync(out), readFileSync(good));
  });

  it('rejects a version that could not be a coreboot version string', async () => {
    await assert.rejects(
      buildTwinFirmware({ out: join(dir, 'x.rom'), version: 'v4"; rm -rf /' }),
      /bad firmware version/,
    );
  });
});

describe('twin firmware builder: --flavour dasharo-seabios', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fw-dasharo-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("Dasharo's flash map and dasharo.ipxe; iommu-lab tells it dasharo-seabios v24.08.00.01; the board signs on with 19700101", async () => {
    const out = join(dir, 'dasharo.rom');
    const b = await buildTwinFirmware({ out, flavour: 'dasharo-seabios', iommu: true, pxe: true });
    assert.deepEqual([b.flavour, b.version, b.layout], ['dasharo-seabios', 'v24.08.00.01', 'fmap']);
    const regions = cbfstool(out, 'layout');
    for (const r of ['BOOTORDER', 'RW_VPD', 'SMMSTORE', 'RO_FRID', 'GBB'])
      assert.match(regions, new RegExp(`'${r}'`), `dasharo-pq patch 0074 board.fmd has ${r}`);
    const script = join(dir, 'script');
    cbfstool(out, 'extract', '-r', 'COREBOOT', '-n', CBFS_IPXE_SCRIPT, '-f', script);
    assert.deepEqual(readFileSync(script), readFileSync(fileURLToPath(DASHARO_MENU)));
    assert.match(readFileSync(script, 'latin1'), /Dasharo Network Boot Menu[\s\S]*item shell +iPXE Shell/);

    const img = readFileSync(out);
    const info = inspectImage(img);
    const told = flavourOfImage(info, img);
    assert.deepEqual([told?.flavour, told?.version], ['dasharo-seabios', 'v24.08.00.01']);
    assert.equal(info.bootorder?.layout, 'fmap');

    const reading = await readTwinFirmware(out, join(dir, 'read'));
    assert.ok(reading.valid, reading.valid ? '' : reading.reason);
    if (!reading.valid) return;
    assert.deepEqual(reading.settings, { iommu: true, pxe: true });
    const text = signOn({ ...reading, iommu: true, memoryMiB: 4096 });
    assert.match(text, /^PC Engines apu2\r\ncoreboot build 19700101\r\nBIOS version v24\.08\.00\.01\r\n/);
    const b2 = parseFirmwareLog(text);
    assert.equal(flavourOfConsole(b2, text)?.flavour, 'dasharo-seabios');
  });

  it('refuses the CBFS bootorder layout for Dasharo (it has none)', async () => {
    await assert.rejects(
      buildTwinFirmware({ out: join(dir, 'x.rom'), flavour: 'dasharo-seabios', layout: 'cbfs' }),
      /Dasharo SeaBIOS keeps bootorder in the FMAP region BOOTORDER/,
    );
  });

  describe('--flavour dasharo-uefi', () => {
    it("Dasharo UEFI's flash map, its version in build.h, and flash/image calls it dasharo-uefi v0.9.1", async () => {
      const out = join(dir, 'uefi.rom');
      const b = await buildTwinFirmware({ out, flavour: 'dasharo-uefi', built: new Date('2025-11-27T00:00:00Z') });
      assert.deepEqual([b.flavour, b.version, b.iommu, b.pxe], ['dasharo-uefi', 'v0.9.1', true, false]);
      const img = readFileSync(out);
      assert.equal(img.length, 8 * 1024 * 1024);
      const info = inspectImage(img);
      // vboot-rwa.fmd @ pcengines_apu2_v0.9.1-rc1, laid out by fmaptool.
      assert.deepEqual(
        info.fmap?.areas.map((a) => `${a.name}@${a.offset.toString(16)}+${a.size.toString(16)}`),
        [
          'SI_BIOS@0+800000',
          'SMMSTORE@0+40000',
          'RW_NVRAM@40000+1000',
          'RW_SECTION_A@41000+3bf000',
          'VBLOCK_A@41000+2000',
          'FW_MAIN_A@43000+3bcf00',
          'RW_FWID_A@3fff00+100',
          'WP_RO@400000+400000',
          'RO_SECTION@400000+400000',
          'FMAP@400000+1000',
          'RO_FRID@401000+100',
          'RO_FRID_PAD@401100+700',
          'GBB@401800+10000',
          'COREBOOT@411800+3ee800',
        ],
      );
      const told = flavourOfImage(info, img);
      assert.deepEqual(
        [told?.flavour, told?.version, told?.versionFrom],
        ['dasharo-uefi', 'v0.9.1', 'image: CBFS revision'],
      );
      assert.equal(info.bootorder, undefined, 'no bootorder anywhere');
      const rev = join(dir, 'uefi.revision');
      cbfstool(out, 'extract', '-r', 'COREBOOT', '-n', 'revision', '-f', rev);
      const h = readFileSync(rev, 'latin1');
      assert.match(h, /#define DASHARO_VERSION "v0\.9\.1"/);
      assert.match(h, /#define COREBOOT_EXTRA_VERSION "-v0\.9\.1"/);
      assert.match(h, /#define COREBOOT_DMI_DATE "11\/27\/2025"/);
      const listing = cbfstool(out, 'print', '-r', 'COREBOOT');
      for (const name of [CBFS_OVMF_CODE, CBFS_EFI_ROM, CBFS_IPXE_SCRIPT])
        assert.match(listing, new RegExp(`^${name}\\s`, 'm'));
      const script = join(dir, 'uefi.script');
      cbfstool(out, 'extract', '-r', 'COREBOOT', '-n', CBFS_IPXE_SCRIPT, '-f', script);
      assert.deepEqual(readFileSync(script), readFileSync(fileURLToPath(DASHARO_MENU)));
      // vboot writes "$(MAINBOARD_VENDOR)_$(MAINBOARD_PART_NUMBER).$(KERNELVERSION)" NUL, fill 0.
      const frid = img.subarray(0x401000, 0x401100);
      assert.match(frid.toString('latin1'), /^PC Engines_apu2\.[^\0]+\0+$/);
    });

    it('SMMSTORE holds a formatted variable store: empty by default, NetworkBoot=true with --pxe on', async () => {
      const region = (f: string) => readFileSync(f).subarray(0, 0x40000);
      const off = join(dir, 'uefi-off.rom');
      await buildTwinFirmware({ out: off, flavour: 'dasharo-uefi' });
      assert.deepEqual(liveVariables(parseVarStore(region(off))), []);
      assert.equal(networkBootEnabled(region(off)), false);
      const on = join(dir, 'uefi-on.rom');
      const b = await buildTwinFirmware({ out: on, flavour: 'dasharo-uefi', pxe: true });
      assert.equal(b.pxe, true);
      assert.equal(networkBootEnabled(region(on)), true);
    });

    it('refuses what Dasharo UEFI has no switch for: the IOMMU off, a bootorder layout, the leaky control', async () => {
      const out = join(dir, 'x.rom');
      await assert.rejects(buildTwinFirmware({ out, flavour: 'dasharo-uefi', iommu: false }), /no IOMMU switch/);
      await assert.rejects(buildTwinFirmware({ out, flavour: 'dasharo-uefi', layout: 'fmap' }), /one flash map/);
      await assert.rejects(
        buildTwinFirmware({ out, flavour: 'dasharo-uefi', leakyIommu: true }),
        /not built for Dasharo UEFI/,
      );
    });
  });
});

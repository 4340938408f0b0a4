// Which build family an image or a console is (lib/firmware/flavour.ts): images made with the
// real coreboot tools, consoles as each flavour prints them.
import assert from 'node:assert/strict';
import { parseFirmwareLog } from '../../lib/firmware/banner.ts';
import {
  buildDateOf,
  flavourOfConsole,
  flavourOfImage,
  flavourOfVersion,
  parseFlavourArg,
} from '../../lib/firmware/flavour.ts';
import { inspectImage } from '../../lib/firmware/image/inspect.ts';
import { buildTestImage, UEFI_FMD } from './image/build-image.ts';

const ofImage = (buf: Buffer) => flavourOfImage(inspectImage(buf), buf);

describe('firmware/flavour', function () {
  this.timeout(30_000);

  describe('from the image', () => {
    it('PC Engines v4.19.0.1 (FMAP BOOTORDER) and v4.13.0.6 (CBFS bootorder): pcengines, version from CBFS config', () => {
      for (const [layout, version] of [
        ['fmap', 'v4.19.0.1'],
        ['cbfs', 'v4.13.0.6'],
      ] as const) {
        const v = ofImage(buildTestImage({ layout, version }));
        assert.deepEqual(
          { flavour: v?.flavour, version: v?.version, from: v?.versionFrom },
          {
            flavour: 'pcengines',
            version,
            from: 'image: CBFS config',
          },
        );
      }
    });

    it('Dasharo SeaBIOS v24.08.00.01 (same FMAP layout as PC Engines): dasharo-seabios, told by its version', () => {
      const v = ofImage(buildTestImage({ layout: 'fmap', version: 'v24.08.00.01' }));
      assert.equal(v?.flavour, 'dasharo-seabios');
      assert.equal(v?.version, 'v24.08.00.01');
    });

    it('Dasharo UEFI: SMMSTORE + RW_SECTION_A and no BOOTORDER tell it even without a version', () => {
      const v = ofImage(buildTestImage({ layout: 'fmap', fmd: UEFI_FMD, version: 'unknown-tag' }));
      assert.equal(v?.flavour, 'dasharo-uefi');
      assert.match(v!.why, /SMMSTORE and RW_SECTION_A/);
    });

    it('Dasharo UEFI by its config (CONFIG_PAYLOAD_EDK2=y) in a PC Engines-like layout', () => {
      const v = ofImage(buildTestImage({ layout: 'fmap', version: 'v0.9.1', config: ['CONFIG_PAYLOAD_EDK2=y'] }));
      assert.equal(v?.flavour, 'dasharo-uefi');
      assert.equal(v?.version, 'v0.9.1');
    });

    it('upstream coreboot 26.06: coreboot; an image with no known version tells nothing', () => {
      assert.equal(ofImage(buildTestImage({ layout: 'fmap', version: '26.06' }))?.flavour, 'coreboot');
      assert.equal(ofImage(buildTestImage({ layout: 'fmap', version: 'my-build' })), undefined);
    });
  });

  describe('from the version string', () => {
    it('tells the families apart', () => {
      assert.equal(flavourOfVersion('v4.19.0.1'), 'pcengines');
      assert.equal(flavourOfVersion('v4.19.0.1-twin'), 'pcengines');
      assert.equal(flavourOfVersion('v24.05.00.01'), 'dasharo-seabios');
      assert.equal(flavourOfVersion('v0.9.1'), 'dasharo-uefi');
      assert.equal(flavourOfVersion('Dasharo (coreboot+UEFI) v0.9.0'), 'dasharo-uefi');
      assert.equal(flavourOfVersion('24.08'), 'coreboot');
      assert.equal(flavourOfVersion('26.06-12-gabcdef0'), 'coreboot');
      assert.equal(flavourOfVersion('v4.19'), undefined, 'not a PC Engines release tag');
    });
  });

  describe('from the console', () => {
    it('Dasharo SeaBIOS sign-on: dasharo-seabios from the "BIOS version" line; 19700101 is no date', () => {
      const log =
        'PC Engines apu2\r\ncoreboot build 19700101\r\nBIOS version v24.08.00.01\r\n4080 MB ECC DRAM\r\n\r\nSeaBIOS (version rel-1.16.3.1)\r\n';
      const b = parseFirmwareLog(log);
      const v = flavourOfConsole(b, log);
      assert.deepEqual(v && { f: v.flavour, v: v.version, from: v.versionFrom }, {
        f: 'dasharo-seabios',
        v: 'v24.08.00.01',
        from: 'console: "BIOS version" line',
      });
      assert.equal(buildDateOf(b.corebootBuild), null);
    });

    it('PC Engines sign-on: pcengines, and its build date is a date', () => {
      const log = 'PC Engines apu2\r\ncoreboot build 20251125\r\nBIOS version v4.19.0.1\r\n';
      const b = parseFirmwareLog(log);
      assert.equal(flavourOfConsole(b, log)?.flavour, 'pcengines');
      assert.equal(buildDateOf(b.corebootBuild), '2025-11-25');
    });

    it("Dasharo UEFI: edk2's prompt, no version on serial", () => {
      const log = 'DEL   to enter Setup\r\nF10   to enter Boot Manager Menu\r\nENTER to boot directly\r\n';
      const v = flavourOfConsole(parseFirmwareLog(log), log);
      assert.deepEqual(v && { f: v.flavour, v: v.version }, { f: 'dasharo-uefi', v: null });
    });

    it('upstream coreboot: only a stage banner names the version', () => {
      const log = 'coreboot-26.06 Wed Jun 17 00:00:00 UTC 2026 ramstage starting (log level: 7)...\r\n';
      const v = flavourOfConsole(parseFirmwareLog(log), log);
      assert.deepEqual(v && { f: v.flavour, from: v.versionFrom }, {
        f: 'coreboot',
        from: 'console: coreboot stage banner',
      });
    });

    it('a console that names nothing tells nothing', () => {
      const log = 'SeaBIOS (version 1.16.2-debian-1.16.2-1)\r\n';
      assert.equal(flavourOfConsole(parseFirmwareLog(log), log), undefined);
    });
  });

  it('--flavour takes the four names only', () => {
    assert.equal(parseFlavourArg('dasharo-seabios'), 'dasharo-seabios');
    assert.throws(() => parseFlavourArg('dasharo'), /--flavour: "dasharo" is not one of pcengines, dasharo-seabios/);
  });
});

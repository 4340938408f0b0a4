// Which build family a version or a console is (lib/firmware/flavour.ts), consoles as each flavour
// prints them (an image's: test/flash/image/flavour.test.ts).
import assert from 'node:assert/strict';
import { parseFirmwareLog } from '../../lib/firmware/banner.ts';
import { buildDateOf, flavourOfConsole, flavourOfVersion, parseFlavourArg } from '../../lib/firmware/flavour.ts';

describe('firmware/flavour', function () {
  this.timeout(30_000);

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

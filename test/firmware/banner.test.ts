import assert from 'node:assert/strict';
import { parseFirmwareLog } from '../../lib/firmware/banner.ts';
import { logFixture } from '../fixtures/logs.ts';

describe('firmware/banner', () => {
  it('reads a PC Engines release banner', () => {
    const b = parseFirmwareLog(logFixture('apu2-v4.10.0.2-release.serial.log'));
    assert.equal(b.board, 'PC Engines apu2');
    assert.equal(b.corebootBuild, '20190909');
    assert.equal(b.version, 'v4.10.0.2');
    assert.equal(b.memoryMiB, 4080);
    assert.equal(b.ecc, true);
    assert.equal(b.seabiosVersion, 'rel-1.12.1.3-0-g300e8b7');
    assert.equal(b.pxeOffered, true);
    assert.equal(b.ivrs, null);
    assert.deepEqual(b.booting, ['ROM']);
    assert.equal(b.ipxe, true);
  });

  it('reads the legacy banner (no space, no BIOS version, no PXE prompt)', () => {
    const b = parseFirmwareLog(logFixture('apu2-legacy-20170228.serial.log').replace(/\n/g, '\r\n'));
    assert.equal(b.board, 'PC Engines apu2');
    assert.equal(b.version, null);
    assert.equal(b.corebootBuild, '20170228');
    assert.equal(b.pxeOffered, false);
    assert.deepEqual(b.booting, ['Hard Disk']);
  });

  it('sees the IVRS written in a debug log, and the version from the stage banner', () => {
    const b = parseFirmwareLog(logFixture('apu2-coreboot-debug-ivrs.serial.log'));
    assert.equal(b.ivrs, true);
    assert.ok(b.acpiTablesWritten.includes('MADT'));
    assert.equal(b.stageBanners.length, 3);
    assert.equal(parseFirmwareLog(b.stageBanners.join('\n')).version, 'v4.10.0.2');
    assert.deepEqual(b.ivrsErrors, []);
  });

  it('says no IVRS when acpi_fill_ivrs failed, or the tables were written without it', () => {
    const b = parseFirmwareLog(logFixture('apu2-coreboot-debug-no-ivrs.serial.log'));
    assert.equal(b.ivrs, false);
    assert.equal(b.ivrsErrors.length, 1);
    assert.match(b.ivrsErrors[0].text, /acpi_fill_ivrs: AGESA returned NULL IVRS/);
    const noTable = logFixture('apu2-coreboot-debug-ivrs.serial.log').replace(/^ACPI: {4}\* IVRS.*\n/m, '');
    assert.equal(parseFirmwareLog(noTable).ivrs, false);
  });

  it('reads the setup menu settings, IOMMU off', () => {
    const b = parseFirmwareLog(logFixture('apu2-sortbootorder-menu.serial.log'));
    assert.equal(b.iommuSetting, false);
    assert.equal(b.settings['Network/PXE boot'], false);
    assert.equal(b.settings['USB boot'], true);
    assert.equal(b.settings['UART C'], true);
  });

  it('reads the twin SeaBIOS with ANSI noise', () => {
    const b = parseFirmwareLog('\x1b[2J\x1b[HSeaBIOS (version 1.16.2-debian-1.16.2-1)\r\n');
    assert.equal(b.seabiosVersion, '1.16.2-debian-1.16.2-1');
    assert.equal(b.board, null);
  });

  it('reads the banner through line noise: a 0xFF byte, or any glitch, before or inside a line', () => {
    const clean = logFixture('apu2-v4.10.0.2-release.serial.log');
    const expected = parseFirmwareLog(clean);
    // As the console decodes it: the UART's 0xFF becomes U+FFFD.
    const noisyBytes = Buffer.concat([Buffer.from([0xff]), Buffer.from(clean.replace(/\n/g, '\n\xff'), 'latin1')]);
    for (const noisy of [noisyBytes.toString('utf8'), clean.replace(/^/gm, '\x00\x1b[0m~')]) {
      const b = parseFirmwareLog(noisy);
      assert.equal(b.board, 'PC Engines apu2');
      for (const k of [
        'corebootBuild',
        'version',
        'memoryMiB',
        'ecc',
        'seabiosVersion',
        'pxeOffered',
        'booting',
        'ipxe',
      ] as const)
        assert.deepEqual(b[k], expected[k], k);
    }
    assert.equal(parseFirmwareLog('\ufffdPC Engines apu2\r\n').board, 'PC Engines apu2');
    assert.equal(parseFirmwareLog('garbage ~PC Engines apu2\r\n').board, 'PC Engines apu2');
  });
});

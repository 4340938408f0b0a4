// The settings a boot shows on the console, from each of the three places they appear.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { settingsAtBoot } from '../../lib/firmware/boot-settings.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url), 'latin1');

describe('firmware/boot-settings: the settings as seen at boot', () => {
  it("the twin's coreboot line and SeaBIOS' PXE prompt (a captured twin boot)", () => {
    assert.deepEqual(settingsAtBoot(fixture('twin-4.20-captured-iommu-on.serial.log')), { iommu: true, pxe: true });
  });

  it('the knob line says off, and a prompt without "N for PXE boot" means pxen0', () => {
    const log = 'IOMMU: disabled (bootorder: iommu0)\r\nPress F10 key now for boot menu\r\n';
    assert.deepEqual(settingsAtBoot(log), { iommu: false, pxe: false });
  });

  it("sortbootorder's setup menu, when it was shown", () => {
    assert.deepEqual(settingsAtBoot(fixture('apu2-sortbootorder-menu.serial.log')), { iommu: false, pxe: false });
  });

  it('nothing on the console: nothing claimed', () => {
    assert.deepEqual(settingsAtBoot('PC Engines apu2\r\ncoreboot build 20190909\r\n'), {});
  });
});

import assert from 'node:assert/strict';
import {
  describeKnobs,
  parseSettingsArg,
  refusedSetting,
  settingsToKnobs,
  unsupportedSettings,
} from '../../../flash/supply/settings.ts';

describe('firmware settings', () => {
  it('parses --settings and maps to PC Engines knobs', () => {
    const s = parseSettingsArg('iommu=on,pxe=off');
    assert.deepEqual(s, { iommu: true, pxe: false });
    assert.deepEqual(settingsToKnobs(s), { iommu: '1', pxen: '0' });
  });

  it('rejects anything else with a one-line usage error', () => {
    assert.throws(() => parseSettingsArg('iommu=yes'), /^UsageError: --settings: "iommu=yes"/);
    assert.throws(() => parseSettingsArg('usb=on'), /UsageError/);
  });

  it('describes knobs for the report, unknown when the image has no bootorder', () => {
    assert.equal(describeKnobs({ iommu: '1', pxen: '0' }), 'iommu=on pxe=off');
    assert.equal(describeKnobs({ pxen: '1' }), 'iommu=unset pxe=on');
    assert.equal(describeKnobs(undefined), 'unknown (no bootorder)');
  });

  it('per flavour: iommu=off refused on Dasharo UEFI, its IOMMU a note, its network boot written (no warning)', () => {
    assert.match(
      refusedSetting('dasharo-uefi', { iommu: false }) ?? '',
      /^iommu=off: Dasharo \(coreboot\+UEFI\) has no IOMMU switch/,
    );
    assert.equal(refusedSetting('pcengines', { iommu: false }), undefined);
    assert.equal(unsupportedSettings('dasharo-uefi', { pxe: true }), undefined);
    assert.equal(
      unsupportedSettings('dasharo-uefi', { iommu: true, pxe: false }),
      'Dasharo UEFI has no IOMMU switch: always on, nothing to write for iommu=on',
    );
    assert.match(unsupportedSettings('coreboot', { pxe: true }) ?? '', /upstream coreboot has no bootorder knobs/);
  });
});

import assert from 'node:assert/strict';
import { describeKnobs, parseSettingsArg, settingsToKnobs } from '../../../flash/supply/settings.ts';

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
});

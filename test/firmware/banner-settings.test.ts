import assert from 'node:assert/strict';
import { toLines } from '../../lib/core/text.ts';
import { parseFirmwareSettings } from '../../lib/firmware/banner-settings.ts';

describe('firmware/banner-settings', () => {
  it('reads sortbootorder and cb-order lines', () => {
    const s = parseFirmwareSettings(
      toLines(
        '  v IOMMU - Currently Enabled\n│ (N)  [pxen        =    off]  Network (PXE boot)                              │\n  x Exit setup without save',
      ),
    );
    assert.deepEqual(s, { IOMMU: true, 'Network (PXE boot)': false });
  });
  it('returns nothing for other text', () => {
    assert.deepEqual(parseFirmwareSettings(toLines('Currently Enabled\nfoo')), {});
  });
});

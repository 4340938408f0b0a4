import assert from 'node:assert/strict';
import { parseDom0Dmesg } from '../../lib/xen/dom0-dmesg.ts';
import { logFixture } from '../fixtures/logs.ts';

describe('xen/dom0-dmesg', () => {
  it('sees dom0 under Xen, without IOMMU groups, and pciback seizing a device', () => {
    const d = parseDom0Dmesg(logFixture('twin-4.17-iommu-enabled.serial.log'));
    assert.equal(d.underXen, true);
    assert.equal(d.xenVersion, '4.17.7');
    assert.equal(d.kernelVersion, '6.1.0-40-amd64');
    assert.equal(d.amdViFound, false);
    assert.deepEqual(d.groups, {});
    assert.equal(d.pciback.loaded, true);
    assert.deepEqual(d.pciback.seized, ['0000:02:00.0']);
  });
  it('reads IOMMU groups and AMD-Vi on plain Linux', () => {
    const d = parseDom0Dmesg(logFixture('apu2-linux-4.14-iommu-groups.dmesg.log'));
    assert.equal(d.underXen, false);
    assert.equal(d.amdViFound, true);
    assert.equal(d.groups['0000:02:00.0'], 13);
    assert.equal(Object.keys(d.groups).length, 5);
  });
  it('reads the 5.x group wording and Linux IO_PAGE_FAULT events', () => {
    const d = parseDom0Dmesg(
      '[    1.0] pci 0000:01:00.0: Adding to iommu group 12\n[   99.1] iommu ivhd0: AMD-Vi: Event logged [IO_PAGE_FAULT device=02:00.0 domain=0x000d address=0xfee00000 flags=0x0020]\n',
    );
    assert.equal(d.groups['0000:01:00.0'], 12);
    assert.equal(d.pageFaults.length, 1);
    assert.equal(d.pageFaults[0].line, 2);
  });
});

import assert from 'node:assert/strict';
import { parseIommuGroups, sharedGroups } from '../../lib/xen/iommu-groups.ts';
import { logFixture } from '../fixtures/logs.ts';

describe('xen/iommu-groups', () => {
  it('finds the apu2 firmware bug: all three NICs in one group', () => {
    const g = parseIommuGroups(logFixture('apu2-iommu-groups.txt'));
    assert.equal(g.length, 10);
    const nics = g.filter((d) => d.classId === '0200').map((d) => d.bdf);
    assert.deepEqual(sharedGroups(g, nics), { 1: ['0000:01:00.0', '0000:02:00.0', '0000:03:00.0'] });
  });
  it('reads sysfs paths; separate groups are not shared', () => {
    const g = parseIommuGroups(
      '/sys/kernel/iommu_groups/12/devices/0000:01:00.0\n/sys/kernel/iommu_groups/13/devices/0000:02:00.0\n',
    );
    assert.deepEqual(
      g.map((d) => [d.group, d.bdf]),
      [
        [12, '0000:01:00.0'],
        [13, '0000:02:00.0'],
      ],
    );
    assert.deepEqual(sharedGroups(g, ['0000:01:00.0', '0000:02:00.0']), {});
  });
});

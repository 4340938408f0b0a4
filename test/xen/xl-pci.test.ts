import assert from 'node:assert/strict';
import { parsePciAssignableList, parseXlPciList } from '../../lib/xen/xl-pci.ts';
import { logFixture } from '../fixtures/logs.ts';

describe('xen/xl-pci', () => {
  it('reads pci-assignable-list among console noise (blog post transcript)', () => {
    assert.deepEqual(parsePciAssignableList(logFixture('blog-pci-assignable-add.log')), ['0000:02:00.0']);
  });
  it('reads several devices, CRLF, and no duplicates', () => {
    assert.deepEqual(parsePciAssignableList('0000:02:00.0\r\n0000:03:00.0\r\n0000:02:00.0\r\n'), [
      '0000:02:00.0',
      '0000:03:00.0',
    ]);
    assert.deepEqual(parsePciAssignableList(''), []);
  });
  it('reads xl pci-list', () => {
    assert.deepEqual(parseXlPciList('Vdev Device\n00.0 0000:02:00.0\n04.0 0000:03:00.0\n'), [
      { vdev: '00.0', bdf: '0000:02:00.0' },
      { vdev: '04.0', bdf: '0000:03:00.0' },
    ]);
    assert.deepEqual(parseXlPciList('Vdev Device\n'), []);
  });
});

import assert from 'node:assert/strict';
import { faultsNaming, parseIoPageFaults, requesterIdToBdf } from '../../lib/xen/io-page-fault.ts';
import { logFixture } from '../fixtures/logs.ts';

describe('xen/io-page-fault', () => {
  it('reads both Xen formats of the same faults (Xen commit 680d18763a, before and after)', () => {
    const faults = parseIoPageFaults(logFixture('xen-io-page-fault-4.13-vs-4.14.xl-dmesg.log'));
    assert.equal(faults.length, 10);
    const old = faults.filter((f) => f.format === 'xen-4.8');
    const now = faults.filter((f) => f.format === 'xen-4.14');
    assert.equal(old.length, 5);
    assert.equal(now.length, 5);
    // device id 0xa1 is requester 00:14.1, the device the new format names.
    assert.deepEqual(new Set(faults.map((f) => f.bdf)), new Set(['0000:00:14.1']));
    assert.deepEqual(
      old.map((f) => [f.address, f.flags]),
      [
        ['0xbf695000', 0x10],
        ['0xbf695040', 0x10],
        ['0xfffffff0', 0x30],
        ['0x100000000', 0x30],
        ['0x100000040', 0x30],
      ],
    );
    assert.deepEqual(
      now.map((f) => f.address),
      ['0xbf5fc000', '0xbf5fc040', '0xfffffff0', '0x100000000', '0x100000040'],
    );
    assert.ok(faults.every((f) => f.domain === 0));
    assert.equal(faults[5].line, 6);
  });

  it('reads Linux AMD-Vi events from apu2 boards, old split lines and the new format', () => {
    const faults = parseIoPageFaults(logFixture('linux-amd-vi-io-page-fault-apu2.dmesg.log'));
    assert.deepEqual(
      faults.map((f) => [f.format, f.bdf, f.domain, f.address]),
      [
        ['linux', '0000:04:00.0', 2, '0xff1d0200'],
        ['linux', '0000:04:00.0', 2, '0xff1d0280'],
        ['linux', '0000:01:00.0', 13, '0xcfc016d0'],
        ['linux', '0000:01:00.0', 13, '0xcf243ad0'],
      ],
    );
  });

  it('picks the faults that name a device, in any BDF form', () => {
    const faults = parseIoPageFaults(logFixture('linux-amd-vi-io-page-fault-apu2.dmesg.log'));
    assert.equal(faultsNaming(faults, '01:00.0').length, 2);
    assert.equal(faultsNaming(faults, '0000:02:00.0').length, 0);
  });

  it('turns requester IDs into BDFs, including 0 printed as "0" by %#x', () => {
    assert.equal(requesterIdToBdf(0x200), '0000:02:00.0');
    assert.equal(requesterIdToBdf(0x28), '0000:00:05.0');
    const [f] = parseIoPageFaults(
      '(XEN) AMD-Vi: IO_PAGE_FAULT: domain = 32753, device id = 0, fault address = 0, flags = 0',
    );
    assert.deepEqual([f.bdf, f.domain, f.address], ['0000:00:00.0', 32753, '0x0']);
  });

  it('ignores lines that only mention the event name', () => {
    assert.deepEqual(parseIoPageFaults('no IO_PAGE_FAULT seen\n(XEN) AMD-Vi: IOMMU 0 Enabled.'), []);
  });
});

import assert from 'node:assert/strict';
import { isNic, parseLspci } from '../../lib/xen/lspci.ts';

describe('xen/lspci', () => {
  it('reads lspci -nn lines (apu2 i210, twin e1000e, prog-if, -D)', () => {
    const d = parseLspci(
      [
        '00:00.2 IOMMU [0806]: Advanced Micro Devices, Inc. [AMD] Family 16h (Models 30h-3fh) I/O Memory Management Unit [1022:1567]',
        '02:00.0 Ethernet controller [0200]: Intel Corporation I210 Gigabit Network Connection [8086:157b] (rev 03)',
        '0000:03:00.0 Ethernet controller [0200]: Intel Corporation 82574L Gigabit Network Connection [8086:10d3]',
        '00:10.0 USB controller [0c03]: Advanced Micro Devices, Inc. [AMD] FCH USB XHCI Controller [1022:7814] (rev 11) (prog-if 30 [XHCI])',
        'not a device line',
      ].join('\n'),
    );
    assert.equal(d.length, 4);
    assert.deepEqual(d[1], {
      bdf: '0000:02:00.0',
      className: 'Ethernet controller',
      classId: '0200',
      description: 'Intel Corporation I210 Gigabit Network Connection',
      vendor: '8086',
      device: '157b',
      rev: '03',
    });
    assert.equal(d[2].device, '10d3');
    assert.equal(d[3].rev, '11');
    assert.deepEqual(
      d.filter(isNic).map((x) => x.bdf),
      ['0000:02:00.0', '0000:03:00.0'],
    );
  });
});

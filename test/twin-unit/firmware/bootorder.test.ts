import assert from 'node:assert/strict';
import { BOOTORDER_SIZE, buildBootorder, parseBootorder } from '../../../twin/firmware/bootorder.ts';

describe('PC Engines bootorder file', () => {
  it('is 4096 bytes: boot paths, then setting lines, padded with 0xFF', () => {
    const b = buildBootorder({ pxe: true, iommu: false });
    assert.equal(b.length, BOOTORDER_SIZE);
    const text = b.subarray(0, b.indexOf(0xff)).toString('latin1');
    const lines = text.trimEnd().split('\n');
    const firstSetting = lines.findIndex((l) => !l.startsWith('/'));
    assert.ok(firstSetting > 0);
    assert.ok(
      lines.slice(firstSetting).every((l) => /^[a-z0-9_]+\d$/.test(l)),
      text,
    );
    assert.ok(lines.includes('pxen1') && lines.includes('iommu0') && lines.includes('usben1'));
    assert.equal(b[b.length - 1], 0xff);
  });

  it('round-trips every combination', () => {
    for (const pxe of [true, false])
      for (const iommu of [true, false]) {
        const p = parseBootorder(buildBootorder({ pxe, iommu }));
        assert.deepEqual([p.pxe, p.iommu], [pxe, iommu]);
        assert.ok(p.paths.length > 0);
      }
  });

  it('treats a missing option as off', () => {
    const p = parseBootorder(Buffer.from('/pci@i0cf8/*@14,7\nscon1\n'));
    assert.deepEqual([p.pxe, p.iommu], [false, false]);
  });
});

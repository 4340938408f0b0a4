import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { iommuFacts, noteIommuFacts } from '../../lib/report/iommu-facts.ts';
import { parseXenLog } from '../../lib/xen/xen-log.ts';

const fixture = (p: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url)), 'utf8');

describe('report/iommu-facts', () => {
  const serial = fixture('twin/xen-4.17-boot-amd-iommu.serial.log');

  it("reads the judged facts from a boot's serial capture", () => {
    const f = iommuFacts({}, serial)!;
    assert.equal(f.iommu, 'enabled');
    assert.ok(f.iommuCount >= 1);
    assert.equal(f.ivrs, true);
    assert.deepEqual(f.errorLines, []);
    assert.equal(iommuFacts({}, ''), undefined, 'no boot, nothing noted: no facts');
  });

  it('what the suite noted (serial first, xl dmesg where it did not say) outranks the capture, error lines kept', () => {
    const noted = {};
    const ring =
      '(XEN) AMD-Vi: IOMMU 0 Enabled.\n(XEN) Interrupt remapping enabled\n(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:02.0 d0 addr 0000000012345000 flags 0x8 I\n';
    noteIommuFacts(noted, parseXenLog(''), parseXenLog(ring));
    const f = iommuFacts(noted, '')!;
    assert.equal(f.iommu, 'enabled');
    assert.equal(f.interruptRemapping, true);
    assert.deepEqual(f.errorLines, ['(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:02.0 d0 addr 0000000012345000 flags 0x8 I']);
  });
});

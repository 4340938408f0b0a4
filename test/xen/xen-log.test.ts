import assert from 'node:assert/strict';
import { parseXenLog } from '../../lib/xen/xen-log.ts';
import { logFixture } from '../fixtures/logs.ts';

const apu2 = logFixture('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log');
const twin = logFixture('twin-4.17-iommu-enabled.serial.log');
const twinOff = logFixture('twin-4.17-no-iommu.serial.log');

describe('xen/xen-log', () => {
  it('reads the real apu2 Xen 4.8.3 log', () => {
    const f = parseXenLog(apu2);
    assert.equal(f.xenVersion, '4.8.3');
    assert.match(f.commandLine!, /iommu=verbose/);
    assert.equal(f.ivrs, true);
    assert.equal(f.iommu, 'enabled');
    assert.equal(f.iommuCount, 1);
    assert.equal(f.interruptRemapping, true);
    assert.equal(f.dom0Mode, 'Relaxed');
    assert.equal(f.bannerSeen, true);
    assert.equal(f.wrapped, false);
    assert.equal(f.reachedDom0, true);
    assert.equal(f.pciDevices.length, 22);
    assert.ok(f.pciDevices.includes('0000:02:00.0'));
    assert.equal(f.noIrqHandler.count, 3);
    assert.equal(f.noIrqHandler.bootContinued, true);
    assert.deepEqual([f.ivhdErrors, f.pageFaults, f.panics], [[], [], []]);
  });

  it('reads the Xen 4.17 twin transcript, whose first Xen line is glued to SeaBIOS output', () => {
    const f = parseXenLog(twin);
    assert.equal(f.xenVersion, '4.17.7');
    assert.equal(f.bannerSeen, true);
    assert.equal(f.iommu, 'enabled');
    assert.equal(f.ivrs, true);
    assert.equal(f.svm, true);
    assert.equal(f.hap, true);
    assert.equal(f.reachedDom0, true);
  });

  it('says disabled on "I/O virtualisation disabled" (4.13+ prints no "IOMMU not found!")', () => {
    const f = parseXenLog(twinOff);
    assert.equal(f.iommu, 'disabled');
    assert.equal(f.iommuNotFound, false);
    assert.equal(f.ivrs, false);
    assert.equal(f.interruptRemapping, false);
  });

  it('says disabled on Xen 4.8 "AMD-Vi: IOMMU not found!"', () => {
    const f = parseXenLog(logFixture('blog-no-iommu-xl-dmesg.log'));
    assert.equal(f.iommu, 'disabled');
    assert.equal(f.iommuNotFound, true);
  });

  it('is unknown, not disabled, for a log cut before the IOMMU setup', () => {
    const cut = apu2.split('\n').slice(0, 40).join('\n');
    const f = parseXenLog(cut);
    assert.equal(f.iommu, 'unknown');
    assert.equal(f.bannerSeen, true);
    assert.equal(f.reachedDom0, false);
  });

  it('is unknown, and wrapped, for an xl dmesg ring without its banner', () => {
    const lines = apu2.split('\n');
    const tail = lines.slice(lines.findIndex((l) => l.includes('Interrupt remapping')) + 1).join('\n');
    const f = parseXenLog(tail);
    assert.equal(f.wrapped, true);
    assert.equal(f.iommu, 'unknown');
    assert.equal(f.ivrs, null);
  });

  it('cuts inside the ACPI table list leave IVRS unknown', () => {
    const lines = apu2.split('\n');
    const f = parseXenLog(
      lines
        .slice(
          0,
          lines.findIndex((l) => l.includes('ACPI: HEST')),
        )
        .join('\n'),
    );
    assert.equal(f.ivrs, null);
  });

  for (const [name, transform] of [
    ['CRLF', (s: string) => s.replace(/\n/g, '\r\n')],
    ['ANSI colours', (s: string) => s.replace(/\(XEN\) /g, '\x1b[0;36m(XEN)\x1b[0m ')],
    ['timestamps', (s: string) => s.replace(/\(XEN\) /g, '(XEN) [  123.456789] ')],
    [
      'noise splitting the verdict line',
      (s: string) => s.replace('I/O virtualisation enabled', 'I/O virtualisat\x00\r\nion enabled'),
    ],
  ] as const) {
    it(`gives the same verdict with ${name}`, () => {
      const f = parseXenLog(transform(apu2));
      assert.equal(f.iommu, 'enabled');
      assert.equal(f.xenVersion, '4.8.3');
      assert.equal(f.ivrs, true);
      assert.equal(f.interruptRemapping, true);
    });
  }

  it('lets the last boot of a transcript decide', () => {
    assert.equal(parseXenLog(`${twin}\n${twinOff}`).iommu, 'disabled');
    assert.equal(parseXenLog(`${twinOff}\n${twin}`).iommu, 'enabled');
  });

  it('collects IVHD errors, page faults and panics', () => {
    const f = parseXenLog(
      [
        '(XEN) No southbridge IO-APIC found in IVRS table',
        '(XEN) AMD-Vi: Error initialization',
        '(XEN) I/O virtualisation disabled',
        '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:02:00.0 d1 addr 00000000fee00000 flags 0x70 RW',
        '(XEN) Panic on CPU 0:',
      ].join('\n'),
    );
    assert.equal(f.ivhdErrors.length, 2);
    assert.equal(f.pageFaults[0].line, 4);
    assert.equal(f.panics[0].text, '(XEN) Panic on CPU 0:');
    assert.equal(f.iommu, 'disabled');
  });
});

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
    assert.deepEqual(
      f.ivhdErrors.map((e) => e.code),
      ['IVRS_INTREMAP_ERROR', 'IOMMU_INIT_FAILED'],
    );
    assert.equal(f.pageFaults[0].line, 4);
    assert.equal(f.panics[0].text, '(XEN) Panic on CPU 0:');
    assert.equal(f.iommu, 'disabled');
  });

  describe('IVRS errors in the wording of each Xen (lib/xen/amd-vi-messages.ts)', () => {
    const twin417 = logFixture('twin-4.17-captured-iommu-on.serial.log');
    /** The real 4.17 twin boot with `line` put after its last IVHD debug line (line 142). */
    const in417 = (line: string) => {
      const lines = twin417.split('\n');
      const at = lines.findIndex((l) => l.includes('AMD-Vi: IVHD Special')) + 1;
      return [...lines.slice(0, at), line, ...lines.slice(at)].join('\n');
    };

    it('the real 4.17 twin boot has none', () => {
      const f = parseXenLog(twin417);
      assert.deepEqual([f.ivhdErrors, f.ivrsWarnings, f.cpuNoCx16, f.enabledByFirmware], [[], [], false, []]);
    });

    it('Xen 4.16+: "AMD-Vi: Error: IVHD: …" is an IVHD error, with its line, though Xen enables the IOMMU', () => {
      const f = parseXenLog(in417('(XEN) AMD-Vi: Error: IVHD: invalid Device_Entry length'));
      assert.deepEqual(f.ivhdErrors, [
        { line: 143, text: '(XEN) AMD-Vi: Error: IVHD: invalid Device_Entry length', code: 'IVRS_ERROR' },
      ]);
      assert.equal(f.iommu, 'enabled');
    });

    for (const [line, code] of [
      ['(XEN) AMD-Vi: Error: IVRS: invalid checksum 0x3c', 'IVRS_ERROR'],
      ['(XEN) AMD-Vi: Error: IVMD: overlap [cd9d0000,cd9f0000) vs [cd9e0000,cda00000)', 'IVRS_ERROR'],
      ['(XEN) AMD-Vi: Warning: IVHD: unknown device type 0xf0', 'IVRS_ERROR'],
      ['(XEN) AMD-Vi: Error: failed to setup HPET MSI remapping: missing IVRS HPET info', 'IVRS_INTREMAP_ERROR'],
      ['(XEN) AMD-Vi: Warning: no IOMMU for IO-APIC 0x1 (ID 5)', 'IVRS_INTREMAP_ERROR'],
      ["(XEN) AMD-Vi: Error: can't request irq", 'IOMMU_INIT_FAILED'],
      ['(XEN) AMD-Vi: Error: root table alloc failed, dfn = 1000', 'AMD_VI_ERROR'],
    ] as const) {
      it(`Xen 4.16+: ${line.slice(6)} → ${code}`, () => {
        assert.deepEqual(
          parseXenLog(in417(line)).ivhdErrors.map((e) => e.code),
          [code],
        );
      });
    }

    it('Xen <= 4.15 wordings still count (the real 4.8.3 apu2 log with one inserted)', () => {
      const lines = apu2.split('\n');
      const at = lines.findIndex((l) => l.includes('AMD-Vi: IOMMU 0 Enabled'));
      const log = [...lines.slice(0, at), '(XEN) AMD-Vi: IVHD Error: Invalid Device_Entry Length!', ...lines.slice(at)];
      const f = parseXenLog(log.join('\n'));
      assert.deepEqual(
        f.ivhdErrors.map((e) => [e.line, e.code]),
        [[at + 1, 'IVRS_ERROR']],
      );
    });

    it('warnings are kept apart and fail nothing', () => {
      const f = parseXenLog(
        in417(
          [
            '(XEN) AMD-Vi: Warning: IVHD: duplicate IO-APIC 0x4 entries',
            '(XEN) IVMD: [0xcd9d0000, 0xcd9effff] is not (entirely) in reserved memory',
            '(XEN) AMD-Vi: IOMMU 0000:00:00.2 enabled by firmware (ctrl 0000000000000001)',
          ].join('\n'),
        ),
      );
      assert.deepEqual(f.ivhdErrors, []);
      assert.deepEqual(
        f.ivrsWarnings.map((w) => w.code),
        ['IVRS_WARNING', 'IVRS_WARNING', 'IOMMU_ENABLED_BY_FIRMWARE'],
      );
      assert.deepEqual(f.enabledByFirmware, ['0000:00:00.2']);
    });

    it('a CPU without cx16 (4.18.5+/4.19.2+) is a fact of its own, not an IVRS error', () => {
      const f = parseXenLog(
        '(XEN) Xen version 4.20.2 (Debian)\n(XEN) AMD-Vi: Error: no CMPXCHG16B support, disabling IOMMU\n(XEN) I/O virtualisation disabled',
      );
      assert.equal(f.cpuNoCx16, true);
      assert.deepEqual(f.ivhdErrors, []);
      assert.equal(f.iommu, 'disabled');
    });

    it('4.20 debug "AMD-Vi: IVHD: IOMMU @ …" lines are facts, not errors', () => {
      const f = parseXenLog(in417('(XEN) AMD-Vi: IVHD: IOMMU @ 0xfeb80000 cap @ 0x40 seg 0x0000 info 0x1300 attr 0x0'));
      assert.deepEqual(f.ivhdIommus, ['0xfeb80000']);
      assert.deepEqual([f.ivhdErrors, f.ivrsWarnings], [[], []]);
    });

    it('a line broken by serial noise counts once', () => {
      const f = parseXenLog(in417('(XEN) AMD-Vi: Error: IVHD: invalid Dev\r\nice_Entry length'));
      assert.deepEqual(
        f.ivhdErrors.map((e) => [e.line, e.code]),
        [[143, 'IVRS_ERROR']],
      );
    });
  });
});

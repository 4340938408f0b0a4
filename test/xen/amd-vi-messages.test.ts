// One real-shaped line per wording and Xen version range of lib/xen/amd-vi-messages.ts: the
// format strings of xen-project/xen at the release tags, filled the way printk fills them
// (%#x → 0x21, %lx → cd9d0000, %pp → 0000:02:00.0, %pd → d1). Each line must be classified by the
// wording it was made from, and healthy debug output (4.17 twin, 4.8.3 apu2, 4.20 "IVHD: IOMMU @")
// by none.
import assert from 'node:assert/strict';
import { AMD_VI_MESSAGES, type AmdViCode, classifyAmdVi, isFailing } from '../../lib/xen/amd-vi-messages.ts';
import { logFixture } from '../fixtures/logs.ts';

/** [Xen versions, line, expected class]. */
const LINES: [string, string, AmdViCode][] = [
  // The table.
  ['4.8–4.15', '(XEN) AMD-Vi: IVRS Error: Invalid Checksum 0x3c', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVRS: invalid checksum 0x3c', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVRS Error: Table Length Exceeded: 0x108 -> 0x110', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVRS: table length exceeded: 0x108 -> 0x110', 'IVRS_ERROR'],
  ['4.8+', '(XEN) Cannot find supported IVHD type.', 'IVRS_ERROR'],
  // IVHD blocks and device entries.
  ['4.8–4.15', '(XEN) AMD-Vi: Invalid IVHD Block Length!', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: invalid IVHD block length', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: Invalid IVHD Block!', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: invalid IVHD block', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVHD Error: Invalid Block Length!', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVHD: invalid block length', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVHD Error: Invalid Device Type!', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Warning: IVHD: unknown device type 0xf0', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVHD Error: Invalid Device_Entry Length!', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVHD: invalid Device_Entry length', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVHD Error: Invalid Device_Entry Dev_Id 0xffff', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVHD: invalid Device_Entry Dev_Id 0xffff', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVHD Error: Invalid Range: End_Type 0x2', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVHD Error: Invalid Range: Last Dev_Id 0x10000', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVHD: invalid range: End_Type 0x2', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVHD: invalid range: First Dev_Id 0xffff', 'IVRS_ERROR'],
  ['4.8–4.22', '(XEN) AMD-Vi: IVHD Error: Invalid Alias Dev_Id 0xfffe', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVHD: invalid Alias Dev_Id 0xfffe', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVHD Error: No IOMMU for Dev_Id 0x2 Cap 0x40', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVHD: no IOMMU for Dev_Id 0x2 Cap 0x40', 'IVRS_ERROR'],
  // IVMD blocks.
  ['4.8–4.15', '(XEN) AMD-Vi: IVMD Error: Invalid Block Length!', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVMD Error: Invalid Flag Field!', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVMD: invalid block length', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVMD: unknown block type 0x23', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVMD: invalid flag field', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVMD Error: Invalid Range_First Dev_Id 0xffff', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVMD: invalid Dev_Id 0xffff', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVMD Error: No IOMMU for Dev_Id 0x98!', 'IVRS_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: IVMD Error: No IOMMU for Dev_Id 0x98 Cap 0x40', 'IVRS_ERROR'],
  ['4.16–4.18.3, 4.19.0', '(XEN) AMD-Vi: Error: IVMD: no IOMMU for Dev_Id 0x98', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVMD: no IOMMU for Dev_Id 0x98 Cap 0x40', 'IVRS_ERROR'],
  ['4.13.4–4.15', '(XEN) AMD-Vi: IVMD Error: overlap [cd9d0000,cd9f0000) vs [cd9e0000,cda00000)', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVMD: overlap [cd9d0000,cd9f0000) vs [cd9e0000,cda00000)', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Warning: IVMD: [fffff00000000,10000000000000) is not IOMMU addressable', 'IVRS_ERROR'],
  ['4.16–4.18', "(XEN) AMD-Vi: Error: IVMD: page at cd9d0000 couldn't be reserved", 'IVRS_ERROR'],
  ['4.19+', "(XEN) IVMD: page at 0xcd9d0 can't be converted", 'IVRS_ERROR'],
  // Devices no IVHD entry covers.
  ['4.8–4.9', '(XEN) AMD-Vi: No iommu for device 0000:02:00.0', 'IVRS_ERROR'],
  ['4.10–4.15', '(XEN) AMD-Vi: No iommu for 0000:02:00.0; cannot be handed to d0', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Warning: no IOMMU for 0000:02:00.0; cannot be handed to d0', 'IVRS_ERROR'],
  // 4.8–4.15 print the device with "%x02.%x": function 0 of device 0 reads "00:002.0".
  ['4.8–4.15', '(XEN) AMD-Vi: Fail to find iommu. 0000:02:002.0 cannot be assigned to dom1', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Warning: failed to find IOMMU: 0000:02:00.0 cannot be assigned to d1', 'IVRS_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Warning: d1: unity mapping failed for 0000:02:00.0', 'IVRS_ERROR'],
  // IO-APIC and HPET entries.
  ['4.8+', '(XEN) No southbridge IO-APIC found in IVRS table', 'IVRS_INTREMAP_ERROR'],
  ['4.8–4.15', '(XEN) IVHD Error: Conflicting IO-APIC 0x4 entries', 'IVRS_INTREMAP_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: IVHD: conflicting IO-APIC 0x4 entries', 'IVRS_INTREMAP_ERROR'],
  ['4.8+', '(XEN) IVHD Error: Invalid IO-APIC 0x21', 'IVRS_INTREMAP_ERROR'],
  ['4.8+', '(XEN) IVHD Error: no information for IO-APIC 0x4', 'IVRS_INTREMAP_ERROR'],
  ['4.9+', '(XEN) IVHD Error: Too many IO APICs.', 'IVRS_INTREMAP_ERROR'],
  ['4.8', '(XEN) IVHD Error: IO-APIC 0x4 entry beyond bounds', 'IVRS_INTREMAP_ERROR'],
  ['4.8+', '(XEN) Unrecognized IVHD special variety 0x3', 'IVRS_INTREMAP_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: Fail to find iommu for ioapic device id = 0000:00a0', 'IVRS_INTREMAP_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Warning: failed to find IOMMU for IO-APIC @ 0000:00a0', 'IVRS_INTREMAP_ERROR'],
  ['4.13–4.15', '(XEN) AMD-Vi: No IOMMU for IO-APIC 0 (ID 4)', 'IVRS_INTREMAP_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Warning: no IOMMU for IO-APIC 0x1 (ID 5)', 'IVRS_INTREMAP_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: Failed to setup HPET MSI remapping. Missing IVRS HPET info.', 'IVRS_INTREMAP_ERROR'],
  ['4.8–4.15', '(XEN) AMD-Vi: Failed to setup HPET MSI remapping. Wrong HPET.', 'IVRS_INTREMAP_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: failed to setup HPET MSI remapping: missing IVRS HPET info', 'IVRS_INTREMAP_ERROR'],
  ['4.16+', '(XEN) AMD-Vi: Error: failed to setup HPET MSI remapping: wrong HPET', 'IVRS_INTREMAP_ERROR'],
  // The IOMMU did not start.
  ['4.18.5+, 4.19.2+', '(XEN) AMD-Vi: Error: no CMPXCHG16B support, disabling IOMMU', 'CPU_NO_CX16'],
  ['4.8+', '(XEN) AMD-Vi: Error initialization', 'IOMMU_INIT_FAILED'],
  ['4.13+', '(XEN) AMD-Vi: Error -19 initializing for x2APIC mode', 'IOMMU_INIT_FAILED'],
  ['4.8+', '(XEN) AMD-Vi: SP5100 erratum 28 detected, disabling IOMMU.', 'IOMMU_INIT_FAILED'],
  ['4.8–4.15', "(XEN) AMD-Vi: can't request irq", 'IOMMU_INIT_FAILED'],
  ['4.16+', "(XEN) AMD-Vi: Error: can't request irq", 'IOMMU_INIT_FAILED'],
  ['4.8–4.15', '(XEN) AMD-Vi: Error allocating IVRS Mappings table', 'IOMMU_INIT_FAILED'],
  ['4.16+', '(XEN) AMD-Vi: Error: cannot allocate Command Buffer', 'IOMMU_INIT_FAILED'],
  ['4.8+', '(XEN) IVHD Error: Out of memory', 'IOMMU_INIT_FAILED'],
  ['4.8+', '(XEN) Remapping IO-APIC 0x4 pin 2 failed (-28)', 'IOMMU_INIT_FAILED'],
  // Reported, not failed.
  [
    '4.20.4, 4.21.2+',
    '(XEN) AMD-Vi: IOMMU 0000:00:00.2 enabled by firmware (ctrl 0000000000000001)',
    'IOMMU_ENABLED_BY_FIRMWARE',
  ],
  ['4.8–4.15', '(XEN) AMD-Vi: IVHD Warning: Duplicate IO-APIC 0x4 entries', 'IVRS_WARNING'],
  ['4.16+', '(XEN) AMD-Vi: Warning: IVHD: duplicate IO-APIC 0x4 entries', 'IVRS_WARNING'],
  ['4.8+', '(XEN) Only one IVHD HPET entry is supported.', 'IVRS_WARNING'],
  [
    '4.16–4.18',
    '(XEN) AMD-Vi: Warning: IVMD: [cd9d0000,cd9f0000) is not (entirely) in reserved memory',
    'IVRS_WARNING',
  ],
  ['4.19+', '(XEN) IVMD: [0xcd9d0000, 0xcd9effff] is not (entirely) in reserved memory', 'IVRS_WARNING'],
  [
    '4.18.4+, 4.19.1+',
    '(XEN) AMD-Vi: Warning: IVMD: no IOMMU for device 0000:00:13.0 - ignoring constrain',
    'IVRS_WARNING',
  ],
  ['4.8+', '(XEN) 0000:00:14.7 not found in ACPI tables; using same IOMMU as function 0', 'IVRS_WARNING'],
  // A real AMD_IOMMU_ERROR of 4.22 iommu_map.c that is not about the IVRS: still an error.
  ['4.16+ (other)', '(XEN) AMD-Vi: Error: root table alloc failed, dfn = 1000', 'AMD_VI_ERROR'],
];

/** Debug and info output of healthy boots. */
const HEALTHY = [
  '(XEN) AMD-Vi: IVHD: IOMMU @ 0xfeb80000 cap @ 0x40 seg 0x0000 info 0x1300 attr 0x0', // 4.20+ debug
  '(XEN) AMD-Vi: IVHD Device Entry: type 0x48 id 0 flags 0',
  '(XEN) AMD-Vi: IVHD Special: 0000:00:14.0 variety 0x1 handle 0',
  '(XEN) AMD-Vi: IVHD: Command line override present for IO-APIC 0x4',
  '(XEN) AMD-Vi: IVMD Block: type 0x20 phys 0xcd9d0000 len 0x20000',
  '(XEN) AMD-Vi: IVRS Block: Found type 0x10 flags 0xd1 len 0x58 id 0x8',
  '(XEN) AMD-Vi: EFRSup not set in ACPI table; will fall back to hardware',
  '(XEN) AMD-Vi: IOMMU 0 Enabled.',
  '(XEN) AMD-Vi: Disabled HAP memory map sharing with IOMMU',
  '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:14.0 d0 addr 000000fdf8010140 flags 0x8 I',
  '(XEN) ACPI: IVRS CFEADE80, 0108 (r1 CORE   COREBOOT        0 CORE        0)',
  '(XEN) I/O virtualisation enabled',
];

describe('xen/amd-vi-messages', () => {
  for (const [xen, line, code] of LINES) {
    it(`Xen ${xen}: ${line.slice(6)} → ${code}`, () => {
      assert.equal(classifyAmdVi(line)?.code, code);
    });
  }

  it('has a line above for every wording of the table (each the first match of one)', () => {
    const hit = new Set(LINES.map(([, line]) => classifyAmdVi(line)));
    const missing = AMD_VI_MESSAGES.filter((m) => !hit.has(m)).map((m) => m.wording);
    assert.deepEqual(missing, []);
  });

  it('fails on errors only: warnings and a firmware-enabled IOMMU are reported', () => {
    assert.deepEqual(
      ['IVRS_ERROR', 'IVRS_INTREMAP_ERROR', 'IOMMU_INIT_FAILED', 'CPU_NO_CX16', 'AMD_VI_ERROR'].map((c) =>
        isFailing(c as AmdViCode),
      ),
      [true, true, true, true, true],
    );
    assert.equal(isFailing('IVRS_WARNING'), false);
    assert.equal(isFailing('IOMMU_ENABLED_BY_FIRMWARE'), false);
  });

  it('classifies no line of healthy boots (debug output, the 4.17 twin, the 4.8.3 apu2)', () => {
    const logs = [
      ...HEALTHY,
      ...logFixture('twin-4.17-captured-iommu-on.serial.log').split('\n'),
      ...logFixture('twin-4.17-captured.xl-dmesg.log').split('\n'),
      ...logFixture('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log').split('\n'),
    ];
    assert.deepEqual(
      logs.filter((l) => classifyAmdVi(l)),
      [],
    );
  });

  it('matches with a timestamp and colour codes before the message', () => {
    assert.equal(
      classifyAmdVi('\x1b[0;36m(XEN)\x1b[0m [    0.913208] AMD-Vi: Error: IVHD: invalid Device_Entry length')?.code,
      'IVRS_ERROR',
    );
  });

  it('says where each wording comes from', () => {
    for (const m of AMD_VI_MESSAGES) {
      assert.match(m.xen, /^4\.\d+/, m.wording);
      assert.match(m.file, /^(?:amd|x86)\//, m.wording);
      assert.equal(m.pattern.flags, '', `${m.wording}: rows-ivrs.ts joins the sources into one regex`);
    }
  });
});

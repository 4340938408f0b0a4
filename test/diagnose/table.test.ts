// One positive and one negative test per row of the diagnosis table, on real blocks (blog
// post, Xen 4.8) and their Xen 4.17 wording. A row without examples here fails the last test.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIAGNOSES, diagnose } from '../../lib/diagnose/table.ts';
import { logFixture } from '../fixtures/logs.ts';

const HEALTHY = logFixture('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log');
const TWIN_417 = logFixture('twin-4.17-captured-iommu-on.serial.log');

/** A log with one line put where Xen prints its IVRS messages (after its IVHD debug output, else before "IOMMU 0 Enabled"). */
function withLine(log: string, line: string): string {
  const lines = log.split('\n');
  const special = lines.findIndex((l) => l.includes('AMD-Vi: IVHD Special'));
  const at = special >= 0 ? special + 1 : lines.findIndex((l) => l.includes('AMD-Vi: IOMMU 0 Enabled'));
  assert.ok(at > 0);
  return [...lines.slice(0, at), line, ...lines.slice(at)].join('\n');
}

interface Example {
  positive: { name: string; text: string; line?: number; messageHas?: string; remedyHas?: string }[];
  /** Near misses: similar text that must not trigger the row. */
  negative: string[];
}

const EXAMPLES: Record<string, Example> = {
  PCIBACK_NOT_LOADED: {
    positive: [
      {
        name: 'Xen 4.8 (blog)',
        text: logFixture('blog-pciback-not-loaded.log'),
        line: 3,
        remedyHas: 'modprobe xen-pciback',
      },
      { name: 'Xen 4.17', text: logFixture('libxl-4.17-pciback-not-loaded.log'), line: 3 },
    ],
    negative: [HEALTHY, '[    5.301123] xen_pciback: backend is vpci', logFixture('blog-pci-not-assignable.log')],
  },
  PCI_NOT_ASSIGNABLE: {
    positive: [
      {
        name: 'Xen 4.8 (blog)',
        text: logFixture('blog-pci-not-assignable.log'),
        line: 1,
        remedyHas: 'xl pci-assignable-add 0000:02:00.0',
      },
      {
        name: 'Xen 4.17',
        text: logFixture('libxl-4.17-pci-not-assignable.log'),
        remedyHas: 'xl pci-assignable-add 0000:01:00.0',
      },
    ],
    // With pciback missing, the cause is PCIBACK_NOT_LOADED; this row is superseded.
    negative: [logFixture('blog-pciback-not-loaded.log'), logFixture('blog-pci-assignable-add.log')],
  },
  NO_IOMMU: {
    positive: [
      { name: 'xl create, Xen 4.8 (blog)', text: logFixture('blog-no-iommu.log'), line: 3, remedyHas: 'IVRS' },
      { name: 'xl create, Xen 4.17', text: logFixture('libxl-4.17-no-iommu.log'), line: 3 },
      { name: 'xl dmesg, Xen 4.8', text: logFixture('blog-no-iommu-xl-dmesg.log'), line: 2 },
      { name: 'twin 4.17 boot + pci-assignable-add', text: logFixture('twin-4.17-no-iommu.serial.log') },
    ],
    negative: [HEALTHY, logFixture('twin-4.17-iommu-enabled.serial.log'), 'I/O virtualisation enabled'],
  },
  PCI_ALREADY_ASSIGNED: {
    positive: [
      {
        name: 'Xen 4.17',
        text: 'libxl: error: libxl_pci.c:1489:libxl__device_pci_add: Domain 4:PCI device 0000:02:00.0 already assigned to a different guest?',
        messageHas: '0000:02:00.0',
      },
    ],
    negative: [logFixture('blog-no-iommu.log')],
  },
  NO_BLOCK_BACKEND: {
    positive: [
      { name: 'Xen 4.8 (blog)', text: logFixture('blog-no-block-backend.log'), line: 3, remedyHas: 'xen-blkback' },
    ],
    negative: [
      logFixture('blog-no-loop-device.log'),
      'libxl: error: libxl_device.c:1086:device_backend_callback: unable to add device with path /local/domain/0/backend/vif/1/0',
    ],
  },
  NO_LOOP_DEVICE: {
    positive: [
      { name: 'Xen 4.8 (blog)', text: logFixture('blog-no-loop-device.log'), line: 4, remedyHas: 'BLK_DEV_LOOP' },
    ],
    negative: [logFixture('blog-no-block-backend.log'), 'losetup: /dev/loop0: found an unused loop device'],
  },
  READONLY_IDE_UNSUPPORTED: {
    positive: [
      { name: 'Xen 4.8 (blog)', text: logFixture('blog-readonly-ide.log'), line: 3, remedyHas: 'rw' },
      {
        name: 'Xen 4.17 AHCI',
        text: "libxl: error: libxl_dm.c:1990:libxl__build_device_model_args_new: Domain 2:qemu-xen doesn't support read-only AHCI disk drivers",
      },
    ],
    negative: [logFixture('blog-no-iommu.log'), 'qemu-xen supports read-write IDE disk drivers'],
  },
  NO_IRQ_HANDLER: {
    positive: [
      { name: 'healthy apu2 boot (info)', text: HEALTHY, line: 221 },
      {
        name: 'boot that stops after it',
        text: '(XEN) masked ExtINT on CPU#1\n(XEN) CPU1: No irq handler for vector e7 (IRQ -2147483648)\n',
        line: 2,
      },
    ],
    negative: ['(XEN) masked ExtINT on CPU#1', logFixture('twin-4.17-iommu-enabled.serial.log')],
  },
  IOMMU_PAGE_FAULT: {
    positive: [
      {
        name: 'Xen 4.8',
        text: '(XEN) AMD-Vi: IO_PAGE_FAULT: domain = 0, device id = 0x2600, fault address = 0xfffffffdf8000000, flags = 0x8',
      },
      { name: 'Xen 4.17', text: '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:14.0 d0 addr 000000fdf8010140 flags 0x8 I' },
      {
        name: 'Linux',
        text: '[ 99.1] AMD-Vi: Event logged [IO_PAGE_FAULT device=02:00.0 domain=0x000d address=0xfee00000 flags=0x0020]',
      },
    ],
    negative: [HEALTHY, '(XEN) AMD-Vi: IOMMU 0 Enabled.'],
  },
  PANIC: {
    positive: [
      {
        name: 'Xen',
        text: '(XEN) ****************************************\n(XEN) Panic on CPU 0:\n(XEN) FATAL TRAP: vector = 13',
        line: 2,
      },
      { name: 'Linux', text: '[    1.255973] Kernel panic - not syncing: Attempted to kill init! exitcode=0x09' },
    ],
    negative: [HEALTHY, logFixture('twin-4.17-iommu-enabled.serial.log'), 'panic=-1 console=hvc0'],
  },
  // Known on Dasharo apu2 builds: each on the lines of its public report (test/fixtures/logs/README.md),
  // and never on a clean boot of Xen 4.8, 4.17 or 4.20.
  IOAPIC_REMAP_CRASH: {
    positive: [
      {
        name: 'Xen 4.20 on Dasharo UEFI (Dasharo/coreboot #592)',
        text: logFixture('dasharo-coreboot-592-xen-4.20-ioapic-crash.xen.log'),
        line: 6,
        messageHas: 'Dasharo/coreboot pull request #592',
        remedyHas: 'iommu=no-intremap',
      },
    ],
    negative: [
      HEALTHY,
      TWIN_417,
      logFixture('twin-4.20-captured-iommu-on.serial.log'),
      logFixture('twin-4.20-captured.xl-dmesg.log'),
      '(XEN)    [<ffff82d040328046>] R __ioapic_write_entry+0x83/0x95',
    ],
  },
  ATH10K_IO_PAGE_FAULT: {
    positive: [
      {
        name: 'Linux 6.8 on Dasharo UEFI v0.9.0 (dasharo-issues #1134)',
        text: logFixture('dasharo-issues-1134-ath10k-apu2.dmesg.log'),
        line: 10,
        messageHas: 'at 0000:01:00.0',
      },
    ],
    negative: [
      HEALTHY,
      TWIN_417,
      logFixture('twin-4.20-captured-iommu-on.serial.log'),
      // Another device's fault is IOMMU_PAGE_FAULT only.
      '[ 99.1] AMD-Vi: Event logged [IO_PAGE_FAULT device=02:00.0 domain=0x000d address=0xfee00000 flags=0x0020]',
      '[   12.1] ath10k_pci 0000:01:00.0: qca988x hw2.0 target 0x4100016c chip_id 0x043202ff sub 0000:0000',
    ],
  },
  AMD_IOMMU_INIT_WARNING: {
    positive: [
      {
        name: 'enable_iommus_vapic, Linux 6.8 on Dasharo UEFI v0.9.0 (dasharo-issues #1134)',
        text: logFixture('dasharo-issues-1134-ath10k-apu2.dmesg.log'),
        line: 5,
        messageHas: 'in enable_iommus_vapic',
      },
      {
        name: 'amd_iommu_enable_interrupts, Linux 6.6 on Dasharo UEFI v0.9.0, apu6 (dasharo-issues #784)',
        text: logFixture('dasharo-issues-784-amd-iommu-warning-apu6.dmesg.log'),
        line: 3,
        messageHas: 'in amd_iommu_enable_interrupts',
      },
      {
        name: 'amd_iommu_enable_interrupts, Linux 6.10 on PC Engines v4.19.0.1 (apu2-documentation #320)',
        text: logFixture('pcengines-apu2-documentation-320-amd-iommu-warning-apu6.dmesg.log'),
        line: 2,
      },
    ],
    negative: [
      HEALTHY,
      TWIN_417,
      logFixture('twin-4.20-captured-iommu-on.serial.log'),
      '[   23.764850] RIP: 0010:enable_iommus_vapic+0x343/0x3a0',
      '[    1.0] WARNING: CPU: 0 PID: 1 at drivers/iommu/amd/init.c:3000 early_amd_iommu_init+0x1/0x2',
    ],
  },
  // Every wording of Xen 4.8–4.22 has its own test in test/xen/amd-vi-messages.test.ts; here each
  // row is shown on a real log: the twin's Xen 4.17 boot with the line inserted where Xen prints it.
  IVRS_ERROR: {
    positive: [
      {
        name: 'Xen 4.17 twin boot with "AMD-Vi: Error: IVHD: invalid Device_Entry length"',
        text: withLine(TWIN_417, '(XEN) AMD-Vi: Error: IVHD: invalid Device_Entry length'),
        line: 143,
        messageHas: '"AMD-Vi: Error: IVHD: invalid Device_Entry length"',
        remedyHas: 'iasl -d',
      },
      {
        name: 'Xen 4.16+ IVMD overlap',
        text: '(XEN) AMD-Vi: Error: IVMD: overlap [cd9d0000,cd9f0000) vs [cd9e0000,cda00000)',
      },
      { name: 'Xen <= 4.15 (iommu=debug)', text: withLine(HEALTHY, '(XEN) AMD-Vi: IVRS Error: Invalid Checksum 0x3c') },
    ],
    negative: [
      HEALTHY,
      TWIN_417,
      '(XEN) ACPI: IVRS CFEADE80, 0108 (r1 CORE   COREBOOT        0 CORE        0)',
      '(XEN) AMD-Vi: IVHD: IOMMU @ 0xfeb80000 cap @ 0x40 seg 0x0000 info 0x1300 attr 0x0',
      '(XEN) AMD-Vi: IVHD Device Entry: type 0x3 id 0x100 flags 0',
    ],
  },
  IVRS_INTREMAP_ERROR: {
    positive: [
      {
        name: 'Xen 4.14 (xen-devel report)',
        text: '(XEN) No southbridge IO-APIC found in IVRS table\n(XEN) AMD-Vi: Error initialization\n(XEN) I/O virtualisation disabled',
        line: 1,
        remedyHas: 'special entries (type 0x48)',
      },
      { name: 'IVHD error (all versions)', text: '(XEN) IVHD Error: Invalid IO-APIC 0x21' },
      {
        name: 'Xen 4.16+ HPET',
        text: withLine(TWIN_417, '(XEN) AMD-Vi: Error: failed to setup HPET MSI remapping: missing IVRS HPET info'),
        messageHas: 'missing IVRS HPET info',
      },
    ],
    negative: [HEALTHY, TWIN_417, '(XEN) AMD-Vi: IVHD Special: 0000:00:14.0 variety 0x1 handle 0'],
  },
  CPU_NO_CX16: {
    positive: [
      {
        name: 'Xen 4.19.2+/4.20',
        text: '(XEN) AMD-Vi: Error: no CMPXCHG16B support, disabling IOMMU\n(XEN) AMD-Vi: Error initialization',
        remedyHas: 'cx16',
      },
    ],
    negative: [HEALTHY, TWIN_417, '(XEN) CPU Vendor: AMD, Family 22 (0x16), Model 48 (0x30)'],
  },
  IOMMU_INIT_FAILED: {
    positive: [
      { name: 'alone', text: '(XEN) AMD-Vi: Error initialization\n(XEN) I/O virtualisation disabled' },
      {
        name: 'SP5100 erratum 28',
        text: '(XEN) AMD-Vi: SP5100 erratum 28 detected, disabling IOMMU.\n(XEN) If possible, disable SATA Combined mode in BIOS or contact your vendor for BIOS update.',
        remedyHas: 'Combined',
      },
    ],
    negative: [HEALTHY, TWIN_417, '(XEN) AMD-Vi: IOMMU 0 Enabled.'],
  },
  AMD_VI_ERROR: {
    positive: [
      {
        name: 'an AMD_IOMMU_ERROR of 4.22 iommu_map.c',
        text: '(XEN) AMD-Vi: Error: root table alloc failed, dfn = 1000',
        messageHas: 'root table alloc failed',
      },
    ],
    negative: [
      HEALTHY,
      TWIN_417,
      '(XEN) AMD-Vi: Error: IVHD: invalid Device_Entry length',
      '(XEN) AMD-Vi: Error: no CMPXCHG16B support, disabling IOMMU',
      '(XEN) AMD-Vi: Error initialization',
    ],
  },
  IOMMU_ENABLED_BY_FIRMWARE: {
    positive: [
      {
        name: 'Xen 4.20.4+',
        text: withLine(TWIN_417, '(XEN) AMD-Vi: IOMMU 0000:00:00.2 enabled by firmware (ctrl 0000000000000001)'),
        messageHas: 'IOMMU 0000:00:00.2 enabled',
      },
    ],
    negative: [HEALTHY, TWIN_417, '(XEN) AMD-Vi: IOMMU 0 Enabled.'],
  },
  IVRS_WARNING: {
    positive: [
      { name: 'Xen 4.16+', text: '(XEN) AMD-Vi: Warning: IVHD: duplicate IO-APIC 0x4 entries' },
      {
        name: 'Xen 4.19+ (x86/iommu.c)',
        text: '(XEN) IVMD: [0xcd9d0000, 0xcd9effff] is not (entirely) in reserved memory',
      },
    ],
    negative: [HEALTHY, TWIN_417, '(XEN) AMD-Vi: IVMD Block: type 0x20 phys 0xcd9d0000 len 0x20000'],
  },
  FIRMWARE_IVRS_MISSING: {
    positive: [
      {
        name: 'coreboot debug log',
        text: logFixture('apu2-coreboot-debug-no-ivrs.serial.log'),
        messageHas: 'AGESA returned NULL IVRS',
      },
    ],
    negative: [logFixture('apu2-coreboot-debug-ivrs.serial.log'), 'ACPI:    * IVRS at cfeade80'],
  },
  FIRMWARE_IOMMU_DISABLED: {
    positive: [
      { name: 'sortbootorder menu', text: logFixture('apu2-sortbootorder-menu.serial.log'), line: 25 },
      { name: 'cb-order', text: '│ (V)  [iommu       =    off]  IOMMU                                           │' },
    ],
    negative: ['  v IOMMU - Currently Enabled', '│ (V)  [iommu       =     on]  IOMMU      │', HEALTHY],
  },
  DMA_NOT_ISOLATED: {
    positive: [
      {
        name: 'lib/dma/verdict.ts line',
        text: "DMA_NOT_ISOLATED: 0000:00:05.0 reached machine address 0x7a3c5000 outside its guest (the NIC read dom0's canary back)",
        messageHas: '0x7a3c5000',
        remedyHas: 'IVRS device entries and aliases for 0000:00:05.0',
      },
    ],
    negative: [HEALTHY, "0000:00:05.0: DMA to machine address 0x7a3c5000 did not reach dom0's canary (no completion)"],
  },
  DMA_PROBE_BROKEN: {
    positive: [
      {
        name: 'lib/dma/verdict.ts line',
        text: 'DMA_PROBE_BROKEN: 0000:00:05.0: the positive control stopped at "reset": the device did not respond',
        messageHas: 'could not prove anything on 0000:00:05.0',
      },
    ],
    negative: [HEALTHY, 'dma-probe: refusing 8086:1234'],
  },
  NIC_NO_TRAFFIC: {
    positive: [
      {
        name: 'lib/net/no-traffic.ts line',
        text: 'NIC_NO_TRAFFIC: igb0 (freebsd) has link and address 192.168.10.1 but received 0 packets, sent 12',
        messageHas: 'igb0 (freebsd guest)',
        remedyHas: 'hw.pci.msix_rewrite_table=1',
      },
    ],
    negative: [
      HEALTHY,
      logFixture('twin-4.17-captured-xl-create.txt'),
      '[   22.573293] e1000e 0000:00:00.0 eth0: NIC Link is Up 1000 Mbps Full Duplex',
    ],
  },
};

describe('diagnose/table', () => {
  for (const row of DIAGNOSES) {
    const ex = EXAMPLES[row.code];
    describe(row.code, () => {
      for (const p of ex?.positive ?? []) {
        it(`matches: ${p.name}`, () => {
          const f = diagnose(p.text).find((x) => x.code === row.code);
          assert.ok(f, `${row.code} not found`);
          if (p.line !== undefined) assert.equal(f.line, p.line);
          if (p.messageHas) assert.ok(f.message.includes(p.messageHas), f.message);
          if (p.remedyHas) assert.ok(f.remedy.includes(p.remedyHas), f.remedy);
          assert.ok(f.text.length > 0);
          assert.doesNotMatch(f.message + f.remedy, /\{\d\}/);
        });
      }
      ex?.negative.forEach((text, i) => {
        it(`does not match near miss #${i + 1}`, () => {
          assert.equal(
            diagnose(text).find((x) => x.code === row.code),
            undefined,
          );
        });
      });
    });
  }

  it('has positive and negative examples for every row', () => {
    for (const row of DIAGNOSES) {
      assert.ok(EXAMPLES[row.code]?.positive.length, `no positive example for ${row.code}`);
      assert.ok(EXAMPLES[row.code]?.negative.length, `no negative example for ${row.code}`);
    }
    assert.equal(new Set(DIAGNOSES.map((r) => r.code)).size, DIAGNOSES.length, 'duplicate codes');
  });

  it('rates the #592 frame an error when the crash follows it, a warning in another trace; it names the panic', () => {
    const crash = logFixture('dasharo-coreboot-592-xen-4.20-ioapic-crash.xen.log');
    const withPanic = `${crash}\n(XEN) ****************************************\n(XEN) Panic on CPU 0:\n(XEN) FATAL PAGE FAULT\n`;
    assert.deepEqual(
      diagnose(withPanic).map((f) => [f.code, f.severity]),
      [['IOAPIC_REMAP_CRASH', 'error']],
      'PANIC is the consequence: superseded',
    );
    const trace = crash.slice(0, crash.indexOf('(XEN) Pagetable walk'));
    assert.equal(diagnose(trace).find((f) => f.code === 'IOAPIC_REMAP_CRASH')?.severity, 'warning');
  });

  it('an ath10k fault is also an IO_PAGE_FAULT: both named, the fault first', () => {
    const lines = logFixture('dasharo-issues-1134-ath10k-apu2.dmesg.log').split('\n');
    assert.deepEqual(
      diagnose(lines.at(-2)!).map((f) => [f.code, f.severity]),
      [
        ['IOMMU_PAGE_FAULT', 'error'],
        ['ATH10K_IO_PAGE_FAULT', 'warning'],
      ],
    );
  });

  it('rates "No irq handler" info when the boot went on, warning when it stopped', () => {
    assert.equal(diagnose(HEALTHY).find((f) => f.code === 'NO_IRQ_HANDLER')?.severity, 'info');
    assert.equal(diagnose(HEALTHY).find((f) => f.code === 'NO_IRQ_HANDLER')?.count, 3);
    const hang = HEALTHY.slice(0, HEALTHY.indexOf('(XEN) Brought up 4 CPUs'));
    assert.equal(diagnose(hang).find((f) => f.code === 'NO_IRQ_HANDLER')?.severity, 'warning');
  });

  it('finds a message broken over two lines by serial noise, once', () => {
    const f = diagnose(
      'libxl: error: libxl_pci.c:1209:libxl__device_pci_add: PCI device 0000:02:00.0 cannot be as\r\nsigned - no IOMMU?\n',
    );
    assert.deepEqual(
      f.map((x) => [x.code, x.line, x.count]),
      [['NO_IOMMU', 1, 1]],
    );
  });

  it('names the IVRS error, not its consequence or the first half of a broken line', () => {
    assert.deepEqual(
      diagnose(
        withLine(
          TWIN_417,
          '(XEN) AMD-Vi: Error: IVHD: invalid Dev\r\nice_Entry length\n(XEN) AMD-Vi: Error initialization',
        ),
      ).map((f) => [f.code, f.line, f.count]),
      [['IVRS_ERROR', 143, 1]],
    );
  });

  it('finds nothing in a healthy boot but the harmless irq message, and sorts errors first', () => {
    assert.deepEqual(
      diagnose(HEALTHY).map((f) => f.code),
      ['NO_IRQ_HANDLER'],
    );
    const mixed = diagnose(`${HEALTHY}\n${logFixture('blog-no-iommu.log')}`);
    assert.equal(mixed[0].severity, 'error');
    assert.equal(mixed.at(-1)?.severity, 'info');
  });

  it('the literal gate changes no finding: every fixture gives the same with the gate turned off', () => {
    // A row whose pattern has no literal turns the table's gate off (every line is tried); it never matches.
    const ungated = [...DIAGNOSES, { ...DIAGNOSES[0], patterns: [/(?!)/] }];
    const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
    let found = 0;
    for (const path of walk(fixtures)) {
      const text = readFileSync(path, 'utf8');
      const gated = diagnose(text);
      assert.deepEqual(gated, diagnose(text, ungated), path);
      found += gated.length;
    }
    assert.ok(found > 20, `only ${found} findings over all fixtures: the comparison proves little`);
  });
});

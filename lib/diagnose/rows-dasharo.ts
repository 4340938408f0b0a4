// Symptoms reported on 3mdeb's Dasharo builds for the apu2 family, each with its public report.
// All three are the firmware's (the board's, exit 1): 3mdeb lists #1134 and #784 as known
// issues of Dasharo (coreboot+UEFI) v0.9.1 (Dasharo/docs docs/variants/pc_engines/releases_uefi.md
// @ 8d3f97d9), and #592 is its IOMMU/IVRS rework for apu2. The lines quoted below are in
// test/fixtures/logs/dasharo-*.log with their source. (The "Booting Xen 4.8 is unstable" note
// needs the firmware and Xen versions together: lib/analyze/derive.ts.)
import type { DiagnosisRow, MatchContext } from './types.ts';

/**
 * Dasharo/coreboot pull request #592 "Apu2 iommu fix" (comment of 2024-12-05, Xen 4.20-unstable
 * booted by GRUB on Dasharo coreboot+EDK2, apu2):
 *   (XEN)    [<ffff82d040328046>] R __ioapic_write_entry+0x83/0x95
 *   (XEN)    [<ffff82d04027464b>] F amd_iommu_ioapic_update_ire+0x1ea/0x273
 *   …        F enable_IO_APIC+0x2e3/0x34f / F smp_prepare_cpus+0x254/0x27a / F __start_xen
 *   (XEN) Pagetable walk from 0000000000000000:
 * An error when the walk from address 0 follows the frame (the crash); a frame in some other
 * trace (a WARN) is only a warning.
 */
function ioapicSeverity(ctx: MatchContext): 'error' | 'warning' {
  const after = ctx.lines.slice(ctx.first, ctx.first + 30);
  return after.some((l) => /Pagetable walk from 0{16}\b/.test(l.text)) ? 'error' : 'warning';
}

export const dasharoRows: DiagnosisRow[] = [
  {
    code: 'IOAPIC_REMAP_CRASH',
    severity: ioapicSeverity,
    patterns: [/\bamd_iommu_ioapic_update_ire\+0x[0-9a-f]+\/0x[0-9a-f]+/],
    cause:
      "Xen crashed (page walk from address 0) in the AMD IOMMU's interrupt-remapping update of an IO-APIC pin " +
      'while setting up the IO-APICs at boot. Reported on an apu2 with Dasharo (coreboot+UEFI) and Xen 4.20 ' +
      '(Dasharo/coreboot pull request #592 "Apu2 iommu fix", which reworks the IVRS and IO-APIC setup of the apu2 firmware).',
    remedy:
      "A firmware IVRS/IO-APIC problem: compare the IVRS IO-APIC entries (IVHD special devices) with the MADT's IO-APICs; " +
      'try a build with the #592 changes (Dasharo/coreboot branch apu2_iommu_fix). To confirm, boot once with ' +
      "Xen's iommu=no-intremap (interrupt remapping off): the crash should go with it.",
  },
  {
    code: 'ATH10K_IO_PAGE_FAULT',
    severity: 'warning',
    // Dasharo/dasharo-issues #1134 "[APU2] IO_PAGE_FAULTS on writes by ath10k_pci" (v0.9.0, v0.9.1-rc1):
    // "ath10k_pci 0000:01:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x000d address=0xcfd51ad0 flags=0x0070]"
    patterns: [/ath10k_pci ([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]): AMD-Vi: Event logged \[IO_PAGE_FAULT\b/],
    cause:
      'The ath10k Wi-Fi card at {1} did DMA writes the IOMMU refused: a known issue of Dasharo (coreboot+UEFI) ' +
      'on apu2 (Dasharo/dasharo-issues #1134, in the known issues of v0.9.1), seen while the card keeps working.',
    remedy:
      'Expected on this firmware until #1134 is fixed: judge the other devices, or take the Wi-Fi card out of the ' +
      'board for IOMMU runs; report new occurrences on #1134 with the firmware version.',
  },
  {
    code: 'AMD_IOMMU_INIT_WARNING',
    severity: 'warning',
    // Dasharo/dasharo-issues #1134 (Linux 6.8, v0.9.0 and v0.9.1-rc1), cut at 80 columns in the report:
    // "WARNING: CPU: 2 PID: 1 at drivers/iommu/amd/init.c:980 enable_iommus_vapic+0"
    // Dasharo/dasharo-issues #784 (Linux 6.6, v0.9.0, apu6):
    // "WARNING: CPU: 2 PID: 1 at drivers/iommu/amd/init.c:995 amd_iommu_enable_interrupts+0x59d/0x640"
    // pcengines/apu2-documentation #320: the same on PC Engines v4.19.0.1 (init.c:933, Linux 6.10).
    patterns: [
      /WARNING: CPU: \d+ PID: \d+ at drivers\/iommu\/amd\/init\.c:\d+ (enable_iommus_vapic|amd_iommu_enable_interrupts)\b/,
    ],
    cause:
      'Linux warned in {1} while enabling the AMD IOMMU: a known trait of apu2-family firmware, on Dasharo ' +
      '(coreboot+UEFI) v0.9.0-v0.9.1 (Dasharo/dasharo-issues #784 and #1134, known issues of v0.9.1) and on ' +
      'PC Engines v4.19.0.1 (pcengines/apu2-documentation #320); the boot goes on.',
    remedy:
      'Not a regression of this build when the previous release shows it too; check that the dom0 kernel still ' +
      'reports "AMD-Vi: Interrupt remapping enabled" and compare with the firmware\'s previous release.',
  },
];

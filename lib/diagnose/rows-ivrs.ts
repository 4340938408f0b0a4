// What Xen 4.8–4.22 says about the firmware's IVRS table and the AMD IOMMU's start, one row per
// class of lib/xen/amd-vi-messages.ts (which lists every wording, its Xen versions and source).
import { AMD_VI_MESSAGES, type AmdViCode } from '../xen/amd-vi-messages.ts';
import type { DiagnosisRow } from './types.ts';

const PREFIX = '(?:AMD-Vi: (?:Error: |Warning: )?)?';

/** The class's wordings, each capturing the message from its "AMD-Vi: " prefix on as {1}. */
function patternsOf(code: AmdViCode): RegExp[] {
  return AMD_VI_MESSAGES.filter((m) => m.code === code).map((m) => new RegExp(`(${PREFIX}(?:${m.pattern.source}).*)`));
}

/** "AMD-Vi: Error: " lines no other class claims: a wording newer than the table. */
function unknownErrorPattern(): RegExp {
  const known = AMD_VI_MESSAGES.filter((m) => m.code !== 'AMD_VI_ERROR').map((m) => `(?:${m.pattern.source})`);
  return new RegExp(`^(?!.*(?:${known.join('|')})).*?(AMD-Vi: Error: .*)`);
}

const INSPECT = 'inspect the table with `iasl -d` on a copy of /sys/firmware/acpi/tables/IVRS from dom0';

export const ivrsRows: DiagnosisRow[] = [
  {
    code: 'IVRS_ERROR',
    severity: 'error',
    patterns: patternsOf('IVRS_ERROR'),
    cause:
      'Xen rejected part of the firmware\'s IVRS table: "{1}". The IOMMU may still come up, but without what ' +
      "Xen dropped (the whole table, an IVHD block, a device's isolation or an IVMD unity map).",
    remedy:
      'Fix the IVRS in coreboot at the entry the message names: checksum and lengths, IVHD device entries ' +
      '(ids and ranges covering every PCI function), IVMD blocks (type, flags, no overlaps, addressable by the ' +
      `IOMMU, in reserved memory); ${INSPECT}.`,
  },
  {
    code: 'IVRS_INTREMAP_ERROR',
    severity: 'error',
    patterns: patternsOf('IVRS_INTREMAP_ERROR'),
    cause:
      'The IVRS IO-APIC/HPET entries are missing or wrong: "{1}". Xen cannot remap those interrupts, and ' +
      'disables the IOMMU when interrupt remapping is required.',
    remedy:
      'Give the IVHD block special entries (type 0x48) for the southbridge IO-APIC and the HPET, with the ' +
      `APIC ids and HPET number of the MADT/HPET tables and the right source device id; ${INSPECT}. ` +
      'Xen\'s "ivrs_ioapic[<id>]=" and "ivrs_hpet[<id>]=" options only paper over it.',
  },
  {
    code: 'CPU_NO_CX16',
    severity: 'error',
    patterns: patternsOf('CPU_NO_CX16'),
    cause: 'The CPU lacks CMPXCHG16B, so Xen (4.18.5+, 4.19.2+) refuses to use the IOMMU: "{1}".',
    remedy: "Every AMD-Vi CPU has cx16: on the twin, give QEMU a CPU model that keeps it (e.g. -cpu EPYC or '+cx16').",
  },
  {
    code: 'IOMMU_INIT_FAILED',
    severity: 'error',
    patterns: patternsOf('IOMMU_INIT_FAILED'),
    cause: 'Xen could not start the AMD IOMMU: "{1}".',
    remedy:
      'Read the AMD-Vi lines before it for the cause (an IVRS error, an IRQ or memory failure). ' +
      'For "SP5100 erratum 28", set the SATA controller out of Combined (IDE) mode in the firmware.',
    // "Error initialization" is how Xen ends after an IVRS error or a missing cx16; those say why.
    supersededBy: ['IVRS_ERROR', 'IVRS_INTREMAP_ERROR', 'CPU_NO_CX16'],
  },
  {
    code: 'AMD_VI_ERROR',
    severity: 'error',
    patterns: [unknownErrorPattern()],
    cause: 'Xen\'s AMD IOMMU driver reported an error iommu-lab does not know: "{1}".',
    remedy:
      'Look the message up in xen/drivers/passthrough/amd/ of this Xen version and add it to lib/xen/amd-vi-messages.ts.',
    // A known message that serial noise broke can look unknown on its first half.
    supersededBy: ['IVRS_ERROR', 'IVRS_INTREMAP_ERROR', 'IOMMU_INIT_FAILED', 'CPU_NO_CX16'],
  },
  {
    code: 'IOMMU_ENABLED_BY_FIRMWARE',
    severity: 'warning',
    patterns: [/AMD-Vi: IOMMU (\S+) enabled by firmware/],
    cause: 'The firmware handed over with IOMMU {1} enabled; Xen (4.20.4+) switches it off and sets it up itself.',
    remedy:
      'Nothing failed. Xen does not support pre-boot DMA protection; unless the firmware offers it on purpose, ' +
      'leave the IOMMU disabled at handoff.',
  },
  {
    code: 'IVRS_WARNING',
    severity: 'warning',
    patterns: patternsOf('IVRS_WARNING'),
    cause: 'Xen worked around the IVRS and went on: "{1}".',
    remedy:
      'Not a failure; tidy the IVRS: one entry per IO-APIC and one HPET entry, IVMD ranges reserved in the ' +
      'memory map (E820), IVMD blocks only for devices an IVHD covers, every PCI function in an IVHD entry.',
  },
];

// Symptoms in Xen, Linux and firmware console output.
import { noIrqHandler } from '../xen/no-irq.ts';
import type { DiagnosisRow, MatchContext } from './types.ts';

/**
 * Info on healthy boots; warning when the log stops soon after: the known apu2 boot hang
 * (pcengines/apu2-documentation #109 "XEN booting is unstable": "Sometimes booting hangs at:
 * (XEN) CPU1: No irq handler for vector e7 (IRQ -2147483648)"; on Dasharo SeaBIOS, lib/analyze/derive.ts).
 */
function noIrqSeverity(ctx: MatchContext): 'info' | 'warning' {
  return noIrqHandler(ctx.lines).bootContinued ? 'info' : 'warning';
}

export const platformRows: DiagnosisRow[] = [
  {
    code: 'NO_IRQ_HANDLER',
    severity: noIrqSeverity,
    patterns: [/CPU(\d+): No irq handler for vector ([0-9a-f]+)/],
    cause:
      'Xen saw an interrupt with no handler (vector {2}). Harmless on apu2 when the boot goes on; ' +
      'seen right before the known apu2 boot hang when the log stops after it.',
    remedy: 'If the boot hung here, power-cycle and compare over repeated boots; report with the firmware version.',
  },
  {
    code: 'IOMMU_PAGE_FAULT',
    severity: 'error',
    // Xen <= 4.13: "AMD-Vi: IO_PAGE_FAULT: domain = 0, device id = 0x2600, fault address = 0x..."
    // Xen >= 4.14: "AMD-Vi: IO_PAGE_FAULT: 0000:00:14.0 d0 addr 000000fdf8010140 flags 0x8 I"
    // (both parsed with the device they name by lib/xen/io-page-fault.ts)
    // Linux: "AMD-Vi: Event logged [IO_PAGE_FAULT device=02:00.0 domain=0x000d address=0x... flags=0x0020]"
    patterns: [/IO_PAGE_FAULT/],
    cause:
      'A device did DMA that the IOMMU refused. A broken IVRS (wrong device entries or unity maps) can cause this even while traffic still flows.',
    remedy:
      "Check the IVRS device entries and IVMD ranges for the faulting device; compare with the firmware's previous release.",
  },
  {
    code: 'PANIC',
    severity: 'error',
    patterns: [/Panic on CPU \d+/, /Kernel panic - not syncing/, /Xen BUG at /, /FATAL TRAP/],
    cause: 'The hypervisor or kernel panicked.',
    // A known crash names the panic better (lib/diagnose/rows-dasharo.ts).
    supersededBy: ['IOAPIC_REMAP_CRASH'],
    remedy:
      'Read the lines before the panic in the console transcript; capture `xl dmesg` from a good boot for comparison.',
  },
  {
    code: 'FIRMWARE_IVRS_MISSING',
    severity: 'error',
    // coreboot northbridge/amd/pi/00730F01: "acpi_fill_ivrs: AGESA returned NULL IVRS",
    // agesa_write_acpi_tables: "AGESA IVRS table NULL. Skipping."
    patterns: [/(acpi_fill_ivrs\w*): (.*)/, /AGESA IVRS table NULL/],
    cause: 'coreboot did not build an IVRS table ({1}: {2}); without it Xen cannot use the IOMMU.',
    remedy: 'Check that the IOMMU is enabled in the firmware options and that AGESA IOMMU support is built in.',
  },
  {
    code: 'FIRMWARE_IOMMU_DISABLED',
    severity: 'warning',
    // sortbootorder menu ("  v IOMMU - Currently Disabled") and cb-order ("[iommu       =    off]").
    patterns: [/\bIOMMU - Currently Disabled/, /\[iommu\s*=\s*off\]/],
    cause: 'The firmware IOMMU option is disabled.',
    remedy: 'Enable it: sortbootorder option "v", or `cb-order <rom> -o iommu=on`, or "iommu1" in the bootorder file.',
  },
];

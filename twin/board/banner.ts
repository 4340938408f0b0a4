// What the emulated coreboot prints on the serial console before handing over to SeaBIOS:
// a short debug log (stages, the ACPI tables written — IVRS only with iommu1, as on a real
// apu2) and PC Engines' sign-on lines, which boot code and parsers key on.
import type { Revision } from '../firmware/revision.ts';

export interface BannerInput extends Revision {
  iommu: boolean;
  memoryMiB: number;
}

export function coreboot(r: BannerInput): string {
  const stamp = `${r.date} 00:00:00 UTC`;
  const tag = `coreboot-${r.version} ${stamp}`;
  const tables = ['FACS', 'DSDT', 'FADT', 'SSDT', 'MCFG', 'TCPA', 'MADT', ...(r.iommu ? ['IVRS'] : []), 'HEST', 'HPET'];
  const lines = [
    '',
    `${tag} bootblock starting (log level: 7)...`,
    'FMAP: Found "FLASH" version 1.1 at 0x20000.',
    `${tag} romstage starting (log level: 7)...`,
    `${tag} ramstage starting (log level: 7)...`,
    `Mainboard ${r.vendor} ${r.board} Enable.`,
    r.iommu ? 'IOMMU: enabled (bootorder: iommu1)' : 'IOMMU: disabled (bootorder: iommu0)',
    'ACPI: Writing ACPI tables at cfe8b000.',
    ...tables.map((t) => `ACPI:    * ${t}`),
    'Jumping to boot code at 000ff06e(cfe9a000)',
    '',
  ];
  return lines.join('\r\n');
}

/** PC Engines' own sign-on, printed just before the payload runs. */
export function signOn(r: BannerInput): string {
  const build = r.date.replace(/-/g, '');
  return [
    `${r.vendor} ${r.board}`,
    `coreboot build ${build}`,
    `BIOS version ${r.version}`,
    `${r.memoryMiB - 16} MB ECC DRAM`,
    '',
    '',
  ].join('\r\n');
}

/** PC Engines' SeaBIOS shows the PXE key only when network boot is enabled (pxen1). */
export function bootPrompt(pxe: boolean): string {
  return pxe ? 'Press F10 key now for boot menu, N for PXE boot\r\n' : 'Press F10 key now for boot menu\r\n';
}

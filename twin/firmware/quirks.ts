// Twin-only firmware behaviours, stored in the flash image as the CBFS text file
// `iommu-lab/quirks` (one quirk per line) so the board decides them at power-on from the chip,
// like every other firmware property. Today there is one: `leaky-iommu`, a firmware whose
// passed-through NIC is not translated under its own device ID (the negative control of DMA
// isolation; see docs/twin.md, "Which PCI layout and why").

export const CBFS_QUIRKS = 'iommu-lab/quirks';
export const QUIRKS = ['leaky-iommu'] as const;
export type Quirk = (typeof QUIRKS)[number];

/**
 * How the NICs are put on the machine:
 * - late-plug: 02:00.0 and 03:00.0 are plugged into their root ports after the firmware has
 *   numbered the buses, so QEMU 7.2's AMD IOMMU translates their DMA under their own IDs;
 * - cold-plug: all NICs present at reset; QEMU caches bus number 0 for them and translates
 *   everything behind the root ports under 00:00.0 (dom0's mapping): the IOMMU isolates nothing.
 */
export type PciLayout = 'late-plug' | 'cold-plug';

export function quirksText(quirks: readonly Quirk[]): string {
  return quirks.map((q) => `${q}\n`).join('');
}

/** Unknown lines are ignored, as firmware ignores settings it does not know. */
export function parseQuirks(text: string): Quirk[] {
  const known = new Set<string>(QUIRKS);
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l): l is Quirk => known.has(l));
}

export function pciLayoutFor(quirks: readonly Quirk[]): PciLayout {
  return quirks.includes('leaky-iommu') ? 'cold-plug' : 'late-plug';
}

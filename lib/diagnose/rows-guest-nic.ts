// A passed-through NIC seen from inside its guest (lib/net/no-traffic.ts prints the line).
import type { DiagnosisRow } from './types.ts';

export const guestNicRows: DiagnosisRow[] = [
  {
    code: 'NIC_NO_TRAFFIC',
    severity: 'error',
    patterns: [/NIC_NO_TRAFFIC: (\S+) \((\w+)\) has link and address (\S+) but (.+)$/],
    cause:
      'The passed-through NIC {1} ({2} guest) has link and address {3} but {4}: its interrupts (MSI-X) or its ' +
      'DMA do not reach the guest (the "no packets received" symptom of the reference post).',
    remedy:
      'FreeBSD/pfSense guests, in this order: hw.pci.msix_rewrite_table=1 in /boot/loader.conf.local; then MSI-X ' +
      'off for the NIC driver: hw.igb.enable_msix=0 (pfSense 2.4) or dev.igb.0.iflib.disable_msix=1 (pfSense 2.5+); ' +
      'then hw.pci.enable_msix=0, then hw.pci.enable_msi=0. Linux guests: boot with pci=nomsi. Then check that the ' +
      "IOMMU translates the device's DMA: iommu-lab run --suite dma-isolation.",
  },
];

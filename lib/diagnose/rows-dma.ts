// Verdicts of the DMA isolation probe (lib/dma/verdict.ts prints these lines; `analyze` finds
// them again in a saved transcript or report).
import type { DiagnosisRow } from './types.ts';

export const dmaRows: DiagnosisRow[] = [
  {
    code: 'DMA_NOT_ISOLATED',
    severity: 'error',
    patterns: [/DMA_NOT_ISOLATED: (\S+) reached machine address (0x[0-9a-f]+) outside its guest \(([^)]*)\)/],
    cause:
      'DMA from {1}, a device passed through to a guest, reached memory outside that guest at machine ' +
      'address {2} ({3}): the IOMMU does not confine this device.',
    remedy:
      'Check the IVRS device entries and aliases for {1}: an IVHD entry that misses the device, or aliases it to ' +
      "another requester ID (a bridge, the host bridge), leaves its DMA untranslated or in dom0's tables. Make sure " +
      'the IOMMU is enabled in the firmware, and check ACS and the IOMMU groups (the device must not share a group ' +
      "with dom0's devices).",
  },
  {
    code: 'DMA_PROBE_BROKEN',
    severity: 'error',
    patterns: [/DMA_PROBE_BROKEN: (\S+): (.*)$/],
    cause: 'The DMA isolation probe could not prove anything on {1}: {2}.',
    remedy:
      'This is not a pass. Check that the guest owns the NIC (lspci in the guest, driver unbound by the probe), ' +
      'that the probe runs as root, and that the positive control reads its own pattern back.',
  },
];

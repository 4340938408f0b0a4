// The rig's `dma` section: what the board's IOMMU is expected to say when it blocks a DMA
// (dma-isolation, docs/dma-isolation.md). Here, not in lib/dma: lib/dma sits above lib/rig (it
// takes the bench's outside view), so the rig cannot import it.
import { z } from 'zod';

export const dmaSchema = z.strictObject({
  /** True when the IOMMU reports blocked DMA (Xen logs AMD-Vi: IO_PAGE_FAULT); false when it stays silent. */
  faultsExpected: z.boolean(),
  /**
   * Contexts this bench cannot judge, each with the reason the report shows (e.g. an emulated
   * IOMMU known to pass a quarantined device's DMA through). Never a pass: a skip.
   */
  skip: z.partialRecord(z.enum(['hvm', 'pv', 'quarantine']), z.string().min(10)).default({}),
});

#ifndef DMA_MEM_H
#define DMA_MEM_H
#include <stddef.h>
#include <stdint.h>

#include "m2p.h"

#define DMA_PAGE 4096

struct dma_page {
  void *va;
  uint64_t pfn;
  uint64_t bus; /* what the device is told: guest-physical (HVM), machine (PV guest via --p2m, dom0 via --m2p) */
};

/* Lock n pages and fill in their PFN and bus address (from p2m_file, or m2p, or the PFN
 * itself); -1 with a message in err. */
int dma_alloc(struct dma_page *pages, int n, const char *p2m_file, const struct m2p *m2p, char *err, size_t errlen);
/* 1 if every page still has the PFN it had when allocated. */
int dma_still_at(const struct dma_page *pages, int n);

#endif

#ifndef DMA_MEM_H
#define DMA_MEM_H
#include <stddef.h>
#include <stdint.h>

#define DMA_PAGE 4096

struct dma_page {
  void *va;
  uint64_t pfn;
  uint64_t bus; /* what the device is told: guest-physical (HVM) or machine (PV, via --p2m) */
};

/* Lock n pages and fill in their PFN and bus address; -1 with a message in err. */
int dma_alloc(struct dma_page *pages, int n, const char *p2m_file, char *err, size_t errlen);
/* 1 if every page still has the PFN it had when allocated. */
int dma_still_at(const struct dma_page *pages, int n);

#endif

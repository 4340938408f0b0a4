/*
 * DMA-able memory for dma-probe: locked anonymous pages and the bus address of each.
 *
 * Why this method: a guest has no udmabuf and no driver of ours, so the probe pins plain
 * anonymous pages (MAP_LOCKED + mlock: never swapped, never faulted out while the NIC uses
 * them) and reads each page's frame number from /proc/self/pagemap (bit 63 = present,
 * bits 0-54 = PFN; the PFN is only shown to CAP_SYS_ADMIN, see Linux
 * Documentation/admin-guide/mm/pagemap.rst). Every ring and buffer fits in one page, so no
 * physical contiguity is needed.
 *  - HVM guest (and bare metal): the PFN is the guest-physical frame, which is the bus
 *    address the IOMMU translates with the guest's I/O page table.
 *  - PV guest: DMA addresses are machine addresses (Xen maps a PV domain's pages 1:1 by MFN
 *    in its I/O page table, and Linux's xen-swiotlb hands out machine addresses), and the
 *    guest cannot read its own P2M from user space. dom0 can: `xen-mfndump dump-p2m <domid>`
 *    prints "pfn=0x... ==> mfn=0x..." lines; --p2m FILE takes that output.
 *  - PV dom0 (a quarantined device: no guest owns it): dom0 cannot dump its own P2M, so --m2p
 *    finds each page's machine frame in Xen's M2P table (m2p.c), each page tagged with its own
 *    random bytes while it is looked up so the frame found is proved to be this one.
 * The pages are checked again at the end (dma_still_at): compaction may move even mlocked
 * pages, and a page that moved would void the result.
 */
#define _GNU_SOURCE
#include "dma-mem.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#define PFN_MASK ((1ULL << 55) - 1)
#define PAGE_PRESENT (1ULL << 63)

static int pagemap_pfn(int fd, const void *va, uint64_t *pfn) {
  uint64_t entry;
  off_t off = (off_t)((uintptr_t)va / DMA_PAGE) * 8;
  if (pread(fd, &entry, sizeof entry, off) != (ssize_t)sizeof entry) return -1;
  if (!(entry & PAGE_PRESENT)) return -1;
  *pfn = entry & PFN_MASK;
  return 0;
}

/* Find each PFN in xen-mfndump dump-p2m output. */
static int p2m_lookup(const char *file, struct dma_page *pages, int n, char *err, size_t errlen) {
  FILE *f = fopen(file, "r");
  if (!f) {
    snprintf(err, errlen, "cannot read the P2M dump %s", file);
    return -1;
  }
  int found = 0;
  char line[256];
  while (found < n && fgets(line, sizeof line, f)) {
    unsigned long long pfn, mfn;
    const char *p = strstr(line, "pfn=0x");
    if (!p || sscanf(p, "pfn=0x%llx ==> mfn=0x%llx", &pfn, &mfn) != 2) continue;
    for (int i = 0; i < n; i++)
      if (pages[i].pfn == pfn && pages[i].bus == UINT64_MAX) {
        pages[i].bus = (uint64_t)mfn * DMA_PAGE;
        found++;
      }
  }
  fclose(f);
  for (int i = 0; i < n; i++)
    if (pages[i].bus == UINT64_MAX) {
      snprintf(err, errlen, "PFN 0x%llx is not in the P2M dump %s (dumped for another domain?)",
               (unsigned long long)pages[i].pfn, file);
      return -1;
    }
  return 0;
}

static int m2p_lookup(const struct m2p *m, struct dma_page *pages, int n, char *err, size_t errlen) {
  for (int i = 0; i < n; i++) {
    uint8_t *p = pages[i].va;
    for (int off = 0; off < DMA_PAGE; off += 256)
      if (getrandom(p + off, 256, 0) != 256) memset(p + off, 0xa5 ^ i, 256);
    uint64_t mfn = m2p_find(m, pages[i].pfn, p, err, errlen);
    memset(p, 0, DMA_PAGE);
    if (!mfn) return -1;
    pages[i].bus = mfn * DMA_PAGE;
  }
  return 0;
}

int dma_alloc(struct dma_page *pages, int n, const char *p2m_file, const struct m2p *m2p, char *err, size_t errlen) {
  uint8_t *base = mmap(NULL, (size_t)n * DMA_PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED, -1, 0);
  if (base == MAP_FAILED || mlock(base, (size_t)n * DMA_PAGE) != 0) {
    snprintf(err, errlen, "cannot lock %d pages of memory (ulimit -l?)", n);
    return -1;
  }
  memset(base, 0, (size_t)n * DMA_PAGE);
  int fd = open("/proc/self/pagemap", O_RDONLY);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open /proc/self/pagemap");
    return -1;
  }
  for (int i = 0; i < n; i++) {
    pages[i].va = base + (size_t)i * DMA_PAGE;
    if (pagemap_pfn(fd, pages[i].va, &pages[i].pfn) != 0 || pages[i].pfn == 0) {
      close(fd);
      snprintf(err, errlen, "/proc/self/pagemap shows no frame number: run as root (CAP_SYS_ADMIN)");
      return -1;
    }
    pages[i].bus = p2m_file ? UINT64_MAX : pages[i].pfn * DMA_PAGE;
  }
  close(fd);
  if (m2p) return m2p_lookup(m2p, pages, n, err, errlen);
  return p2m_file ? p2m_lookup(p2m_file, pages, n, err, errlen) : 0;
}

int dma_still_at(const struct dma_page *pages, int n) {
  int fd = open("/proc/self/pagemap", O_RDONLY);
  if (fd < 0) return 0;
  int ok = 1;
  for (int i = 0; i < n && ok; i++) {
    uint64_t pfn;
    ok = pagemap_pfn(fd, pages[i].va, &pfn) == 0 && pfn == pages[i].pfn;
  }
  close(fd);
  return ok;
}

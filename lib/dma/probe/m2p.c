/*
 * A PV domain's machine frames, found through Xen's M2P table.
 *
 * Why this way. /proc/self/pagemap gives a PV domain's pseudo-physical frame (Linux turns the
 * MFN in the PTE back into a PFN), and dom0 cannot read its own P2M through the tools:
 * `xen-mfndump dump-p2m 0` maps domain 0's frames as a *foreign* domain, which Xen refuses for
 * the caller itself (get_pg_owner(): "Cannot specify itself as foreign domain",
 * xen/common/page_alloc.c). The M2P table, however, is readable by dom0: this does what
 * libxenguest's xc_map_m2p() does (tools/libs/guest/xg_offline_page.c) with raw privcmd
 * ioctls, so the helpers link statically without Xen's libraries:
 *   1. memory_op(XENMEM_maximum_ram_page) -> max_page; memory_op(XENMEM_machphys_mfn_list)
 *      -> the MFN of each 2 MiB chunk of the M2P (xen/arch/x86/x86_64/mm.c);
 *   2. IOCTL_PRIVCMD_MMAPBATCH_V2 with DOMID_XEN maps the M2P read-only;
 *   3. every MFN whose M2P entry is our PFN is a candidate (other domains reuse PFN numbers);
 *   4. each candidate is mapped with DOMID_SELF and compared with the page: the one holding
 *      the same bytes is ours. The answer is proved, not inferred.
 */
#define _GNU_SOURCE
#include "m2p.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define M2P_CHUNK (2u << 20)
#define HYPERVISOR_memory_op 12
#define XENMEM_maximum_ram_page 2
#define XENMEM_machphys_mfn_list 5
#define DOMID_SELF 0x7FF0
#define DOMID_XEN 0x7FF2

/* Linux include/uapi/xen/privcmd.h (its header needs Xen's, so the ABI is restated here). */
struct privcmd_hypercall {
  uint64_t op, arg[5];
};
struct privcmd_mmapbatch_v2 {
  unsigned int num;
  uint16_t dom;
  uint64_t addr;
  const uint64_t *arr;
  int *err;
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))
/* xen/include/public/memory.h; the guest handle is a plain pointer on x86_64. */
struct xen_machphys_mfn_list {
  unsigned int max_extents;
  uint64_t *extent_start;
  unsigned int nr_extents;
};

static long hypercall(int fd, uint64_t op, uint64_t a0, uint64_t a1) {
  struct privcmd_hypercall h = {.op = op, .arg = {a0, a1}};
  return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
}

/* Map n machine frames of domain dom read-only; NULL if any fails. */
static void *map_frames(int fd, uint16_t dom, const uint64_t *mfns, unsigned n) {
  void *va = mmap(NULL, (size_t)n * PAGE, PROT_READ, MAP_SHARED, fd, 0);
  if (va == MAP_FAILED) return NULL;
  int *errs = calloc(n, sizeof *errs);
  struct privcmd_mmapbatch_v2 b = {.num = n, .dom = dom, .addr = (uintptr_t)va, .arr = mfns, .err = errs};
  int rc = errs ? ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b) : -1;
  for (unsigned i = 0; rc == 0 && i < n; i++) rc = errs[i];
  free(errs);
  if (rc != 0) {
    munmap(va, (size_t)n * PAGE);
    return NULL;
  }
  return va;
}

static int read_word(const char *dir, const char *name, char *buf, size_t len) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  int ok = fgets(buf, (int)len, f) != NULL;
  fclose(f);
  buf[strcspn(buf, "\n")] = 0;
  return ok ? 0 : -1;
}

int m2p_require_pv(const char *dir, const char *who, char *err, size_t errlen) {
  char type[64], guest[64];
  if (read_word(dir, "type", type, sizeof type) || strcmp(type, "xen")) {
    snprintf(err, errlen, "not a Xen domain (%s/type is %s): the %s needs a Xen PV dom0", dir,
             read_word(dir, "type", type, sizeof type) ? "missing" : type, who);
    return 3;
  }
  if (read_word(dir, "guest_type", guest, sizeof guest) == 0 && strcmp(guest, "PV")) {
    snprintf(err, errlen,
             "a Xen %s domain: its frames are guest-physical and it cannot map the M2P; run the %s in a PV dom0",
             guest, who);
    return 3;
  }
  return 0;
}

int m2p_open(struct m2p *m, const char *privcmd, char *err, size_t errlen) {
  m->fd = open(privcmd ? privcmd : "/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
  if (m->fd < 0 && !privcmd) m->fd = open("/proc/xen/privcmd", O_RDWR | O_CLOEXEC);
  if (m->fd < 0) {
    snprintf(err, errlen, "cannot open privcmd (/dev/xen/privcmd or /proc/xen/privcmd): root in dom0 with xenfs?");
    return 4;
  }
  long max_page = hypercall(m->fd, HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0);
  if (max_page <= 0) {
    snprintf(err, errlen, "memory_op(XENMEM_maximum_ram_page) failed: not dom0?");
    return 4;
  }
  unsigned chunks = (unsigned)(((uint64_t)max_page * 8 + M2P_CHUNK - 1) / M2P_CHUNK);
  /* The hypercall reads and writes these through dom0's page tables: keep them resident. */
  uint64_t *ext = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
  if (ext == MAP_FAILED || chunks > 256) {
    snprintf(err, errlen, "cannot prepare the M2P query");
    return 4;
  }
  struct xen_machphys_mfn_list *l = (void *)(ext + 256);
  *l = (struct xen_machphys_mfn_list){.max_extents = chunks, .extent_start = ext};
  if (hypercall(m->fd, HYPERVISOR_memory_op, XENMEM_machphys_mfn_list, (uintptr_t)l) != 0 || l->nr_extents != chunks) {
    snprintf(err, errlen, "memory_op(XENMEM_machphys_mfn_list) failed");
    return 4;
  }
  uint64_t *mfns = malloc((size_t)chunks * 512 * sizeof *mfns);
  for (unsigned c = 0; mfns && c < chunks; c++)
    for (unsigned j = 0; j < 512; j++) mfns[c * 512 + j] = ext[c] + j;
  m->table = mfns ? map_frames(m->fd, DOMID_XEN, mfns, chunks * 512) : NULL;
  free(mfns);
  munmap(ext, PAGE);
  if (!m->table) {
    snprintf(err, errlen, "cannot map the M2P table (IOCTL_PRIVCMD_MMAPBATCH_V2, DOMID_XEN)");
    return 4;
  }
  m->max_page = (uint64_t)max_page;
  return 0;
}

uint64_t m2p_find(const struct m2p *m, uint64_t pfn, const uint8_t *page, char *err, size_t errlen) {
  for (uint64_t mfn = 0; mfn < m->max_page; mfn++) {
    if (m->table[mfn] != pfn) continue;
    const uint8_t *p = map_frames(m->fd, DOMID_SELF, &mfn, 1);
    int ours = p && memcmp(p, page, PAGE) == 0;
    if (p) munmap((void *)p, PAGE);
    if (ours) return mfn;
  }
  snprintf(err, errlen, "no machine frame holds the page at PFN 0x%llx (the M2P scan found no verified candidate)",
           (unsigned long long)pfn);
  return 0;
}

/*
 * dom0-canary: in a Xen PV dom0, hold one page with a known pattern and say where it is in
 * *machine* memory, so a guest's NIC can be pointed at it (dma-probe --target).
 *
 *   dom0-canary [--hypervisor-dir /sys/hypervisor] [--privcmd /dev/xen/privcmd]
 * Prints {"probe":"dom0-canary","ok":true,"pfn":..,"mfn":..,"machineAddress":..,"pattern":..},
 * keeps the page until stdin closes, then prints {"event":"released","intact":..} and exits 0.
 * Exit 3: not a Xen PV dom0; 4: no privileges (pagemap, privcmd); 5: no machine frame found.
 * Build: gcc -static -O2 -o dom0-canary dom0-canary.c
 *
 * Why this way. /proc/self/pagemap gives a PV domain's pseudo-physical frame (Linux turns the
 * MFN in the PTE back into a PFN), and dom0 cannot read its own P2M through the tools:
 * `xen-mfndump dump-p2m 0` maps domain 0's frames as a *foreign* domain, which Xen refuses for
 * the caller itself (get_pg_owner(): "Cannot specify itself as foreign domain",
 * xen/common/page_alloc.c). The M2P table, however, is readable by dom0: this helper does
 * what libxenguest's xc_map_m2p() does (tools/libs/guest/xg_offline_page.c) with raw privcmd
 * ioctls, so it links statically without Xen's libraries:
 *   1. memory_op(XENMEM_maximum_ram_page) -> max_page; memory_op(XENMEM_machphys_mfn_list)
 *      -> the MFN of each 2 MiB chunk of the M2P (xen/arch/x86/x86_64/mm.c);
 *   2. IOCTL_PRIVCMD_MMAPBATCH_V2 with DOMID_XEN maps the M2P read-only;
 *   3. every MFN whose M2P entry is our PFN is a candidate (other domains reuse PFN numbers);
 *   4. each candidate is mapped with DOMID_SELF and compared with the page: the one holding
 *      the pattern is ours. The answer is proved, not inferred.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "json-out.h"

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

static void die(int code, const char *msg) {
  printf("{\"probe\":\"dom0-canary\",\"ok\":false,\"error\":");
  json_str(stdout, msg);
  printf("}\n");
  fprintf(stderr, "dom0-canary: %s\n", msg);
  exit(code);
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

/* Refuse clearly anywhere but a PV domain on Xen. */
static void require_pv(const char *dir) {
  char type[64], guest[64], msg[256];
  if (read_word(dir, "type", type, sizeof type) || strcmp(type, "xen")) {
    snprintf(msg, sizeof msg, "not a Xen domain (%s/type is %s): the canary needs a Xen PV dom0", dir,
             read_word(dir, "type", type, sizeof type) ? "missing" : type);
    die(3, msg);
  }
  if (read_word(dir, "guest_type", guest, sizeof guest) == 0 && strcmp(guest, "PV")) {
    snprintf(msg, sizeof msg, "a Xen %s domain: its frames are guest-physical and it cannot map the M2P; "
             "run the canary in a PV dom0", guest);
    die(3, msg);
  }
}

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

static uint64_t pagemap_pfn(const void *va) {
  uint64_t e = 0;
  int fd = open("/proc/self/pagemap", O_RDONLY);
  if (fd < 0 || pread(fd, &e, 8, (off_t)((uintptr_t)va / PAGE) * 8) != 8) e = 0;
  if (fd >= 0) close(fd);
  return (e >> 63) ? e & ((1ULL << 55) - 1) : 0;
}

static uint64_t find_mfn(int fd, uint64_t pfn, const uint8_t *page) {
  long max_page = hypercall(fd, HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0);
  if (max_page <= 0) die(4, "memory_op(XENMEM_maximum_ram_page) failed: not dom0?");
  unsigned chunks = (unsigned)(((uint64_t)max_page * 8 + M2P_CHUNK - 1) / M2P_CHUNK);
  /* The hypercall reads and writes these through dom0's page tables: keep them resident. */
  uint64_t *ext = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
  struct xen_machphys_mfn_list *l = (void *)(ext + 256);
  if (ext == MAP_FAILED || chunks > 256) die(4, "cannot prepare the M2P query");
  *l = (struct xen_machphys_mfn_list){.max_extents = chunks, .extent_start = ext};
  if (hypercall(fd, HYPERVISOR_memory_op, XENMEM_machphys_mfn_list, (uintptr_t)l) != 0 || l->nr_extents != chunks)
    die(4, "memory_op(XENMEM_machphys_mfn_list) failed");
  uint64_t *mfns = malloc((size_t)chunks * 512 * sizeof *mfns);
  for (unsigned c = 0; mfns && c < chunks; c++)
    for (unsigned j = 0; j < 512; j++) mfns[c * 512 + j] = ext[c] + j;
  const uint64_t *m2p = mfns ? map_frames(fd, DOMID_XEN, mfns, chunks * 512) : NULL;
  free(mfns);
  if (!m2p) die(4, "cannot map the M2P table (IOCTL_PRIVCMD_MMAPBATCH_V2, DOMID_XEN)");
  for (uint64_t mfn = 0; mfn < (uint64_t)max_page; mfn++) {
    if (m2p[mfn] != pfn) continue;
    const uint8_t *p = map_frames(fd, DOMID_SELF, &mfn, 1);
    int ours = p && memcmp(p, page, PAGE) == 0;
    if (p) munmap((void *)p, PAGE);
    if (ours) return mfn;
  }
  die(5, "no machine frame holds the canary page (the M2P scan found no verified candidate)");
  return 0;
}

int main(int argc, char **argv) {
  const char *hyp = "/sys/hypervisor", *privcmd = NULL;
  static const struct option lo[] = {{"hypervisor-dir", 1, 0, 'h'}, {"privcmd", 1, 0, 'p'}, {0, 0, 0, 0}};
  for (int c; (c = getopt_long(argc, argv, "", lo, NULL)) != -1;) {
    if (c == 'h') hyp = optarg;
    else if (c == 'p') privcmd = optarg;
    else {
      fprintf(stderr, "usage: dom0-canary [--hypervisor-dir DIR] [--privcmd PATH]\n");
      return 2;
    }
  }
  require_pv(hyp);
  int fd = open(privcmd ? privcmd : "/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
  if (fd < 0 && !privcmd) fd = open("/proc/xen/privcmd", O_RDWR | O_CLOEXEC);
  if (fd < 0) die(4, "cannot open privcmd (/dev/xen/privcmd or /proc/xen/privcmd): root in dom0 with xenfs?");

  uint8_t pattern[16] = "IOMMUCAN";
  if (getrandom(pattern + 8, 8, 0) != 8) die(4, "no random bytes for the pattern");
  uint8_t *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED,
                       -1, 0);
  if (page == MAP_FAILED || mlock(page, PAGE)) die(4, "cannot lock the canary page");
  for (int i = 0; i < PAGE; i += 16) memcpy(page + i, pattern, 16);
  uint64_t pfn = pagemap_pfn(page);
  if (!pfn) die(4, "/proc/self/pagemap shows no frame number: run as root (CAP_SYS_ADMIN)");
  uint64_t mfn = find_mfn(fd, pfn, page);
  printf("{\"probe\":\"dom0-canary\",\"ok\":true,\"pfn\":");
  json_addr(stdout, pfn);
  printf(",\"mfn\":");
  json_addr(stdout, mfn);
  printf(",\"machineAddress\":");
  json_addr(stdout, mfn * PAGE);
  printf(",\"pattern\":");
  json_hex(stdout, pattern, 16);
  printf(",\"pageSize\":%d,\"method\":\"m2p-scan\"}\n", PAGE);
  fflush(stdout);

  char buf[256];
  while (read(0, buf, sizeof buf) > 0) {
  }
  int changed = -1;
  for (int i = 0; i < PAGE && changed < 0; i++)
    if (page[i] != pattern[i % 16]) changed = i;
  printf("{\"probe\":\"dom0-canary\",\"event\":\"released\",\"intact\":%s,\"firstChange\":", changed < 0 ? "true" : "false");
  if (changed < 0) printf("null"); else printf("%d", changed);
  printf(",\"stayed\":%s,\"bytes\":", pagemap_pfn(page) == pfn ? "true" : "false");
  json_hex(stdout, page + (changed < 0 ? 0 : (changed & ~63)), 64);
  printf("}\n");
  return 0;
}

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
 * Why and how the machine address is found (and proved): m2p.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "json-out.h"
#include "m2p.h"

#define PAGE 4096

static void die(int code, const char *msg) {
  printf("{\"probe\":\"dom0-canary\",\"ok\":false,\"error\":");
  json_str(stdout, msg);
  printf("}\n");
  fprintf(stderr, "dom0-canary: %s\n", msg);
  exit(code);
}

static uint64_t pagemap_pfn(const void *va) {
  uint64_t e = 0;
  int fd = open("/proc/self/pagemap", O_RDONLY);
  if (fd < 0 || pread(fd, &e, 8, (off_t)((uintptr_t)va / PAGE) * 8) != 8) e = 0;
  if (fd >= 0) close(fd);
  return (e >> 63) ? e & ((1ULL << 55) - 1) : 0;
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
  char err[256];
  int rc = m2p_require_pv(hyp, "canary", err, sizeof err);
  if (rc) die(rc, err);
  struct m2p m;
  if ((rc = m2p_open(&m, privcmd, err, sizeof err))) die(rc, err);

  uint8_t pattern[16] = "IOMMUCAN";
  if (getrandom(pattern + 8, 8, 0) != 8) die(4, "no random bytes for the pattern");
  uint8_t *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED,
                       -1, 0);
  if (page == MAP_FAILED || mlock(page, PAGE)) die(4, "cannot lock the canary page");
  for (int i = 0; i < PAGE; i += 16) memcpy(page + i, pattern, 16);
  uint64_t pfn = pagemap_pfn(page);
  if (!pfn) die(4, "/proc/self/pagemap shows no frame number: run as root (CAP_SYS_ADMIN)");
  uint64_t mfn = m2p_find(&m, pfn, page, err, sizeof err);
  if (!mfn) die(5, err);
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

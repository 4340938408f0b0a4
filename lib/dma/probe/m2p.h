#ifndef M2P_H
#define M2P_H
/*
 * Machine addresses of a PV dom0's own pages, read from Xen's M2P table (see m2p.c for why and
 * how). Used by dom0-canary (its page) and by dma-probe --m2p (its rings and buffers, when the
 * probe runs in dom0 against a quarantined device).
 */
#include <stddef.h>
#include <stdint.h>

struct m2p {
  int fd;                /* privcmd */
  const uint64_t *table; /* M2P, mapped read-only: table[mfn] = pfn */
  uint64_t max_page;
};

/* Opens privcmd (path, or /dev/xen/privcmd then /proc/xen/privcmd) and maps the M2P.
 * 0, or an exit code (4: no privileges or no M2P) with a message in err. */
int m2p_open(struct m2p *m, const char *privcmd, char *err, size_t errlen);

/* The machine frame holding page (4 KiB, content unique enough to tell it apart), proved by
 * mapping each candidate back and comparing; 0 with a message in err when none holds it. */
uint64_t m2p_find(const struct m2p *m, uint64_t pfn, const uint8_t *page, char *err, size_t errlen);

/* "xen"/"PV" checks on /sys/hypervisor: 0, or 3 with a message when not in a Xen PV domain. */
int m2p_require_pv(const char *hypervisor_dir, const char *who, char *err, size_t errlen);

#endif

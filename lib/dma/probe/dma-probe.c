/*
 * dma-probe: inside a guest that owns an Intel NIC, program the NIC's DMA engine directly
 * and show what the device read, as one JSON line on stdout.
 *
 *   dma-probe --device /sys/bus/pci/devices/0000:00:05.0 --positive [--unbind] [--rebind]
 *   dma-probe --device DIR --target 0xADDR [--write]   (ADDR: a bus address outside the guest)
 *   dma-probe --device DIR --layout                    (register offsets and descriptor layout)
 * Options: --loopback mac|phy, --p2m FILE (PV guests: `xen-mfndump dump-p2m <domid>` output),
 *          --timeout-ms N (each wait; default 2000).
 *
 * One TX descriptor's buffer points at the address under test (--target) or at a guest page
 * holding a known pattern (--positive); the NIC loops the frame back (PHY loopback by default,
 * or MAC loopback, RCTL.LBM = 01b) into a guest RX buffer whose first 64 bytes are reported.
 * With --write the roles swap: the RX buffer is the target, so dom0 sees its canary change
 * if the DMA write got through. The probe never judges: lib/dma turns the JSON into a verdict.
 *
 * Exit: 0 the probe ran (whatever the DMA did), 2 usage, 3 unknown device, 4 environment
 * (driver bound, no privileges, no PFN), 5 the device did not respond (reset, igb PLL, PHY, queue).
 * Build: gcc -static -O2 -o dma-probe dma-probe.c probe-sysfs.c nic-ops.c igb-pll.c dma-mem.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dma-mem.h"
#include "json-out.h"
#include "nic-ops.h"
#include "probe-sysfs.h"

#define FRAME_LEN 128
#define DUMP_LEN 64
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
enum { PG_TXRING, PG_RXRING, PG_TXBUF, PG_RXBUF, NPAGES };

struct opts {
  const char *device, *p2m, *loopback;
  int positive, layout, write, unbind, rebind, timeout_ms, have_target, m2p, pciback;
  uint64_t target;
};

static void usage_exit(const char *why) {
  fprintf(stderr, "dma-probe: %s\nusage: dma-probe --device SYSFS_DIR (--positive | --target 0xADDR [--write] | --layout)"
                  " [--unbind] [--rebind] [--loopback mac|phy] [--p2m FILE | --m2p] [--pciback] [--timeout-ms N]\n", why);
  exit(2);
}

static struct opts parse(int argc, char **argv) {
  static const struct option lo[] = {
      {"device", 1, 0, 'd'}, {"positive", 0, 0, 'P'}, {"target", 1, 0, 't'}, {"write", 0, 0, 'w'},
      {"layout", 0, 0, 'l'}, {"unbind", 0, 0, 'u'},   {"rebind", 0, 0, 'r'},  {"loopback", 1, 0, 'L'},
      {"p2m", 1, 0, 'm'},    {"timeout-ms", 1, 0, 'T'}, {"m2p", 0, 0, 'M'},     {"pciback", 0, 0, 'B'},
      {0, 0, 0, 0}};
  struct opts o = {.timeout_ms = 2000};
  int c;
  char *end;
  while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
    switch (c) {
      case 'd': o.device = optarg; break;
      case 'P': o.positive = 1; break;
      case 't':
        errno = 0;
        o.target = strtoull(optarg, &end, 0);
        if (errno || *end || o.target == 0 || (o.target & 0xfff) + FRAME_LEN > 0x1000)
          usage_exit("--target needs a non-zero bus address with 128 bytes left in its page");
        o.have_target = 1;
        break;
      case 'w': o.write = 1; break;
      case 'l': o.layout = 1; break;
      case 'u': o.unbind = 1; break;
      case 'r': o.rebind = 1; break;
      case 'L': o.loopback = optarg; break;
      case 'm': o.p2m = optarg; break;
      case 'M': o.m2p = 1; break;
      case 'B': o.pciback = 1; break;
      case 'T': o.timeout_ms = atoi(optarg); break;
      default: usage_exit("unknown option");
    }
  }
  if (!o.device) usage_exit("--device is required");
  if (o.layout + o.positive + o.have_target != 1) usage_exit("give exactly one of --positive, --target, --layout");
  if (o.write && !o.have_target) usage_exit("--write goes with --target");
  if (o.loopback && strcmp(o.loopback, "mac") && strcmp(o.loopback, "phy")) usage_exit("--loopback is mac or phy");
  if (o.timeout_ms <= 0) usage_exit("--timeout-ms must be positive");
  if (o.m2p && o.p2m) usage_exit("--m2p and --p2m exclude each other");
  if (o.pciback && (o.unbind || o.rebind)) usage_exit("--pciback leaves the device with pciback: no --unbind/--rebind");
  return o;
}

static void print_layout(const struct probe_dev *d) {
  printf("{\"probe\":\"dma-probe\",\"layout\":true,\"device\":");
  sysfs_print_device(stdout, d);
  printf(",\"registers\":{\"CTRL\":%d,\"STATUS\":%d,\"MDIC\":%d,\"IMC\":%d,\"RCTL\":%d,\"TCTL\":%d,\"TIPG\":%d,"
         "\"RDBAL\":%d,\"RDBAH\":%d,\"RDLEN\":%d,\"RDH\":%d,\"RDT\":%d,\"TDBAL\":%d,\"TDBAH\":%d,\"TDLEN\":%d,"
         "\"TDH\":%d,\"TDT\":%d",
         REG_CTRL, REG_STATUS, REG_MDIC, REG_IMC, REG_RCTL, REG_TCTL, REG_TIPG, REG_RDBAL, REG_RDBAH, REG_RDLEN,
         REG_RDH, REG_RDT, REG_TDBAL, REG_TDBAH, REG_TDLEN, REG_TDH, REG_TDT);
  if (d->model->family == FAMILY_IGB)
    printf(",\"SRRCTL\":%d,\"RXDCTL\":%d,\"TXDCTL\":%d", REG_SRRCTL, REG_RXDCTL, REG_TXDCTL);
#define F(s, m) "\"" #m "\":[%zu,%zu]", offsetof(struct s, m), sizeof(((struct s *)0)->m)
  printf("},\"txDescriptor\":{\"size\":%zu,", sizeof(struct tx_desc));
  printf(F(tx_desc, addr)); printf(","); printf(F(tx_desc, length)); printf(","); printf(F(tx_desc, cso));
  printf(","); printf(F(tx_desc, cmd)); printf(","); printf(F(tx_desc, status)); printf(",");
  printf(F(tx_desc, css)); printf(","); printf(F(tx_desc, special));
  printf("},\"rxDescriptor\":{\"size\":%zu,", sizeof(struct rx_desc));
  printf(F(rx_desc, addr)); printf(","); printf(F(rx_desc, length)); printf(","); printf(F(rx_desc, csum));
  printf(","); printf(F(rx_desc, status)); printf(","); printf(F(rx_desc, errors)); printf(",");
  printf(F(rx_desc, special));
#undef F
  printf("},\"bits\":{\"TXD_CMD_EOP\":%d,\"TXD_CMD_IFCS\":%d,\"TXD_CMD_RS\":%d,\"TXD_STAT_DD\":%d,"
         "\"RXD_STAT_DD\":%d,\"RXD_STAT_EOP\":%d,\"CTRL_RST\":%d,\"CTRL_SLU\":%d,\"STATUS_LU\":%d,\"RCTL_EN\":%d,"
         "\"RCTL_LBM_MAC\":%d,\"TCTL_EN\":%d,\"XDCTL_QUEUE_ENABLE\":%d},\"queueEnable\":%s}\n",
         TXD_CMD_EOP, TXD_CMD_IFCS, TXD_CMD_RS, TXD_STAT_DD, RXD_STAT_DD, RXD_STAT_EOP, CTRL_RST, CTRL_SLU,
         STATUS_LU, RCTL_EN, RCTL_LBM_MAC, TCTL_EN, XDCTL_QUEUE_ENABLE,
         d->model->family == FAMILY_IGB ? "true" : "false");
}

/* A failure before any DMA result: one JSON line, one stderr line, the exit code. */
static void fail(const struct probe_dev *d, const char *stage, const char *msg, int code) {
  printf("{\"probe\":\"dma-probe\",\"ok\":false,\"stage\":\"%s\",\"error\":", stage);
  json_str(stdout, msg);
  printf(",\"device\":");
  if (d && d->dir[0]) sysfs_print_device(stdout, d); else printf("null");
  printf("}\n");
  fprintf(stderr, "dma-probe: %s\n", msg);
  fflush(stdout);
  exit(code);
}

static void wait_dd(volatile uint8_t *status, uint8_t bit, int timeout_ms, int *done, uint64_t *us, uint64_t t0) {
  uint64_t end = t0 + (uint64_t)timeout_ms * 1000u;
  *done = 0;
  do {
    if (*status & bit) {
      *done = 1;
      break;
    }
    usleep(50);
  } while (now_us() < end);
  *us = now_us() - t0;
}

int main(int argc, char **argv) {
  struct opts o = parse(argc, argv);
  char err[512];
  struct probe_dev dev = {0};
  int rc = sysfs_identify(o.device, &dev, err, sizeof err);
  if (rc) fail(&dev, "identify", err, rc);
  if (o.layout) {
    print_layout(&dev);
    return 0;
  }
  /* PHY loopback by default for both families: it is what Linux's ethtool self-test uses on
   * copper (e1000e/igb *_setup_loopback_test -> *_integrated_phy_loopback), and the only kind
   * QEMU's e1000e emulates (e1000e_core.c: MII_BMCR_LOOPBACK -> net_tx_pkt_send_loopback; RCTL.LBM
   * is ignored there, so a MAC-loopback frame would leave on the wire). */
  int phy = o.loopback ? !strcmp(o.loopback, "phy") : 1;
  struct dma_page pg[NPAGES];
  struct m2p m2p;
  if (o.m2p) {
    if ((rc = m2p_require_pv("/sys/hypervisor", "--m2p probe", err, sizeof err))) fail(&dev, "memory", err, rc);
    if ((rc = m2p_open(&m2p, NULL, err, sizeof err))) fail(&dev, "memory", err, rc);
  }
  if (dma_alloc(pg, NPAGES, o.p2m, o.m2p ? &m2p : NULL, err, sizeof err)) fail(&dev, "memory", err, 4);
  /* pciback holds a quarantined device for Xen without driving it: the probe may work beside it. */
  if (!(o.pciback && !strcmp(dev.driver, "pciback")) && (rc = sysfs_take(&dev, o.unbind, err, sizeof err)))
    fail(&dev, "driver", err, rc);
  uint16_t cmd0;
  if (sysfs_enable(&dev, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, &cmd0, err, sizeof err)) fail(&dev, "config", err, 4);
  int igb = dev.model->family == FAMILY_IGB;
  volatile uint8_t *bar = sysfs_map_bar0(&dev, igb ? BAR0_MIN_SIZE_IGB : BAR0_MIN_SIZE, err, sizeof err);
  if (!bar) fail(&dev, "bar0", err, 4);
  struct nic nic = {.bar = bar, .family = dev.model->family, .cfg_fd = -1};
  /* igb: the PLL workaround cycles PMCSR through config space (igb-pll.c). */
  if (igb) nic.cfg_fd = sysfs_open_config(&dev);
  nic_save(&nic);

  uint8_t pattern[16] = "IOMMULAB";
  if (getrandom(pattern + 8, 8, 0) != 8) memcpy(pattern + 8, "\x5a\xa5\x3c\xc3\x0f\xf0\x96\x69", 8);
  for (int i = 0; i < DMA_PAGE; i += 16) memcpy((uint8_t *)pg[PG_TXBUF].va + i, pattern, 16);
  uint64_t txbuf = o.have_target && !o.write ? o.target : pg[PG_TXBUF].bus;
  uint64_t rxbuf = o.have_target && o.write ? o.target : pg[PG_RXBUF].bus;
  struct tx_desc *td = pg[PG_TXRING].va;
  struct rx_desc *rd = pg[PG_RXRING].va;
  for (int i = 0; i < 8; i++) rd[i].addr = pg[PG_RXBUF].bus;
  rd[0].addr = rxbuf;
  td[0] = (struct tx_desc){.addr = txbuf, .length = FRAME_LEN, .cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS};
  __sync_synchronize();

  const char *stage = NULL;
  int reset_rc = nic_reset(&nic, o.timeout_ms);
  if (reset_rc == -2) stage = "pll"; /* igb: PLL still unconfigured after Linux's 5 tries */
  else if (reset_rc) stage = "reset";
  else if (nic_loopback(&nic, phy, o.timeout_ms)) stage = "link";
  else if (nic_setup_rx(&nic, pg[PG_RXRING].bus, 1, !phy, o.timeout_ms)) stage = "rx-queue";
  else if (nic_setup_tx(&nic, pg[PG_TXRING].bus, o.timeout_ms)) stage = "tx-queue";
  int tx_done = 0, rx_done = 0;
  uint64_t tx_us = 0, rx_us = 0, t0 = now_us();
  uint32_t regs[9] = {0};
  if (!stage) {
    nic_wr(&nic, REG_TDT, 1);
    wait_dd(&((volatile struct tx_desc *)td)[0].status, TXD_STAT_DD, o.timeout_ms, &tx_done, &tx_us, t0);
    wait_dd(&((volatile struct rx_desc *)rd)[0].status, RXD_STAT_DD, o.timeout_ms, &rx_done, &rx_us, t0);
    const uint32_t at[9] = {REG_CTRL, REG_STATUS, REG_RCTL, REG_TCTL, REG_TDH, REG_TDT, REG_RDH, REG_TPT, REG_TPR};
    for (int i = 0; i < 9; i++) regs[i] = nic_rd(&nic, at[i]);
  }
  nic_stop(&nic, o.timeout_ms);
  sysfs_restore(&dev, cmd0, o.rebind);
  if (stage) {
    snprintf(err, sizeof err, "the device did not respond at the %s step (not a working NIC at %s?)", stage, dev.bdf);
    fail(&dev, stage, err, 5);
  }

  printf("{\"probe\":\"dma-probe\",\"ok\":true,\"mode\":\"%s\",\"direction\":\"%s\",\"device\":",
         o.positive ? "positive" : "target", o.write ? "write" : "read");
  sysfs_print_device(stdout, &dev);
  printf(",\"loopback\":\"%s\",\"addressing\":\"%s\",\"memory\":{\"txRing\":", phy ? "phy" : "mac",
         o.p2m ? "p2m" : o.m2p ? "m2p" : "pfn");
  json_addr(stdout, pg[PG_TXRING].bus);
  printf(",\"rxRing\":"); json_addr(stdout, pg[PG_RXRING].bus);
  printf(",\"txBuffer\":"); json_addr(stdout, txbuf);
  printf(",\"rxBuffer\":"); json_addr(stdout, rxbuf);
  printf(",\"stayed\":%s},\"target\":", dma_still_at(pg, NPAGES) ? "true" : "false");
  if (o.have_target) json_addr(stdout, o.target); else printf("null");
  printf(",\"pattern\":"); json_hex(stdout, pattern, 16);
  printf(",\"tx\":{\"done\":%s,\"status\":%u,\"us\":%llu}", tx_done ? "true" : "false", td[0].status,
         (unsigned long long)tx_us);
  printf(",\"rx\":{\"done\":%s,\"status\":%u,\"length\":%u,\"errors\":%u,\"us\":%llu,\"bytes\":",
         rx_done ? "true" : "false", rd[0].status, rd[0].length, rd[0].errors, (unsigned long long)rx_us);
  if (rx_done && !o.write) json_hex(stdout, pg[PG_RXBUF].va, DUMP_LEN); else printf("null");
  printf("},\"registers\":{\"CTRL\":\"0x%08x\",\"STATUS\":\"0x%08x\",\"RCTL\":\"0x%08x\",\"TCTL\":\"0x%08x\","
         "\"TDH\":%u,\"TDT\":%u,\"RDH\":%u,\"TPT\":%u,\"TPR\":%u}}\n",
         regs[0], regs[1], regs[2], regs[3], regs[4], regs[5], regs[6], regs[7], regs[8]);
  return 0;
}

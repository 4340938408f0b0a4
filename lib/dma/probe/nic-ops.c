/* The register sequences, in the order Linux's e1000e/igb bring-up and ethtool loopback
 * self-test use them: reset, link, receive, then transmit. Sources of each number: nic-regs.h. */
#define _GNU_SOURCE
#include "nic-ops.h"

#include "igb-pll.h"

#include <time.h>
#include <unistd.h>

#ifndef NIC_SIM
int nic_cfg_rd16(const struct nic *n, uint32_t off, uint16_t *v) {
  return n->cfg_fd >= 0 && pread(n->cfg_fd, v, 2, off) == 2 ? 0 : -1;
}
int nic_cfg_wr16(const struct nic *n, uint32_t off, uint16_t v) {
  return n->cfg_fd >= 0 && pwrite(n->cfg_fd, &v, 2, off) == 2 ? 0 : -1;
}
#endif

uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Poll until (reg & mask) == want or the time is up. */
static int wait_bits(const struct nic *n, uint32_t reg, uint32_t mask, uint32_t want, int timeout_ms) {
  uint64_t end = now_us() + (uint64_t)timeout_ms * 1000u;
  do {
    if ((nic_rd(n, reg) & mask) == want) return 0;
    usleep(100);
  } while (now_us() < end);
  return -1;
}

int nic_reset(const struct nic *n, int timeout_ms) {
  nic_wr(n, REG_IMC, 0xffffffffu); /* no interrupts: nobody in this process handles them */
  nic_wr(n, REG_RCTL, 0);
  nic_wr(n, REG_TCTL, TCTL_PSP);
  nic_wr(n, REG_CTRL, nic_rd(n, REG_CTRL) | CTRL_RST);
  usleep(1000); /* the datasheets ask for >= 1 ms before the first access after RST */
  if (wait_bits(n, REG_CTRL, CTRL_RST, 0, timeout_ms) != 0) return -1;
  usleep(10000);
  nic_wr(n, REG_IMC, 0xffffffffu);
  /* igb: Linux's igb_reset runs reset_hw and then init_hw, whose first step on a flashless
   * I210/I211 is the PLL check (igb-pll.c). e1000e has no such step. */
  if (n->family == FAMILY_IGB && !igb_flash_present(n) && igb_pll_workaround(n, timeout_ms) != 0) return -2;
  return 0;
}

int nic_phy_write(const struct nic *n, uint32_t reg, uint16_t val, int timeout_ms) {
  nic_wr(n, REG_MDIC, val | (reg << MDIC_REG_SHIFT) | (PHY_ADDR << MDIC_PHY_SHIFT) | MDIC_OP_WRITE);
  if (wait_bits(n, REG_MDIC, MDIC_READY, MDIC_READY, timeout_ms) != 0) return -1;
  return (nic_rd(n, REG_MDIC) & MDIC_ERROR) ? -1 : 0;
}

int nic_phy_read(const struct nic *n, uint32_t reg, uint16_t *val, int timeout_ms) {
  nic_wr(n, REG_MDIC, (reg << MDIC_REG_SHIFT) | (PHY_ADDR << MDIC_PHY_SHIFT) | MDIC_OP_READ);
  if (wait_bits(n, REG_MDIC, MDIC_READY, MDIC_READY, timeout_ms) != 0) return -1;
  uint32_t v = nic_rd(n, REG_MDIC);
  if (v & MDIC_ERROR) return -1;
  *val = (uint16_t)v;
  return 0;
}

void nic_save(struct nic *n) {
  n->saved_ctrl = nic_rd(n, REG_CTRL);
  n->saved_rfctl = n->family == FAMILY_E1000E ? nic_rd(n, REG_RFCTL) : 0;
}

int nic_loopback(const struct nic *n, int phy, int timeout_ms) {
  /* Force 1000/full with the link "up" whatever the cable says, as Linux's ethtool self-test
   * does for both loopback kinds (e1000e/igb *_integrated_phy_loopback). */
  uint32_t ctrl = nic_rd(n, REG_CTRL) & ~CTRL_SPD_SEL;
  nic_wr(n, REG_CTRL, ctrl | CTRL_FRCSPD | CTRL_FRCDPX | CTRL_SPD_1000 | CTRL_FD | CTRL_SLU);
  /* igb: the I210's PHY is paged (reg 0x16); BMCR is on page 0, and the driver or the PLL check
   * may have left another page selected. Linux selects page 0 before PHY_CONTROL = 0x4140
   * (igb_ethtool.c igb_integrated_phy_loopback; the GS40G accessors did so before every access). */
  if (phy && n->family == FAMILY_IGB && nic_phy_write(n, PHY_PAGE_SELECT, 0, timeout_ms) != 0) return -1;
  if (phy && nic_phy_write(n, PHY_BMCR, BMCR_LOOPBACK_1000_FD, timeout_ms) != 0) return -1;
  return wait_bits(n, REG_STATUS, STATUS_LU, STATUS_LU, timeout_ms);
}

int nic_setup_rx(const struct nic *n, uint64_t ring, unsigned tail, int mac_loopback, int timeout_ms) {
  nic_wr(n, REG_RDBAL, (uint32_t)ring);
  nic_wr(n, REG_RDBAH, (uint32_t)(ring >> 32));
  nic_wr(n, REG_RDLEN, 8 * sizeof(struct rx_desc));
  nic_wr(n, REG_RDH, 0);
  if (n->family == FAMILY_E1000E) nic_wr(n, REG_RFCTL, nic_rd(n, REG_RFCTL) & ~RFCTL_EXTEN);
  if (n->family == FAMILY_IGB) {
    /* igb: legacy descriptors are chosen per queue, and RDT writes count only once the
     * queue is enabled [I210 s8.10.8]. */
    nic_wr(n, REG_SRRCTL, SRRCTL_BSIZE_2K | SRRCTL_DESCTYPE_LEGACY);
    nic_wr(n, REG_RXDCTL, nic_rd(n, REG_RXDCTL) | XDCTL_QUEUE_ENABLE);
    if (wait_bits(n, REG_RXDCTL, XDCTL_QUEUE_ENABLE, XDCTL_QUEUE_ENABLE, timeout_ms) != 0) return -1;
  }
  nic_wr(n, REG_RDT, tail);
  /* Promiscuous: the frame's destination MAC is whatever the buffer held. */
  nic_wr(n, REG_RCTL, RCTL_EN | RCTL_UPE | RCTL_MPE | RCTL_BAM | RCTL_SZ_2048 | (mac_loopback ? RCTL_LBM_MAC : 0));
  return 0;
}

int nic_setup_tx(const struct nic *n, uint64_t ring, int timeout_ms) {
  nic_wr(n, REG_TDBAL, (uint32_t)ring);
  nic_wr(n, REG_TDBAH, (uint32_t)(ring >> 32));
  nic_wr(n, REG_TDLEN, 8 * sizeof(struct tx_desc));
  nic_wr(n, REG_TDH, 0);
  nic_wr(n, REG_TDT, 0);
  nic_wr(n, REG_TIPG, TIPG_DEFAULT);
  if (n->family == FAMILY_IGB) {
    nic_wr(n, REG_TXDCTL, nic_rd(n, REG_TXDCTL) | XDCTL_QUEUE_ENABLE);
    if (wait_bits(n, REG_TXDCTL, XDCTL_QUEUE_ENABLE, XDCTL_QUEUE_ENABLE, timeout_ms) != 0) return -1;
  }
  nic_wr(n, REG_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT_15 | TCTL_COLD_FD);
  return 0;
}

void nic_stop(const struct nic *n, int timeout_ms) {
  nic_wr(n, REG_RCTL, 0);
  nic_wr(n, REG_TCTL, 0);
  if (n->family == FAMILY_IGB) {
    nic_wr(n, REG_RXDCTL, nic_rd(n, REG_RXDCTL) & ~XDCTL_QUEUE_ENABLE);
    nic_wr(n, REG_TXDCTL, nic_rd(n, REG_TXDCTL) & ~XDCTL_QUEUE_ENABLE);
  }
  /* Out of PHY loopback, as Linux's e1000_loopback_cleanup does: the PHY keeps the bit across
   * a MAC reset, and a driver rebound on a looped PHY sends everything back to itself. */
  uint16_t bmcr;
  if (n->family == FAMILY_IGB) nic_phy_write(n, PHY_PAGE_SELECT, 0, timeout_ms);
  if (nic_phy_read(n, PHY_BMCR, &bmcr, timeout_ms) == 0 && (bmcr & BMCR_LOOPBACK))
    nic_phy_write(n, PHY_BMCR, bmcr & ~BMCR_LOOPBACK, timeout_ms);
  nic_reset(n, timeout_ms);
  nic_wr(n, REG_CTRL, n->saved_ctrl & ~CTRL_RST);
  if (n->family == FAMILY_E1000E) nic_wr(n, REG_RFCTL, n->saved_rfctl);
}

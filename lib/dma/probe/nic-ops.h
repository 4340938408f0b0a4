/* Programming an e1000e/igb NIC through BAR0: reset, loopback, one RX and one TX queue. */
#ifndef NIC_OPS_H
#define NIC_OPS_H
#include <stddef.h>
#include <stdint.h>

#include "nic-regs.h"

struct nic {
  volatile uint8_t *bar;
  enum nic_family family;
  /* What the driver had set, put back by nic_stop: a reset does not restore it on every model. */
  uint32_t saved_ctrl, saved_rfctl;
  /* The device's sysfs config file (igb: PMCSR for the PLL workaround), or -1. */
  int cfg_fd;
};

#ifdef NIC_SIM
/* Host tests build these files with -DNIC_SIM: every register and config-space access goes to a
 * simulated device that logs it (test/dma/probe/nic-sim.c), so the order can be checked. */
uint32_t nic_rd(const struct nic *n, uint32_t off);
void nic_wr(const struct nic *n, uint32_t off, uint32_t v);
int nic_cfg_rd16(const struct nic *n, uint32_t off, uint16_t *v);
int nic_cfg_wr16(const struct nic *n, uint32_t off, uint16_t v);
#else
static inline uint32_t nic_rd(const struct nic *n, uint32_t off) {
  return *(volatile uint32_t *)(n->bar + off);
}
static inline void nic_wr(const struct nic *n, uint32_t off, uint32_t v) {
  *(volatile uint32_t *)(n->bar + off) = v;
  __sync_synchronize();
}
int nic_cfg_rd16(const struct nic *n, uint32_t off, uint16_t *v);
int nic_cfg_wr16(const struct nic *n, uint32_t off, uint16_t v);
#endif

uint64_t now_us(void);
/* Remember the driver's CTRL (and RFCTL on e1000e) before the probe changes them. */
void nic_save(struct nic *n);
/* Each returns 0, or -1 when the device did not do what the register promised in time;
 * nic_reset returns -2 when an igb part's PLL stayed unconfigured (igb-pll.c). */
int nic_reset(const struct nic *n, int timeout_ms);
/* PHY register access through MDIC (PHY address 1): 0, or -1 on timeout or MDIC error. */
int nic_phy_write(const struct nic *n, uint32_t reg, uint16_t val, int timeout_ms);
int nic_phy_read(const struct nic *n, uint32_t reg, uint16_t *val, int timeout_ms);
int nic_loopback(const struct nic *n, int phy, int timeout_ms);
int nic_setup_rx(const struct nic *n, uint64_t ring, unsigned tail, int mac_loopback, int timeout_ms);
int nic_setup_tx(const struct nic *n, uint64_t ring, int timeout_ms);
/* Stop both queues and reset the device so it does no DMA into memory about to be freed. */
void nic_stop(const struct nic *n, int timeout_ms);

#endif

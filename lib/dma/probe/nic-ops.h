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
};

static inline uint32_t nic_rd(const struct nic *n, uint32_t off) {
  return *(volatile uint32_t *)(n->bar + off);
}
static inline void nic_wr(const struct nic *n, uint32_t off, uint32_t v) {
  *(volatile uint32_t *)(n->bar + off) = v;
  __sync_synchronize();
}

uint64_t now_us(void);
/* Remember the driver's CTRL (and RFCTL on e1000e) before the probe changes them. */
void nic_save(struct nic *n);
/* Each returns 0, or -1 when the device did not do what the register promised in time. */
int nic_reset(const struct nic *n, int timeout_ms);
int nic_loopback(const struct nic *n, int phy, int timeout_ms);
int nic_setup_rx(const struct nic *n, uint64_t ring, unsigned tail, int mac_loopback, int timeout_ms);
int nic_setup_tx(const struct nic *n, uint64_t ring, int timeout_ms);
/* Stop both queues and reset the device so it does no DMA into memory about to be freed. */
void nic_stop(const struct nic *n, int timeout_ms);

#endif

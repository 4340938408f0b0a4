/* The I210/I211 PLL erratum check Linux's igb runs after every reset of a part without flash. */
#ifndef IGB_PLL_H
#define IGB_PLL_H
#include "nic-ops.h"

/* EECD.FLASH_DETECTED_I210: the apu2's 8086:157b and every I211 have none. */
int igb_flash_present(const struct nic *n);
/* 0 when the PLL reads configured (at once or after a retry), -1 after MAX_PLL_TRIES. */
int igb_pll_workaround(const struct nic *n, int timeout_ms);

#endif

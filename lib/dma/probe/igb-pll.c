/*
 * The I210/I211 PLL erratum workaround ("the PLL circuit ... occasionally provides the wrong clock
 * frequency after power up"), ported from Linux's igb: igb_init_hw_82575 (e1000_82575.c) calls
 * igb_pll_workaround_i210 (e1000_i210.c) after the MAC reset whenever mac.type >= e1000_i210 and
 * igb_get_flash_presence_i210() is false — the apu2's flashless i210 (8086:157b) and any i211.
 * Order and values as there (torvalds/linux drivers/net/ethernet/intel/igb, read at 6.x):
 *   save WUC and MDICNFG, clear MDICNFG.EXT_MDIO; take the iNVM autoload word 0x0A (default
 *   0x202F); up to 5 times: read the PLL word (PHY page 0xFC, reg 0x0E) and stop when its low byte
 *   is not 0xFF; else reset the PHY (CTRL.PHY_RST), set CTRL_EXT.PHYPDEN|SDLPE, WUC = 0, load the
 *   autoload word with INVM_PLL_WO_VAL through EEARBC, cycle PMCSR D3hot -> D0 (1 ms), load the
 *   word as it was, put WUC back; then PHY page 0 and MDICNFG back.
 * One deliberate difference: Linux (since 4.5, when the GS40G accessors were folded into the
 * 82580 ones) writes E1000_PHY_PLL_FREQ_PAGE = 0xFC0000 as the u16 value of the page register,
 * which truncates to page 0, once before the loop. Intel's shared code (FreeBSD
 * sys/dev/e1000/e1000_i210.c e1000_pll_workaround_i210, and Linux igb before 4.5) reads through
 * e1000_read_phy_reg_gs40g(PLL_FREQ_PAGE | PLL_FREQ_REG), which selects page 0xFC before every
 * read. This port does the latter: the page the erratum describes, re-selected after each PHY
 * reset (which puts the PHY back on page 0).
 */
#define _GNU_SOURCE
#include "igb-pll.h"

#include <unistd.h>

/* igb_read_invm_word_i210: scan the iNVM records for a word-autoload record of that address. */
static int invm_word(const struct nic *n, unsigned address, uint16_t *data) {
  for (unsigned i = 0; i < INVM_SIZE; i++) {
    uint32_t d = nic_rd(n, REG_INVM_DATA(i));
    unsigned type = INVM_RECORD_TYPE(d);
    if (type == INVM_UNINITIALIZED_STRUCTURE) break;
    if (type == INVM_CSR_AUTOLOAD_STRUCTURE) i += INVM_CSR_AUTOLOAD_DATA_SIZE_IN_DWORDS;
    if (type == INVM_RSA_KEY_SHA256_STRUCTURE) i += INVM_RSA_KEY_SHA256_DATA_SIZE_IN_DWORDS;
    if (type == INVM_WORD_AUTOLOAD_STRUCTURE && INVM_WORD_ADDRESS(d) == address) {
      *data = INVM_WORD_DATA(d);
      return 0;
    }
  }
  return -1;
}

int igb_flash_present(const struct nic *n) { return (nic_rd(n, REG_EECD) & EECD_FLASH_DETECTED_I210) != 0; }

int igb_pll_workaround(const struct nic *n, int timeout_ms) {
  uint32_t wuc = nic_rd(n, REG_WUC);
  uint32_t mdicnfg = nic_rd(n, REG_MDICNFG);
  nic_wr(n, REG_MDICNFG, mdicnfg & ~MDICNFG_EXT_MDIO);
  uint16_t nvm_word;
  if (invm_word(n, INVM_AUTOLOAD, &nvm_word) != 0) nvm_word = INVM_DEFAULT_AL;
  uint16_t tmp_nvm = nvm_word | INVM_PLL_WO_VAL;
  int rc = -1;
  for (int i = 0; i < MAX_PLL_TRIES; i++) {
    uint16_t phy_word = PHY_PLL_UNCONF; /* an MDIC error counts as unconfigured, as in Linux */
    if (nic_phy_write(n, PHY_PAGE_SELECT, PHY_PLL_FREQ_PAGE, timeout_ms) == 0)
      nic_phy_read(n, PHY_PLL_FREQ_REG, &phy_word, timeout_ms);
    if ((phy_word & PHY_PLL_UNCONF) != PHY_PLL_UNCONF) {
      rc = 0;
      break;
    }
    nic_wr(n, REG_CTRL, nic_rd(n, REG_CTRL) | CTRL_PHY_RST);
    nic_wr(n, REG_CTRL_EXT, nic_rd(n, REG_CTRL_EXT) | CTRL_EXT_PHYPDEN | CTRL_EXT_SDLPE);
    nic_wr(n, REG_WUC, 0);
    nic_wr(n, REG_EEARBC_I210, (INVM_AUTOLOAD << 4) | ((uint32_t)tmp_nvm << 16));
    /* Linux ignores config-space errors here too; without config access the D3 cycle does not
     * happen, the PLL stays unconfigured and the probe stops at "pll" (broken, not a pass). */
    uint16_t pm = 0;
    nic_cfg_rd16(n, PCI_PMCSR, &pm);
    nic_cfg_wr16(n, PCI_PMCSR, pm | PCI_PMCSR_D3);
    usleep(1000);
    nic_cfg_wr16(n, PCI_PMCSR, pm & ~PCI_PMCSR_D3);
    nic_wr(n, REG_EEARBC_I210, (INVM_AUTOLOAD << 4) | ((uint32_t)nvm_word << 16));
    nic_wr(n, REG_WUC, wuc);
  }
  nic_phy_write(n, PHY_PAGE_SELECT, 0, timeout_ms);
  nic_wr(n, REG_MDICNFG, mdicnfg);
  return rc;
}

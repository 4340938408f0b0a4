/*
 * A simulated e1000e/igb register file for host tests of lib/dma/probe/nic-ops.c (built with
 * -DNIC_SIM, which routes nic_rd/nic_wr/nic_cfg_* here). It logs every access, in order, on
 * stdout, and models only what the probe's sequences depend on:
 *  - CTRL.RST and CTRL.PHY_RST clear themselves; PHY_RST puts the PHY back on page 0;
 *  - MDIC reaches a paged PHY (page select = PHY reg 0x16, as on the I210's GS40G PHY and
 *    Marvell PHYs; Linux igb e1000_82575.h I347AT4_PAGE_SELECT) at PHY address 1;
 *  - igb: the I210 PLL erratum (Linux igb e1000_i210.c igb_pll_workaround_i210): while the PLL is
 *    unconfigured, PHY page 0xFC reg 0x0E reads 0x00FF and the link never comes up; it locks after
 *    a try of the workaround (PHY reset, iNVM autoload word with the PLL bit through EEARBC, a
 *    D3hot/D0 cycle through PMCSR) once --pll-fix-after tries have been made;
 *  - igb: STATUS.LU needs CTRL.SLU, a locked PLL, and the loopback bit in BMCR on PHY page 0;
 *    e1000e: STATUS.LU follows CTRL.SLU (what the twin's QEMU e1000e does).
 * Usage: nic-sim --family igb|e1000e [--page N] [--pll ok|bad] [--pll-fix-after N] [--flash]
 *                [--invm-autoload 0xWORD] [--loopback phy|mac]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nic-ops.h"


static struct {
  uint32_t reg[0x20000 / 4];
  uint16_t phy[256][32];
  unsigned page;
  int igb, pll_bad, fix_after, tries, phy_reset, pll_word_loaded, d3;
  uint16_t pmcsr;
} S;

static void log_access(char op, uint32_t off, uint32_t v) { printf("%c 0x%05x 0x%08x\n", op, off, v); }

static uint32_t status(void) {
  uint32_t ctrl = S.reg[REG_CTRL / 4];
  int lu = (ctrl & CTRL_SLU) != 0;
  if (S.igb) lu = lu && !S.pll_bad && (S.phy[0][PHY_BMCR] & BMCR_LOOPBACK);
  return lu ? STATUS_LU : 0;
}

uint32_t nic_rd(const struct nic *n, uint32_t off) {
  (void)n;
  uint32_t v = off == REG_STATUS ? status() : S.reg[off / 4];
  log_access('R', off, v);
  return v;
}

static void mdic(uint32_t v) {
  unsigned reg = (v >> MDIC_REG_SHIFT) & 0x1f, addr = (v >> MDIC_PHY_SHIFT) & 0x1f;
  uint16_t data = (uint16_t)v;
  if (addr != PHY_ADDR) {
    S.reg[REG_MDIC / 4] = v | MDIC_READY | MDIC_ERROR;
    return;
  }
  if (v & MDIC_OP_WRITE) {
    if (reg == PHY_PAGE_SELECT) S.page = data & 0xff;
    else S.phy[S.page][reg] = data;
    printf("PHY W page=0x%02x reg=0x%02x 0x%04x\n", reg == PHY_PAGE_SELECT ? data : S.page, reg, data);
  } else {
    data = reg == PHY_PAGE_SELECT ? (uint16_t)S.page : S.phy[S.page][reg];
    if (S.igb && S.page == 0xfc && reg == 0x0e) data = S.pll_bad ? 0x00ff : 0x0002;
    printf("PHY R page=0x%02x reg=0x%02x 0x%04x\n", S.page, reg, data);
  }
  S.reg[REG_MDIC / 4] = (v & 0xffff0000u) | data | MDIC_READY;
}

void nic_wr(const struct nic *n, uint32_t off, uint32_t v) {
  (void)n;
  log_access('W', off, v);
  if (off == REG_MDIC) return mdic(v);
  if (off == REG_CTRL && (v & 0x80000000u)) { /* CTRL.PHY_RST */
    memset(S.phy, 0, sizeof S.phy);
    S.page = 0;
    S.phy_reset = 1;
  }
  if (off == REG_CTRL) v &= ~(CTRL_RST | 0x80000000u);
  if (off == 0x12024 && (v & (0x0010u << 16))) S.pll_word_loaded = 1; /* EEARBC, INVM_PLL_WO_VAL */
  S.reg[off / 4] = v;
}

int nic_cfg_rd16(const struct nic *n, uint32_t off, uint16_t *v) {
  (void)n;
  *v = off == 0x44 ? S.pmcsr : 0;
  printf("CFG R 0x%02x 0x%04x\n", off, *v);
  return 0;
}

int nic_cfg_wr16(const struct nic *n, uint32_t off, uint16_t v) {
  (void)n;
  printf("CFG W 0x%02x 0x%04x\n", off, v);
  if (off != 0x44) return 0;
  if ((v & 3) == 3) S.d3 = 1;
  if ((v & 3) == 0 && S.d3) { /* back to D0: one try of the workaround is over */
    S.d3 = 0;
    if (S.phy_reset && S.pll_word_loaded && ++S.tries >= S.fix_after && S.fix_after >= 0) S.pll_bad = 0;
    S.phy_reset = S.pll_word_loaded = 0;
  }
  S.pmcsr = v;
  return 0;
}

int main(int argc, char **argv) {
  int phy = 1;
  unsigned page = 0;
  S.fix_after = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
    if (!strcmp(a, "--family")) S.igb = !strcmp(v, "igb"), i++;
    else if (!strcmp(a, "--page")) page = (unsigned)strtoul(v, NULL, 0), i++;
    else if (!strcmp(a, "--pll")) S.pll_bad = !strcmp(v, "bad"), i++;
    else if (!strcmp(a, "--pll-fix-after")) S.fix_after = atoi(v), i++;
    else if (!strcmp(a, "--flash")) S.reg[0x10 / 4] |= 0x00080000u; /* EECD.FLASH_DETECTED_I210 */
    else if (!strcmp(a, "--invm-autoload")) /* one word-autoload record for word 0x0A */
      S.reg[0x12120 / 4] = (uint32_t)strtoul(v, NULL, 0) << 16 | 0x0a << 9 | 1, i++;
    else if (!strcmp(a, "--loopback")) phy = !strcmp(v, "phy"), i++;
    else return fprintf(stderr, "nic-sim: unknown argument %s\n", a), 2;
  }
  S.page = page; /* what the driver left selected */
  struct nic n = {.bar = NULL, .family = S.igb ? FAMILY_IGB : FAMILY_E1000E, .cfg_fd = -1};
  int t = 50;
  nic_save(&n);
  printf("STEP reset\n");
  int rc = nic_reset(&n, t);
  printf("RESULT reset %d\n", rc);
  if (rc == 0) {
    printf("STEP link\n");
    rc = nic_loopback(&n, phy, t);
    printf("RESULT link %d\n", rc);
  }
  if (rc == 0) {
    printf("STEP rx\n");
    printf("RESULT rx %d\n", nic_setup_rx(&n, 0x1000, 1, !phy, t));
    printf("STEP tx\n");
    printf("RESULT tx %d\n", nic_setup_tx(&n, 0x2000, t));
  }
  printf("STEP stop\n");
  nic_stop(&n, t);
  printf("RESULT stop 0\n");
  return 0;
}

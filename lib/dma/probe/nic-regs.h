/*
 * Intel e1000e / igb registers, bits and legacy descriptors used by dma-probe.
 *
 * Every number below was checked against at least two of these sources:
 *  [SDM]   Intel PCI/PCI-X Family of Gigabit Ethernet Controllers Software Developer's
 *          Manual (8254x, rev 4.0): the legacy register block the 82574L keeps.
 *          s3.3.3 legacy TX descriptor (Tables 3-8/3-9), Table 3-10 TDESC.CMD,
 *          s13.4.36-13.4.40 TDBAL/TDBAH/TDLEN/TDH/TDT.
 *  [82574] Intel 82574 GbE Controller Family Datasheet (rev 3.4), ch. 10 register
 *          descriptions: cited by register name and offset (its section numbering was
 *          not available to check).
 *  [I210]  Intel Ethernet Controller I210 Datasheet (rev 3.x): s3.7.6 loopback modes,
 *          s7.1.4.1 legacy RX descriptor (used when SRRCTL.DESCTYPE = 000b),
 *          s7.2.2.1 legacy TX descriptor (Table 7-23), s8.10.4-8.10.8 RDBAL/RDBAH/RDLEN/RDH/RDT
 *          (queue 0 aliased at 0x28xx; "writing RDT while the queue is disabled is ignored"),
 *          s8.12.1 TCTL, s8.12.10-8.12.14 TDBAL..TDT (queue 0 aliased at 0x38xx),
 *          s8.12.15 TXDCTL.
 *  [LNX-E] linux drivers/net/ethernet/intel/e1000e/regs.h, defines.h, hw.h
 *  [LNX-I] linux drivers/net/ethernet/intel/igb/e1000_regs.h, e1000_defines.h, e1000_82575.h
 *  [QEMU]  qemu hw/net/e1000x_regs.h, hw/net/e1000e_core.c (the twin's NIC model): MAC
 *          loopback (RCTL.LBM = 01b) and PHY loopback (BMCR bit 14) both hand the frame
 *          to the NIC's own receive path; receive needs STATUS.LU, RCTL.EN and bus mastering.
 */
#ifndef NIC_REGS_H
#define NIC_REGS_H
#include <stdint.h>

/* BAR0 offsets. Queue-0 registers use the legacy aliases both families decode. */
#define REG_CTRL 0x00000   /* [LNX-E][LNX-I][QEMU] Device Control */
#define REG_STATUS 0x00008 /* Device Status */
#define REG_MDIC 0x00020   /* MDI Control: PHY register access */
#define REG_IMC 0x000D8    /* Interrupt Mask Clear */
#define REG_RCTL 0x00100   /* Receive Control */
#define REG_TCTL 0x00400   /* [I210 s8.12.1] Transmit Control */
#define REG_TIPG 0x00410   /* Transmit Inter-Packet Gap */
#define REG_RDBAL 0x02800  /* [I210 s8.10.4] RX descriptor base low (queue 0) */
#define REG_RDBAH 0x02804  /* [I210 s8.10.5] */
#define REG_RDLEN 0x02808  /* [I210 s8.10.6] bytes, multiple of 128 */
#define REG_SRRCTL 0x0280C /* igb only: split/replication RX control (queue 0) */
#define REG_RDH 0x02810    /* [I210 s8.10.7] */
#define REG_RDT 0x02818    /* [I210 s8.10.8] */
#define REG_RXDCTL 0x02828 /* RX descriptor control (queue 0) */
#define REG_TDBAL 0x03800  /* [SDM s13.4.36][I210 s8.12.10] TX descriptor base low */
#define REG_TDBAH 0x03804  /* [SDM s13.4.37][I210 s8.12.11] */
#define REG_TDLEN 0x03808  /* [SDM s13.4.38][I210 s8.12.12] bytes, multiple of 128 */
#define REG_TDH 0x03810    /* [SDM s13.4.39][I210 s8.12.13] */
#define REG_TDT 0x03818    /* [SDM s13.4.40][I210 s8.12.14] */
#define REG_TXDCTL 0x03828 /* [I210 s8.12.15] TX descriptor control (queue 0) */
#define REG_RFCTL 0x05008  /* [LNX-E regs.h E1000_RFCTL] RX filter control: EXTEN picks extended RX descriptors */
#define REG_TPR 0x040D0    /* Total Packets Received (read-to-clear) */
#define REG_TPT 0x040D4    /* Total Packets Transmitted (read-to-clear) */
/* The highest offset used + 4: resource0 must be at least this large. */
#define BAR0_MIN_SIZE 0x0500C

/* igb (I210/I211) only: what igb_pll_workaround_i210 touches [LNX-I e1000_regs.h, e1000_defines.h,
 * e1000_i210.h; the offsets of WUC and MDICNFG also as compiled: igb_rd32(hw, 22528 / 3588)]. */
#define REG_EECD 0x00010         /* EEPROM/Flash Control: FLASH_DETECTED_I210 */
#define REG_CTRL_EXT 0x00018     /* Extended Device Control */
#define REG_MDICNFG 0x00E04      /* MDI configuration: EXT_MDIO sends MDIC to an external PHY */
#define REG_WUC 0x05800          /* Wake Up Control */
#define REG_EEARBC_I210 0x12024  /* EEPROM Auto Read Bus Control: loads one autoload word */
#define REG_INVM_DATA(n) (0x12120 + 4 * (n)) /* iNVM (OTP) data, 64 dwords */
#define INVM_SIZE 64
#define BAR0_MIN_SIZE_IGB (REG_INVM_DATA(INVM_SIZE)) /* 0x12220; I210 BAR0 is 128 KiB */
#define CTRL_PHY_RST 0x80000000u
#define CTRL_EXT_SDLPE 0x00040000u  /* SerDes low power enable */
#define CTRL_EXT_PHYPDEN 0x00100000u
#define EECD_FLASH_DETECTED_I210 0x00080000u
#define MDICNFG_EXT_MDIO 0x80000000u
/* iNVM records [LNX-I e1000_i210.h]: type in bits 2:0; a word-autoload record holds the word
 * address in bits 15:9 and the data in 31:16; CSR-autoload and RSA-key records are followed by
 * 1 and 8 data dwords. */
#define INVM_RECORD_TYPE(d) ((d) & 0x7)
#define INVM_WORD_ADDRESS(d) (((d) & 0x0000FE00u) >> 9)
#define INVM_WORD_DATA(d) ((uint16_t)(((d) & 0xFFFF0000u) >> 16))
#define INVM_UNINITIALIZED_STRUCTURE 0x0
#define INVM_WORD_AUTOLOAD_STRUCTURE 0x1
#define INVM_CSR_AUTOLOAD_STRUCTURE 0x2
#define INVM_RSA_KEY_SHA256_STRUCTURE 0x4
#define INVM_CSR_AUTOLOAD_DATA_SIZE_IN_DWORDS 1
#define INVM_RSA_KEY_SHA256_DATA_SIZE_IN_DWORDS 8
/* PLL defines [LNX-I e1000_i210.h "PLL Defines"] */
#define PCI_PMCSR 0x44 /* the I210's power-management control/status, in config space */
#define PCI_PMCSR_D3 0x03
#define MAX_PLL_TRIES 5
#define PHY_PLL_UNCONF 0xFF
#define PHY_PLL_FREQ_PAGE 0xFC /* Linux: E1000_PHY_PLL_FREQ_PAGE 0xFC0000, the page in GS40G offset form */
#define PHY_PLL_FREQ_REG 0x0E
#define INVM_DEFAULT_AL 0x202F
#define INVM_AUTOLOAD 0x0A
#define INVM_PLL_WO_VAL 0x0010
/* PHY page select of the I210's internal (GS40G) PHY: reg 22 [LNX-I e1000_82575.h
 * I347AT4_PAGE_SELECT 0x16; GS40G_PAGE_SELECT 0x16 in Linux < 4.5 e1000_phy.h]. */
#define PHY_PAGE_SELECT 0x16

/* CTRL [LNX-E defines.h] */
#define CTRL_FD 0x00000001
#define CTRL_SLU 0x00000040 /* set link up */
#define CTRL_SPD_1000 0x00000200
#define CTRL_SPD_SEL 0x00000300
#define CTRL_FRCSPD 0x00000800
#define CTRL_FRCDPX 0x00001000
#define CTRL_RST 0x04000000 /* self-clearing global reset */
/* STATUS */
#define STATUS_LU 0x00000002
/* RCTL [LNX-E defines.h; QEMU e1000x_regs.h] */
#define RCTL_EN 0x00000002
#define RCTL_UPE 0x00000008 /* unicast promiscuous: the frame's DA is whatever memory held */
#define RCTL_MPE 0x00000010
#define RCTL_LBM_MAC 0x00000040 /* LBM = 01b, bits 7:6 */
#define RCTL_BAM 0x00008000
#define RCTL_SZ_2048 0x00000000 /* BSIZE 00b, BSEX 0 */
/* TCTL */
#define TCTL_EN 0x00000002
#define TCTL_PSP 0x00000008
#define TCTL_CT_15 (0x0F << 4)
#define TCTL_COLD_FD (0x3F << 12)
/* TIPG as e1000e writes it for copper: IPGT 8, IPGR1 8, IPGR2 6 */
#define TIPG_DEFAULT (8 | (8 << 10) | (6 << 20))
/* TXDCTL / RXDCTL queue enable: igb only (bit 25 is part of LWTHRESH on the 82574) [LNX-I] */
#define XDCTL_QUEUE_ENABLE 0x02000000
/* SRRCTL: BSIZEPACKET in 1 KiB units (bits 6:0), DESCTYPE 000b = legacy [LNX-I] */
#define SRRCTL_BSIZE_2K 2
#define SRRCTL_DESCTYPE_LEGACY 0x00000000
/* MDIC [LNX-E defines.h]: data 15:0, reg 20:16, phy 25:21, op 27:26, ready 28, error 30 */
#define MDIC_REG_SHIFT 16
#define MDIC_PHY_SHIFT 21
#define MDIC_OP_WRITE 0x04000000
#define MDIC_OP_READ 0x08000000
#define MDIC_READY 0x10000000
#define MDIC_ERROR 0x40000000
#define PHY_ADDR 1
#define PHY_BMCR 0
/* BMCR: loopback (bit 14) | speed 1000 (bit 6) | full duplex (bit 8), as igb's ethtool test */
#define BMCR_LOOPBACK_1000_FD 0x4140
#define BMCR_LOOPBACK 0x4000
/* RFCTL.EXTEN [LNX-E defines.h E1000_RFCTL_EXTEN]: Linux's e1000e sets it (extended RX
 * descriptors); QEMU's e1000e keeps it across CTRL.RST (e1000e_core.c resets only the MAC
 * address there), so the probe clears it to get the legacy descriptors it reads. */
#define RFCTL_EXTEN 0x00008000

/* Legacy TX descriptor [SDM s3.3.3 Table 3-8][I210 s7.2.2.1 Table 7-23][LNX-E hw.h e1000_tx_desc] */
struct tx_desc {
  uint64_t addr;   /* bytes 0-7: buffer bus address */
  uint16_t length; /* bytes 8-9 */
  uint8_t cso;     /* byte 10: checksum offset */
  uint8_t cmd;     /* byte 11 */
  uint8_t status;  /* byte 12: bit 0 = DD */
  uint8_t css;     /* byte 13: checksum start */
  uint16_t special;
} __attribute__((packed));

/* TDESC.CMD [SDM Table 3-10]: EOP bit 0, IFCS bit 1, RS bit 3; DEXT bit 5 = 0 (legacy).
 * Linux writes them shifted into the descriptor's second dword: E1000_TXD_CMD_EOP 0x01000000. */
#define TXD_CMD_EOP 0x01
#define TXD_CMD_IFCS 0x02
#define TXD_CMD_RS 0x08
#define TXD_STAT_DD 0x01

/* Legacy RX descriptor [I210 s7.1.4.1][LNX-E hw.h e1000_rx_desc] */
struct rx_desc {
  uint64_t addr;   /* bytes 0-7 */
  uint16_t length; /* bytes 8-9: written back */
  uint16_t csum;   /* bytes 10-11 */
  uint8_t status;  /* byte 12: bit 0 DD, bit 1 EOP */
  uint8_t errors;  /* byte 13 */
  uint16_t special;
} __attribute__((packed));
#define RXD_STAT_DD 0x01
#define RXD_STAT_EOP 0x02

_Static_assert(sizeof(struct tx_desc) == 16, "legacy TX descriptor is 16 bytes");
_Static_assert(sizeof(struct rx_desc) == 16, "legacy RX descriptor is 16 bytes");

enum nic_family { FAMILY_E1000E, FAMILY_IGB };

struct nic_model {
  uint16_t device;
  const char *name;
  enum nic_family family;
};

/* Vendor 0x8086. e1000e: 82574L (QEMU's e1000e). igb: the apu2's i210/i211
 * [LNX-I e1000_hw.h E1000_DEV_ID_I210_* / I211_COPPER]. */
static const struct nic_model NIC_MODELS[] = {
    {0x10d3, "82574L", FAMILY_E1000E},
    {0x1533, "I210 copper", FAMILY_IGB},
    {0x1536, "I210 fiber", FAMILY_IGB},
    {0x1537, "I210 serdes", FAMILY_IGB},
    {0x1538, "I210 sgmii", FAMILY_IGB},
    {0x157b, "I210 copper flashless", FAMILY_IGB},
    {0x157c, "I210 serdes flashless", FAMILY_IGB},
    {0x1539, "I211 copper", FAMILY_IGB},
};
#define NIC_VENDOR_INTEL 0x8086

#endif

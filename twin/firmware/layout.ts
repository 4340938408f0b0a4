// Flash maps of an 8 MiB apu2 image. From v4.14.0.1 on, PC Engines keep `bootorder` in its own
// FMAP region (BOOTORDER) so it can be rewritten without touching CBFS; before that it was a
// CBFS file. Both layouts carry an FMAP and one CBFS region named COREBOOT.

export type FirmwareLayout = 'cbfs' | 'fmap';
export const FLASH_SIZE = 8 * 1024 * 1024;

export function flashMapDescriptor(layout: FirmwareLayout): string {
  const bootorder = layout === 'fmap' ? '\t\tBOOTORDER@0x10000 0x1000\n' : '';
  return (
    'FLASH 8M {\n' +
    '\tBIOS@0x0 0x800000 {\n' +
    '\t\tRW_MRC_CACHE@0x0 0x10000\n' +
    bootorder +
    '\t\tFMAP@0x20000 0x800\n' +
    '\t\tCOREBOOT(CBFS)@0x20800 0x7df800\n' +
    '\t}\n' +
    '}\n'
  );
}

/**
 * Dasharo (coreboot+SeaBIOS)'s apu2 flash map, byte for byte: Dasharo/dasharo-pq 24.08.00.01
 * patches/0074-mainboard-pcengines-Use-FMAP-layout.patch, src/mainboard/pcengines/apu2/board.fmd
 * (the same map as PC Engines v4.14.0.1's; BOOTORDER at 0, CBFS COREBOOT at 0x241000).
 */
export const DASHARO_SEABIOS_FMD = `FLASH 8M {
	SI_BIOS@0x0 0x800000 {
		BOOTORDER(PRESERVE)@0x0 0x1000
		RW_VPD(PRESERVE)@0x1000 0x4000
		SMMSTORE(PRESERVE)@0x5000 0x20000
		RW_UNUSED@0x25000 0x1db000
		WP_RO@0x200000 0x600000{
			RO_VPD(PRESERVE)@0x0 0x4000
			RO_SECTION@0x4000 0x5fc000{
				FMAP@0x0 0x800
				RO_FRID@0x800 0x40
				RO_FRID_PAD@0x840 0x7c0
				GBB@0x1000 0x40000
				COREBOOT(CBFS)@0x41000 0x5bb000
			}
		}
	}
}
`;

/**
 * Dasharo (coreboot+UEFI)'s apu2 flash map, byte for byte: Dasharo/coreboot
 * src/mainboard/pcengines/apu2/vboot-rwa.fmd at tag pcengines_apu2_v0.9.1-rc1 (2e692100, the same
 * at pcengines_apu2_v0.9.0), chosen by FMDFILE when VBOOT && VBOOT_SLOTS_RW_A, which the board's
 * Kconfig sets under VBOOT. The UEFI variable store (SMMSTORE, 256 KiB) comes first; no BOOTORDER.
 */
export const DASHARO_UEFI_FMD = `FLASH@0xFF800000 8M {
	SI_BIOS {
		SMMSTORE(PRESERVE) 256K
		RW_NVRAM(PRESERVE) 4K

		RW_SECTION_A {
			VBLOCK_A 8K
			FW_MAIN_A(CBFS)
			RW_FWID_A 0x100
		}

		WP_RO 4M {
			RO_SECTION {
				FMAP 4K
				RO_FRID 0x100
				RO_FRID_PAD 0x700
				GBB 64K
				COREBOOT(CBFS)
			}
		}
	}
}
`;

/** Layout follows the version like on real releases, unless the caller forces one. */
export function layoutForVersion(version: string): FirmwareLayout {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return 'fmap';
  const [a, b, c, d] = [m[1], m[2], m[3], m[4] ?? '0'].map(Number);
  const n = ((a * 100 + b) * 100 + c) * 100 + d;
  return n >= ((4 * 100 + 14) * 100 + 0) * 100 + 1 ? 'fmap' : 'cbfs';
}

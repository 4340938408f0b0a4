// The CBFS files the twin's coreboot emulation looks for in a flash image (twin/firmware/read.ts),
// one place for the builders and the reader.

/** SeaBIOS, QEMU's -bios (pcengines, dasharo-seabios). */
export const CBFS_PAYLOAD = 'img/seabios';
export const CBFS_PXE_ROM = 'genroms/pxe.rom';
/**
 * PC Engines' iPXE carries menu.ipxe as its embedded script. Debian's iPXE cannot be rebuilt with
 * EMBED= here (no source tarballs), so the twin stores Debian's ipxe.lkrn and the script beside
 * it, and boots them as `-kernel ipxe.lkrn -initrd menu.ipxe`: iPXE runs an initrd script as its
 * first image exactly as it runs an embedded one, and never offers Ctrl-B (docs/twin.md).
 */
export const CBFS_IPXE_KERNEL = 'iommu-lab/ipxe.lkrn';
export const CBFS_IPXE_SCRIPT = 'iommu-lab/ipxe-script';
/** Debian's OVMF (its CODE volume), booted in place of Dasharo's edk2 payload (dasharo-uefi). */
export const CBFS_OVMF_CODE = 'iommu-lab/ovmf-code';
/** The EFI iPXE option ROM for NIC0, in place of the iPXE built into Dasharo's edk2 (dasharo-uefi). */
export const CBFS_EFI_ROM = 'iommu-lab/ipxe-efi-rom';

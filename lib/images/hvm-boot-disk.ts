// The HVM guest's boot disk: a FAT image holding SYSLINUX, the guest kernel and initramfs, which
// qemu-xen attaches as a virtio disk and the guest's SeaBIOS boots (lib/dom0/guest-config.ts).
//
// Why not qemu-xen's direct kernel boot (`kernel=`/`ramdisk=` for HVM): under Xen the device
// model's fw_cfg has no DMA, so SeaBIOS runs linuxboot.bin (its log: "boot order: 1:
// /rom@genroms/linuxboot.bin", not linuxboot_dma.bin), which reads kernel and initramfs one byte
// per I/O port access, 4 KiB per round trip through Xen to the device model. On the twin (TCG)
// that took 33 s of a 43 s HVM boot for 15 MB; through virtio the disk's bytes move by DMA, and
// the same guest answered 18 s after `xl create` (docs/twin.md, "HVM guest boot"). Built with
// dosfstools, SYSLINUX and mtools, none of which needs root or a loop mount.
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { check } from '../core/exec.ts';

/** The guest's console is its emulated serial port; quiet: every character there is a VM exit. */
export const HVM_BOOT_CMDLINE = 'console=ttyS0 quiet';

/** The names inside the FAT image (8.3, so no long-name entries are needed). */
export const HVM_BOOT_FILES = { kernel: 'VMLINUZ', initrd: 'INITRD.GZ', config: 'SYSLINUX.CFG' } as const;

export interface HvmBootDiskInputs {
  kernel: string;
  initrd: string;
  /** Work folder for syslinux.cfg. */
  work: string;
}

/** SYSLINUX's configuration: boot the one entry at once, no prompt, no menu. */
export function renderSyslinuxCfg(cmdline: string): string {
  if (/[\r\n]/.test(cmdline)) throw new Error('the HVM kernel command line must be one line');
  return [
    'DEFAULT linux',
    'PROMPT 0',
    'TIMEOUT 0',
    'LABEL linux',
    `  KERNEL ${HVM_BOOT_FILES.kernel}`,
    `  INITRD ${HVM_BOOT_FILES.initrd}`,
    `  APPEND ${cmdline}`,
    '',
  ].join('\n');
}

/** Writes the bootable FAT image to `out`, sized to its files plus 2 MiB for FAT and SYSLINUX. */
export async function buildHvmBootDisk(out: string, inp: HvmBootDiskInputs): Promise<void> {
  const cfg = join(inp.work, 'syslinux.cfg');
  await writeFile(cfg, renderSyslinuxCfg(HVM_BOOT_CMDLINE));
  const bytes = (await stat(inp.kernel)).size + (await stat(inp.initrd)).size;
  const kib = Math.ceil(bytes / 1024) + 2048;
  await check(['mkfs.fat', '-C', '-n', 'IOMMULAB', out, String(kib)]);
  await check(['syslinux', '--install', out]);
  for (const [from, name] of [
    [inp.kernel, HVM_BOOT_FILES.kernel],
    [inp.initrd, HVM_BOOT_FILES.initrd],
    [cfg, HVM_BOOT_FILES.config],
  ] as const)
    await check(['mcopy', '-o', '-i', out, from, `::${name}`]);
}

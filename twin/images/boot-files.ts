// The twin's boot files and command lines: what its rig's boot server serves (rigs/apu2-twin.ts)
// from `images/current/boot/`, and what a direct QEMU boot of the images uses.

/** What the apu2 blog setup and docs/twin.md use; every IOMMU message at full verbosity. */
export const DEFAULT_XEN_COMMAND_LINE =
  'console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 iommu=verbose,debug loglvl=all guest_loglvl=all conring_size=1M';

/** dom0 Linux: console on Xen's hvc0; a panic reboots (QEMU runs with -no-reboot, so it stops). */
export const DOM0_COMMAND_LINE = 'console=hvc0 panic=-1';

/** Inside the image set's `boot/` folder. */
export const BOOT_FILES = { xen: 'xen', kernel: 'vmlinuz', initrd: 'dom0.cpio' } as const;

// The guest's xl.cfg from the rig, through the tested builder: never pasted strings.
import { type Rig, SAFE_DOM0_PATH } from '../rig/schema.ts';
import { buildXlCfg } from '../xen/xl-cfg.ts';

export interface GuestSpec {
  name: string;
  type: 'pv' | 'hvm';
  /** Passed-through devices. */
  pci: string[];
  /** Netfront interfaces (xl-network-configuration strings), e.g. "bridge=iommulab0". */
  vifs?: string[];
}

export function guestConfig(rig: Rig, g: GuestSpec): string {
  const guests = rig.guests;
  if (!guests) throw new Error(`rig ${rig.name} has no guests section`);
  // An HVM guest without an `hvm` section boots from its disk (`guests.disk`), as before boot disks.
  const hvm = g.type === 'hvm' ? guests.hvm : undefined;
  const disk = hvm?.bootDisk;
  const direct = g.type === 'pv' || (hvm && !disk);
  return buildXlCfg({
    name: g.name,
    type: g.type,
    memoryMiB: guests.memoryMiB,
    vcpus: 1,
    kernel: direct ? guests.kernel : undefined,
    ramdisk: direct ? guests.ramdisk : undefined,
    extra: g.type === 'pv' ? 'console=hvc0 quiet' : undefined,
    cmdline: hvm && !disk && guests.kernel ? (hvm.cmdline ?? 'console=ttyS0') : undefined,
    boot: disk ? 'c' : undefined,
    tscMode: hvm?.tscMode,
    cpuid: hvm?.cpuid,
    settings: {
      // No emulated graphics: the guest's console is its serial port (xenconsoled logs it).
      ...(g.type === 'hvm' ? { vga: 'none', nographic: true } : {}),
      ...(disk ? { device_model_args_hvm: virtioBootDisk(disk) } : {}),
    },
    disks: guests.disk ? [guests.disk] : [],
    vifs: g.vifs,
    pci: g.pci,
  });
}

/**
 * The boot disk as a read-only virtio disk of the device model, first in the boot order. Not an
 * xl `disk=`: that needs dom0's block hotplug scripts and blkback, which the PXE dom0 lacks (its
 * `block add` timed out), and the guest's SeaBIOS would read an emulated IDE disk by PIO again.
 * The guest kernel never sees the disk: Xen's platform device unplugs emulated disks when the
 * kernel starts, and its root is the initramfs anyway.
 */
export function virtioBootDisk(path: string): string[] {
  if (!SAFE_DOM0_PATH.test(path))
    throw new Error(`HVM boot disk path ${JSON.stringify(path)} is not safe for qemu's -drive`);
  return [
    '-drive',
    `file=${path},if=none,id=iommulab-boot,format=raw,readonly=on`,
    '-device',
    'virtio-blk-pci,drive=iommulab-boot,bootindex=0',
  ];
}

/** How long a guest of this type may take from `xl create` to answering SSH. */
export function guestBootTimeoutMs(rig: Rig, type: 'pv' | 'hvm'): number {
  const guests = rig.guests;
  return (type === 'hvm' ? guests?.hvm?.bootTimeoutMs : undefined) ?? guests?.bootTimeoutMs ?? 180_000;
}

// The guest's xl.cfg from the rig, through the tested builder: never pasted strings.
import type { Rig } from '../rig/schema.ts';
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
  const hvm = g.type === 'hvm' ? guests.hvm : undefined;
  return buildXlCfg({
    name: g.name,
    type: g.type,
    memoryMiB: guests.memoryMiB,
    vcpus: 1,
    kernel: g.type === 'pv' || hvm ? guests.kernel : undefined,
    ramdisk: g.type === 'pv' || hvm ? guests.ramdisk : undefined,
    extra: g.type === 'pv' ? 'console=hvc0 quiet' : undefined,
    cmdline: hvm && guests.kernel ? hvm.cmdline : undefined,
    tscMode: hvm?.tscMode,
    cpuid: hvm?.cpuid,
    // No emulated graphics: the guest's console is its serial port (xenconsoled logs it).
    settings: g.type === 'hvm' ? { vga: 'none', nographic: true } : undefined,
    disks: guests.disk ? [guests.disk] : [],
    vifs: g.vifs,
    pci: g.pci,
  });
}

/** How long a guest of this type may take from `xl create` to answering SSH. */
export function guestBootTimeoutMs(rig: Rig, type: 'pv' | 'hvm'): number {
  const guests = rig.guests;
  return (type === 'hvm' ? guests?.hvm?.bootTimeoutMs : undefined) ?? guests?.bootTimeoutMs ?? 180_000;
}

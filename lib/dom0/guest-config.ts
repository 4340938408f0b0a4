// The guest's xl.cfg from the rig, through the tested builder: never pasted strings.
import type { Rig } from '../rig/schema.ts';
import { buildXlCfg } from '../xen/xl-cfg.ts';

export function guestConfig(rig: Rig, g: { name: string; type: 'pv' | 'hvm'; pci: string[] }): string {
  const guests = rig.guests;
  if (!guests) throw new Error(`rig ${rig.name} has no guests section`);
  return buildXlCfg({
    name: g.name,
    type: g.type,
    memoryMiB: guests.memoryMiB,
    vcpus: 1,
    kernel: g.type === 'pv' ? guests.kernel : undefined,
    ramdisk: g.type === 'pv' ? guests.ramdisk : undefined,
    extra: g.type === 'pv' ? 'console=hvc0 quiet' : undefined,
    disks: guests.disk ? [guests.disk] : [],
    pci: g.pci,
  });
}

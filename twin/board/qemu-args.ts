// The apu2-shaped QEMU command line (flags and reasons in docs/twin.md): q35, an AMD IOMMU
// only with iommu1, a GX-412TC-shaped CPU, three e1000e behind PCIe root ports so they sit at
// 01:00.0/02:00.0/03:00.0, serial and QMP on unix sockets. In the late-plug layout NIC1 and
// NIC2 are not on the command line: the board plugs them over QMP (lateNics) once the firmware
// has numbered the buses, because QEMU 7.2's AMD IOMMU takes a device's bus number when the
// device is created, and before enumeration every bus behind a root port is still bus 0.

import { twinPorts } from '../base/paths.ts';
import type { PciLayout } from '../firmware/quirks.ts';

export interface MachineOptions {
  payload: string;
  iommu: boolean;
  /** iPXE ROM for NIC0: set only when this boot goes to the network (N pressed). */
  pxeRom?: string;
  /**
   * PC Engines' iPXE (its embedded menu) for this network boot, preferred to pxeRom: booted as
   * `-kernel`/`-initrd`, its console through SeaBIOS's serial console (sercon) as on an apu2,
   * where CONFIG_PXE_SERIAL_CONSOLE is off and SeaBIOS mirrors the screen to COM1. `serconPort`
   * is the fw_cfg file holding 0x3f8 (pcengines/coreboot's `sercon-port`).
   */
  ipxeMenu?: { kernel: string; script: string; serconPort: string };
  qmpSocket: string;
  serialSocket: string;
  memoryMiB: number;
  smp: number;
  accel: 'tcg' | 'kvm';
  ports?: { dom0Ssh: number; guestSsh: number };
  /** Default late-plug (DMA translated under each NIC's own ID); cold-plug is the leaky control. */
  pciLayout?: PciLayout;
  /**
   * Dasharo UEFI: `payload` is OVMF's code volume, run from pflash with a writable copy of its
   * variables (`vars`), SMBIOS type 0/1 as Dasharo's coreboot writes them. `network`: this boot
   * goes to iPXE: NIC0 gets the EFI iPXE ROM as its first boot option, and QEMU's DHCP names the
   * iPXE script in `tftpDir` (the only file there) as the boot file, standing in for the script
   * Dasharo embeds (docs/twin.md "Dasharo UEFI on the twin").
   */
  uefi?: {
    vars: string;
    smbios: { vendor: string; version: string; date: string; manufacturer: string; product: string };
    network?: { efiRom: string; tftpDir: string; bootfile: string };
  };
}

/**
 * The GX-412TC has none of these, and each breaks Xen or dom0 under TCG (docs/twin.md). cx16
 * stays (the GX-412TC has it, EPYC too): Xen >= 4.20 disables the AMD IOMMU without CMPXCHG16B.
 */
const CPU =
  'EPYC,family=22,model=48,stepping=1,model-id=AMD GX-412TC SOC,-smap,-smep,-monitor,-avx2,-bmi2,-fma,-adx,' +
  '-rdseed,-sha-ni,-fsgsbase,-clflushopt,-rdrand,-xsavec';

/** QEMU option values escape commas by doubling them. */
const q = (v: string) => v.replace(/,/g, ',,');

function macFor(i: number): string {
  return `00:0d:b9:00:00:0${i + 1}`;
}

/** QMP device_add arguments of a NIC (the same properties the command line would give it). */
export function nicDevice(i: number): Record<string, string> {
  return { driver: 'e1000e', id: `nic${i}`, netdev: `n${i}`, bus: `rp${i + 1}`, mac: macFor(i), romfile: '' };
}

/** The NICs the board plugs after enumeration; NIC0 carries the PXE ROM, so it is always cold. */
export function lateNics(o: Pick<MachineOptions, 'pciLayout'>): Record<string, string>[] {
  return (o.pciLayout ?? 'late-plug') === 'late-plug' ? [nicDevice(1), nicDevice(2)] : [];
}

export function qemuArgs(o: MachineOptions): string[] {
  const ports = o.ports ?? { dom0Ssh: twinPorts.dom0Ssh, guestSsh: twinPorts.guestSsh };
  // No tftp=/bootfile=: a board that misses iPXE's Ctrl-B window must not find Xen on a path
  // no real bench has. The only way in is the shell's `chain` to iommu-lab's HTTP boot server.
  const n0 = ['user', 'id=n0', `hostfwd=tcp:127.0.0.1:${ports.dom0Ssh}-:22`];
  const net = o.uefi?.network;
  // Only the iPXE script is offered over TFTP, never Xen: the way to Xen stays the HTTP chain.
  if (net) n0.push(`tftp=${q(net.tftpDir)}`, `bootfile=${q(net.bootfile)}`);
  const late = new Set(lateNics(o).map((d) => d.id));
  const nic = (i: number, extra: string[]) => {
    if (late.has(`nic${i}`)) return [];
    const { driver, romfile: _, ...props } = nicDevice(i);
    return ['-device', [driver, ...Object.entries(props).map(([k, v]) => `${k}=${q(v)}`), ...extra].join(',')];
  };
  return [
    '-accel',
    o.accel,
    '-M',
    'q35,kernel-irqchip=split,graphics=off',
    '-smp',
    String(o.smp),
    '-m',
    String(o.memoryMiB),
    '-cpu',
    CPU,
    '-vga',
    'none',
    '-display',
    'none',
    '-nodefaults',
    ...firmwareArgs(o),
    ...(o.iommu ? ['-device', 'amd-iommu,intremap=on'] : []),
    '-device',
    'pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=1c.0,multifunction=on',
    '-device',
    'pcie-root-port,id=rp2,bus=pcie.0,chassis=2,addr=1c.1',
    '-device',
    'pcie-root-port,id=rp3,bus=pcie.0,chassis=3,addr=1c.2',
    '-netdev',
    n0.join(','),
    ...nic(0, nic0Rom(o)),
    ...(o.ipxeMenu
      ? [
          '-kernel',
          o.ipxeMenu.kernel,
          '-initrd',
          o.ipxeMenu.script,
          '-fw_cfg',
          `name=etc/sercon-port,file=${q(o.ipxeMenu.serconPort)}`,
        ]
      : []),
    '-netdev',
    `user,id=n1,hostfwd=tcp:127.0.0.1:${ports.guestSsh}-:22`,
    ...nic(1, ['romfile=']),
    '-netdev',
    'user,id=n2',
    ...nic(2, ['romfile=']),
    '-chardev',
    `socket,id=ser0,path=${q(o.serialSocket)},server=on,wait=off`,
    '-serial',
    'chardev:ser0',
    '-qmp',
    `unix:${q(o.qmpSocket)},server=on,wait=off`,
    '-boot',
    'menu=off',
    '-no-reboot',
    '-S',
  ];
}

function firmwareArgs(o: MachineOptions): string[] {
  if (!o.uefi) return ['-bios', o.payload];
  const s = o.uefi.smbios;
  return [
    '-drive',
    `if=pflash,format=raw,readonly=on,file=${q(o.payload)}`,
    '-drive',
    `if=pflash,format=raw,file=${q(o.uefi.vars)}`,
    '-smbios',
    `type=0,vendor=${q(s.vendor)},version=${q(s.version)},date=${q(s.date)}`,
    '-smbios',
    `type=1,manufacturer=${q(s.manufacturer)},product=${q(s.product)}`,
  ];
}

function nic0Rom(o: MachineOptions): string[] {
  const net = o.uefi?.network;
  if (net) return [`romfile=${q(net.efiRom)}`, 'bootindex=1'];
  return o.pxeRom && !o.ipxeMenu ? [`romfile=${q(o.pxeRom)}`, 'bootindex=1'] : ['romfile='];
}

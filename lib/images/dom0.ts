// The dom0: a Debian rootfs from mmdebstrap (the image release's apt sources), without systemd, with
// Xen's tools, dropbear and the profile's keys and network, packed as one initramfs.
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { check } from '../core/exec.ts';
import { FILES_DIR, installDropbearKey } from './files.ts';
import { installModules, resolveModules } from './modules.ts';
import { type Addressing, type ImageKeys, renderNetworkConfig } from './profile.ts';
import { type ImageRelease, xenToolsDir, xenToolsPackage } from './release.ts';

/** Everything but Xen's tools, which carry the release's Xen version (dom0Packages()). */
const DOM0_COMMON_PACKAGES = [
  'xenstore-utils',
  'iperf3',
  'pciutils',
  'kmod',
  'iproute2',
  'bridge-utils',
  'procps',
  'busybox',
  'ethtool',
  'mount',
  'dropbear-bin',
  // HVM guests: Xen's device model (qemu-xen) and the guest BIOS hvmloader hands over to.
  'qemu-system-xen',
  'seabios',
] as const;

export function dom0Packages(release: ImageRelease): string[] {
  return [xenToolsPackage(release), ...DOM0_COMMON_PACKAGES];
}

/** Loaded by /init. xen-pciback is only shipped: the suites `modprobe` it, as on a real dom0. */
const DOM0_BOOT_MODULES = [
  'xen-evtchn',
  'xen-gntdev',
  'xen-gntalloc',
  'xen-privcmd',
  'xenfs',
  'xen-netback',
  'xen-blkback',
  'bridge',
  'loop',
  'e1000e',
  'igb',
] as const;
const DOM0_MODULES = [...DOM0_BOOT_MODULES, 'xen-pciback'] as const;

/** Where the guests' kernel, initramfs, HVM boot disk and an example xl config live inside dom0. */
export const DOM0_GUEST_PATHS = {
  kernel: '/usr/lib/iommu-lab/guest/vmlinuz',
  initrd: '/usr/lib/iommu-lab/guest/initrd.gz',
  /** The same kernel as a gzipped ELF, which `xl create` of a PV guest unpacks faster (vmlinux.ts). */
  pvKernel: '/usr/lib/iommu-lab/guest/vmlinux.gz',
  /** The same kernel and initramfs on a SYSLINUX FAT disk for HVM guests (lib/images/hvm-boot-disk.ts). */
  hvmBootDisk: '/usr/lib/iommu-lab/guest/hvm-boot.img',
  exampleConfig: '/etc/xen/iommu-lab-guest.cfg',
} as const;

const EXCLUDES = ['/usr/share/man/*', '/usr/share/doc/*', '/usr/share/info/*', '/usr/share/locale/*'];

/**
 * Never needed by a systemd-free dom0 (PV guests, and HVM guests direct-booted by qemu-xen), and the initramfs crosses TFTP under TCG at
 * every boot: python is only for pygrub, hwdb only for udev, perl modules for nothing here.
 */
const TRIM = [
  'usr/lib/python3.11',
  'usr/lib/python3.13',
  'usr/lib/python3',
  'usr/bin/python3.11',
  'usr/bin/python3.13',
  'usr/lib/udev/hwdb.bin',
  'usr/lib/udev/hwdb.d',
  'usr/share/perl',
  'usr/lib/x86_64-linux-gnu/perl',
  'usr/lib/x86_64-linux-gnu/gconv',
  'var/cache/apt',
  'var/lib/apt/lists',
  'var/cache/debconf',
];

export async function bootstrapDom0(target: string, release: ImageRelease, sourcesFile: string): Promise<void> {
  await check(
    [
      'mmdebstrap',

      '--variant=essential',
      '--quiet',
      `--include=${dom0Packages(release).join(',')}`,
      ...EXCLUDES.map((p) => `--dpkgopt=path-exclude=${p}`),
      '--dpkgopt=path-include=/usr/share/locale/locale.alias',
      release.suite,
      target,
      sourcesFile,
    ],
    { timeoutMs: 30 * 60_000 },
  );
  for (const p of TRIM) await rm(join(target, p), { recursive: true, force: true });
}

export interface Dom0Inputs {
  release: ImageRelease;
  kernelRoot: string;
  kernelVersion: string;
  keys: ImageKeys;
  nicPci: string;
  address: Addressing;
  guestKernel: string;
  guestInitrd: string;
  hvmBootDisk: string;
  pvKernel: string;
}

/** Sourced by /init: where this release's xenstored, xen-init-dom0 and xenconsoled are. */
export function renderXenToolsConfig(release: ImageRelease): string {
  return `XEN=${xenToolsDir(release)}\n`;
}

export async function customizeDom0(rootfs: string, inp: Dom0Inputs): Promise<void> {
  const mods = await resolveModules(inp.kernelRoot, inp.kernelVersion, DOM0_MODULES);
  await installModules(inp.kernelRoot, inp.kernelVersion, mods, rootfs);

  await copyFile(join(FILES_DIR, 'dom0-init.sh'), join(rootfs, 'init'));
  await chmod(join(rootfs, 'init'), 0o755);
  await copyFile(join(FILES_DIR, 'dom0-inittab'), join(rootfs, 'etc', 'inittab'));
  await mkdir(join(rootfs, 'etc', 'iommu-lab'), { recursive: true });
  await writeFile(join(rootfs, 'etc', 'iommu-lab', 'dom0-modules'), `${DOM0_BOOT_MODULES.join('\n')}\n`);
  await writeFile(join(rootfs, 'etc', 'iommu-lab', 'dom0-network'), renderNetworkConfig(inp.address, inp.nicPci));
  await writeFile(join(rootfs, 'etc', 'iommu-lab', 'dom0-xen'), renderXenToolsConfig(inp.release));
  await copyFile(join(FILES_DIR, 'udhcpc.script'), join(rootfs, 'etc', 'udhcpc.script'));
  await chmod(join(rootfs, 'etc', 'udhcpc.script'), 0o755);
  await writeFile(join(rootfs, 'etc', 'hostname'), 'dom0\n');

  await installDropbearKey(rootfs, rootfs, inp.keys.dom0HostKey);
  await mkdir(join(rootfs, 'root', '.ssh'), { recursive: true, mode: 0o700 });
  await writeFile(join(rootfs, 'root', '.ssh', 'authorized_keys'), inp.keys.authorizedKeys);
  await chmod(join(rootfs, 'root', '.ssh', 'authorized_keys'), 0o600);

  await mkdir(join(rootfs, 'usr', 'lib', 'iommu-lab', 'guest'), { recursive: true });
  await copyFile(inp.guestKernel, join(rootfs, DOM0_GUEST_PATHS.kernel));
  await copyFile(inp.guestInitrd, join(rootfs, DOM0_GUEST_PATHS.initrd));
  await copyFile(inp.hvmBootDisk, join(rootfs, DOM0_GUEST_PATHS.hvmBootDisk));
  await copyFile(inp.pvKernel, join(rootfs, DOM0_GUEST_PATHS.pvKernel));
  await copyFile(join(FILES_DIR, 'guest.cfg'), join(rootfs, DOM0_GUEST_PATHS.exampleConfig));
}

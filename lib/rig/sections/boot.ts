// The rig's `boot` section: how the board enters the network boot (lib/boot's entry methods), the
// Xen command line, the stage timeouts, and iommu-lab's own boot server (lib/pxe) with the dom0
// image it serves. Under lib/rig while lib/boot's BootBench carries the whole Rig (a type cycle).
import { z } from 'zod';
import { int, ipxeLine, ms, oneLine } from '../../core/rig-fields.ts';
import { bdf } from './pci.ts';

const networkBoot = z.discriminatedUnion('method', [
  /** Press a key at the firmware prompt ("N for PXE boot"). */
  z.strictObject({
    method: z.literal('key'),
    key: oneLine.min(1).default('n'),
    prompt: z.string().default('N for PXE boot'),
  }),
  /** The firmware boots the network by itself (boot order), or the lab's (proxy-)DHCP points iPXE at a script. */
  z.strictObject({ method: z.literal('auto') }),
  /**
   * Into the iPXE shell, `dhcp <interface>`, `chain` a script. Without `chain`, the script of the
   * rig's own boot server (boot.server). How the shell is reached is `entry` (lib/boot/ipxe-entries.ts):
   * `menu` — PC Engines' iPXE runs its embedded menu.ipxe ("ipxe shell" / "autoboot", 3 s) and never
   * offers Ctrl-B (docs/real-bench.md); `dasharo-menu` — Dasharo's dasharo.ipxe ("Dasharo Network
   * Boot Menu", Down ×3 to "iPXE Shell"; Dasharo SeaBIOS v24.08); `uefi-boot-manager` — Dasharo
   * coreboot+UEFI: F10 at "ENTER to boot directly", "iPXE Network Boot" in the boot manager menu,
   * then Dasharo's menu; the board then chains GRUB EFI, not the multiboot script (needs `key:
   * false`); `ctrl-b` — an iPXE without an embedded script; `auto` — whichever of these the
   * console shows. Typed one
   * character at a time: the apu2's iPXE drops fast input (LAVA types 500 ms a character into iPXE).
   */
  z.strictObject({
    method: z.literal('ipxe-shell'),
    entry: z.enum(['menu', 'dasharo-menu', 'uefi-boot-manager', 'ctrl-b', 'auto']).default('menu'),
    chain: ipxeLine.min(1).optional(),
    charDelayMs: int(0, 5_000, ' ms').default(500),
    /**
     * Pressed at `prompt` first: PC Engines' SeaBIOS starts iPXE only on `n` (with pxen1); the
     * boot order puts the network last. `false`: the firmware goes to iPXE by itself.
     */
    key: z.union([oneLine.min(1), z.literal(false)]).default('n'),
    prompt: z.string().default('N for PXE boot'),
    /** The NIC iPXE configures: the apu2 has three, and `dhcp` alone tries each in turn. */
    interface: z
      .string()
      .regex(/^net\d$/, 'an iPXE network device like net0')
      .default('net0'),
  }),
]);

/** A path inside boot.server.root: relative, no `..` step (the server refuses to leave the root). */
const servedPath = oneLine
  .min(1)
  .refine(
    (p) => !p.startsWith('/') && !p.split('/').includes('..'),
    'a path inside boot.server.root (relative, no "..")',
  );

const ipv4 = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'an IPv4 address like 192.168.10.1');
const cidr = z
  .string()
  .regex(
    /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/,
    'an IPv4 address with its prefix, like 192.168.10.201/24',
  );

/** The dom0 a bench's image set boots: its network and who may log in (lib/images/bench.ts). */
const dom0Image = z.strictObject({
  /** dom0's NIC (the others are measured and passed through); default: the board's first NIC. */
  nic: bdf.optional(),
  /** "dhcp" (busybox udhcpc on that NIC), or a fixed address (and default route). */
  address: z.union([z.literal('dhcp'), z.strictObject({ cidr, gateway: ipv4.optional() })]).default('dhcp'),
  /** An OpenSSH public key file authorized for root; default: dom0.privateKey's public half. */
  authorizedKey: z.string().min(1).optional(),
});

/**
 * iommu-lab's own HTTP boot server (lib/pxe/): the iPXE script rendered from this rig and the
 * files it loads, read-only, nothing else.
 */
const bootServer = z.strictObject({
  /** Where it listens on the test host (an address of the interface the board's network is on). */
  listen: z
    .strictObject({ host: z.string().min(1).default('0.0.0.0'), port: int(1, 65535).default(8080) })
    .prefault({}),
  /** The test host as the board reaches it: the host (and port, if forwarded) of every URL the board gets. */
  advertise: z.strictObject({
    host: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'a host name, an IPv4 address or [an IPv6 address]'),
    port: int(1, 65535).optional(),
  }),
  /** The folder of the image set (`~/` allowed); every file below is a path inside it. */
  root: oneLine.min(1),
  files: z.strictObject({
    xen: servedPath,
    dom0Kernel: servedPath,
    dom0Initrd: servedPath,
    /** Guest kernels, initramfs or disks dom0 may fetch (http://host:port/guest/<name>). */
    guests: z.array(servedPath).default([]),
  }),
  /** dom0 Linux's command line (Xen's is boot.xenCommandLine). */
  dom0CommandLine: ipxeLine.default('console=hvc0'),
  /** What `iommu-lab pxe images` bakes into the dom0 it builds into `root`. */
  image: dom0Image.prefault({}),
});
export type BootServerConfig = z.output<typeof bootServer>;

export const bootSchema = z.strictObject({
  network: networkBoot,
  /** What Xen is given; the run checks that iommu=verbose, loglvl=all and conring_size (and iommu=debug on Xen <= 4.15) are present. */
  xenCommandLine: ipxeLine.min(1),
  /** Serve the network boot from this host (absent: the lab's own PXE server does). */
  server: bootServer.optional(),
  timeoutsMs: z
    .strictObject({
      firmware: ms.default(60_000),
      ipxe: ms.default(120_000),
      xen: ms.default(120_000),
      dom0: ms.default(300_000),
    })
    .prefault({}),
  /** Silence longer than this (per stage) is a hang. */
  silenceMs: ms.default(90_000),
  retries: int(0, 10).default(1),
});

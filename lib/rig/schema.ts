// The rig file format. Strict everywhere: an unknown key is an error, never ignored.
import { z } from 'zod';
import { hostPort, int, ipxeLine, ms, oneLine, secretRef } from '../core/rig-fields.ts';
import { powerSchema } from '../power/open.ts';
import { BDF } from '../xen/bdf.ts';

export { MAX_TIMEOUT_MS, type SecretRef, secretRef } from '../core/rig-fields.ts';

/** The same rule as the runtime's (lib/xen/bdf.ts): slot 00-1f, function 0-7, either case. */
const bdf = z.string().regex(BDF, 'a PCI address like 02:00.0 (bus 00-ff, slot 00-1f, function 0-7)');
/**
 * How long a lease lives without renewal (renewed every third of it). Short enough that a
 * killed job's lease expires soon, long enough to ride out a slow controller; capped at 10 min
 * (lib/lock/lease.ts caps what any record claims the same way).
 */
const leaseTtl = int(300, 600_000, ' ms (10 min)').default(60_000);
/**
 * The bench the lock guards, when several rigs describe one bench (the twin with Xen 4.17 or 4.20
 * images): they take one lock, so they never drive the board at once. Defaults to the rig's name.
 */
const lockBench = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case')
  .optional();

/** How to trust an SSH host key: a fingerprint, a known_hosts file, or an explicit opt-out. */
const hostKeyPolicy = z.union([
  z.strictObject({
    fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'an OpenSSH fingerprint "SHA256:..."'),
  }),
  z.strictObject({ knownHosts: z.string().min(1) }),
  z.strictObject({ acceptAny: z.literal(true) }),
]);

const sshTarget = z.strictObject({
  ...hostPort,
  port: hostPort.port.default(22),
  user: z.string().min(1),
  password: secretRef.optional(),
  privateKey: secretRef.optional(),
  hostKey: hostKeyPolicy,
  connectTimeoutMs: ms.default(10_000),
});
export type SshTarget = z.infer<typeof sshTarget>;

const ttyConsole = z.strictObject({
  kind: z.literal('tty'),
  path: z.string().min(1),
  baudRate: int(1).default(115200),
});
const tcpConsole = z.strictObject({
  kind: z.literal('tcp'),
  ...hostPort,
  protocol: z.enum(['raw', 'telnet']).default('raw'),
});
const consoleSchema = z.discriminatedUnion('kind', [ttyConsole, tcpConsole]);

/**
 * RTE v1.1 SPI mux: which GPIOs switch the chip to the programmer and power it (RTE v1.0 has none:
 * leave it out). Waits as Dasharo/osfv-scripts osfv_cli/src/osfv/libs/rte.py `spi_enable` does:
 * voltage, 2 s, Vcc, 2 s, lines, 10 s.
 */
const spiMux = z.strictObject({
  url: z.url(),
  voltage: z.enum(['1.8V', '3.3V']),
  vccGpio: int(0),
  voltageGpio: int(0),
  linesGpio: int(0),
  voltageSettleMs: ms.default(2000),
  vccSettleMs: ms.default(2000),
  /** After the lines switch, before flashrom runs. */
  settleMs: ms.default(10_000),
});

/**
 * How the board is put into S5 (powered, soft-off) for the flash, as osfv rte.py
 * `pwr_ctrl_before_flash` does: relay on (an apu2 starts by itself on power), wait, power button
 * held 6 s (the chipset's 4 s override forces S5), wait. The power button is power.powerButtonGpio.
 */
const s5Entry = z.strictObject({
  /** After the relay closes (osfv: `psu_on` sleeps 5 s, then 5 s more). */
  powerOnWaitMs: ms.default(10_000),
  /** The hold that forces S5; the override needs at least 4 s (osfv `power_off(6)`). */
  holdMs: int(4000, 60_000, ' ms (the power-button override needs 4 s)').default(6000),
  /** After the hold, before the flasher touches the chip (osfv sleeps 10 s). */
  afterHoldMs: ms.default(10_000),
});

/** A board header pin the RTE drives through an open-collector GPIO (3mdeb RteCtrl.cfg ids 1-12). */
const rtePin = { url: z.url(), gpio: int(0) };

const flasherSchema = z.strictObject({
  where: z.enum(['ssh', 'local']),
  /** Bench controller (e.g. the RTE), required when where = ssh. */
  controller: sshTarget.optional(),
  programmer: z.string().min(1),
  /** Pins flashrom's chip definition (-c). Absent: flashrom probes (board.flash.chip breaks a tie). */
  chip: z.string().min(1).optional(),
  /**
   * The board's power state while the chip is flashed. S5 (board powered, soft-off; the chip on
   * its standby rail) is how PC Engines and 3mdeb flash an apu2 (osfv models/APU2.yml
   * `flashing_power_state: "S5"`); G3 (relay open) only where the programmer powers the chip
   * itself (a clip with Vcc wired).
   */
  powerState: z.enum(['S5', 'G3']).default('S5'),
  s5: s5Entry.prefault({}),
  /**
   * The board's SPI write-protect pin, released (open-collector high-z) before flashing
   * (3mdeb/testing-trenchboot platform-configs/apu2.robot "Flash apu": OC GPIO 12 high-z).
   */
  writeProtect: z.strictObject(rtePin).optional(),
  /**
   * Clear CMOS after a write: wait delayMs, hold the pin low holdMs, release (osfv rte.py
   * `flash_write` sleeps 2 s, then `reset_cmos`: GPIO 11 low, 10 s, high-z).
   */
  cmosReset: z.strictObject({ ...rtePin, holdMs: ms.default(10_000), delayMs: ms.default(2000) }).optional(),
  spiMux: spiMux.optional(),
  timeoutMs: ms.default(180_000),
  restoreOnVerifyFailure: z.boolean().default(true),
  remoteDir: z.string().default('/tmp/iommu-lab'),
});

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
   * Boot Menu", Down ×3 to "iPXE Shell"; Dasharo SeaBIOS v24.08); `ctrl-b` — an iPXE without an
   * embedded script; `auto` — whichever of these the console shows. Typed one
   * character at a time: the apu2's iPXE drops fast input (LAVA types 500 ms a character into iPXE).
   */
  z.strictObject({
    method: z.literal('ipxe-shell'),
    entry: z.enum(['menu', 'dasharo-menu', 'ctrl-b', 'auto']).default('menu'),
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

const bootSchema = z.strictObject({
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

export const guestType = z.enum(['hvm', 'pv']);
export const rigSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case'),
    description: z.string().optional(),
    board: z.strictObject({
      model: z.string().min(1),
      nics: z.array(z.strictObject({ name: z.string().min(1), pci: bdf })).min(1),
      flash: z.strictObject({
        /**
         * The flashrom chip definition(s) this board may carry. Never forced with -c (only
         * flasher.chip pins): flashrom probes, and when its probe matches several definitions of
         * one JEDEC ID (W25Q64BV/CV/FV and W25Q64JV-.Q; four MX25L64 parts) it stops and asks for
         * -c — then the first named here that matched is taken. Absent: flashrom's probe alone decides.
         */
        chip: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
        sizeBytes: int(1),
      }),
    }),
    capabilities: z.strictObject({
      iommu: z.boolean(),
      hvm: z.boolean(),
      pv: z.boolean(),
      passthroughNic: bdf.optional(),
    }),
    firmware: z.strictObject({ iommu: z.boolean().optional(), pxe: z.boolean().optional() }).optional(),
    power: powerSchema,
    console: consoleSchema,
    flasher: flasherSchema.optional(),
    boot: bootSchema,
    dom0: sshTarget,
    lock: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('local'), dir: z.string().optional(), bench: lockBench, ttlMs: leaseTtl }),
      z.strictObject({
        kind: z.literal('ssh'),
        dir: z.string().default('/var/lock/iommu-lab'),
        bench: lockBench,
        ttlMs: leaseTtl,
      }),
    ]),
    guests: z
      .strictObject({
        types: z.array(guestType).min(1),
        memoryMiB: int(1).default(512),
        kernel: z.string().optional(),
        ramdisk: z.string().optional(),
        disk: z.string().optional(),
        bootTimeoutMs: ms.default(180_000),
        /** How the test host reaches a guest over its passed-through NIC. */
        ssh: sshTarget.optional(),
        /**
         * HVM guests direct-boot `kernel`/`ramdisk` through the device model (no disk needed).
         * Under an emulated CPU without NRIP-save (the twin's TCG) `tscMode: 'native'` and
         * `cpuid: 'host,rdtscp=0'` keep the guest off RDTSCP, which Xen cannot emulate there.
         */
        hvm: z
          .strictObject({
            cmdline: z.string().default('console=ttyS0'),
            tscMode: z.enum(['default', 'always_emulate', 'native', 'native_paravirt']).optional(),
            cpuid: z.string().optional(),
            /** HVM guests boot slower than PV ones (hvmloader, BIOS, emulated devices). */
            bootTimeoutMs: ms.optional(),
          })
          .optional(),
      })
      .optional(),
    /** dma-isolation: what the board's IOMMU is expected to say when it blocks a DMA. */
    dma: z
      .strictObject({
        /** True when the IOMMU reports blocked DMA (Xen logs AMD-Vi: IO_PAGE_FAULT); false when it stays silent. */
        faultsExpected: z.boolean(),
        /**
         * Contexts this bench cannot judge, each with the reason the report shows (e.g. an emulated
         * IOMMU known to pass a quarantined device's DMA through). Never a pass: a skip.
         */
        skip: z.partialRecord(z.enum(['hvm', 'pv', 'quarantine']), z.string().min(10)).default({}),
      })
      .optional(),
    traffic: z
      .strictObject({
        peer: z.strictObject({ ...hostPort, port: hostPort.port.default(5201) }),
        guestAddress: z.string().optional(),
        seconds: int(1, 86_400, ' s (24 h)').default(10),
        threshold: z
          .number()
          .gt(0, 'expected a number above 0, at most 2')
          .max(2, 'expected a number above 0, at most 2')
          .optional(),
        measurePv: z.boolean().default(false),
      })
      .optional(),
    /** A software bench (lib/bench/<name>-provider.ts) the session brings up before the lock. */
    provider: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a provider name (lower-case letters, digits, dashes)')
      .optional(),
  })
  .superRefine(crossFieldRules);

/** Rules between keys: what one part needs from another, said before anything is opened. */
function crossFieldRules(
  rig: {
    flasher?: { where: string; controller?: unknown; powerState?: string };
    power: Record<string, unknown>;
    lock: { kind: string };
    boot: {
      network: { method: string; chain?: string };
      server?: { image: { nic?: string; address: 'dhcp' | { cidr: string } } };
    };
    board: { nics: { pci: string }[] };
    dom0: { host: string };
  },
  ctx: z.RefinementCtx,
): void {
  const image = rig.boot.server?.image;
  if (image?.nic && !rig.board.nics.some((n) => n.pci.toLowerCase() === image.nic!.toLowerCase()))
    ctx.addIssue({
      code: 'custom',
      path: ['boot', 'server', 'image', 'nic'],
      message: `not one of board.nics (${rig.board.nics.map((n) => n.pci).join(', ')})`,
    });
  const fixed = image && image.address !== 'dhcp' ? image.address.cidr.split('/')[0] : undefined;
  if (fixed && /^[\d.]+$/.test(rig.dom0.host) && fixed !== rig.dom0.host)
    ctx.addIssue({
      code: 'custom',
      path: ['boot', 'server', 'image', 'address'],
      message: `dom0 would take ${fixed}, but the test host reaches it at dom0.host ${rig.dom0.host}`,
    });
  if (rig.boot.network.method === 'ipxe-shell' && !rig.boot.network.chain && !rig.boot.server)
    ctx.addIssue({
      code: 'custom',
      path: ['boot', 'network', 'chain'],
      message: 'ipxe-shell chains a script: give its URL here, or a boot.server to serve it',
    });
  if (rig.flasher?.powerState === 'S5' && typeof rig.power.powerButtonGpio !== 'number')
    ctx.addIssue({
      code: 'custom',
      path: ['power', 'powerButtonGpio'],
      message:
        'the flasher puts the board into S5 (flasher.powerState, the default) by holding the power button: give its RTE GPIO, or flash in "G3" where the programmer powers the chip',
    });
  if (rig.flasher?.where === 'ssh' && !rig.flasher.controller)
    ctx.addIssue({
      code: 'custom',
      path: ['flasher', 'controller'],
      message: 'flasher.where "ssh" runs flashrom on the bench controller: give its SSH target here',
    });
  if (rig.lock.kind === 'ssh' && !rig.flasher?.controller)
    ctx.addIssue({
      code: 'custom',
      path: ['lock'],
      message:
        'kind "ssh" keeps the lock on the bench controller (flasher.controller), and the rig has none; use kind "local"',
    });
}

export type RigInput = z.input<typeof rigSchema>;
export type Rig = z.output<typeof rigSchema>;
export type { PowerConfig } from '../power/open.ts';
export type ConsoleConfig = Rig['console'];
export type FlasherConfig = z.output<typeof flasherSchema>;

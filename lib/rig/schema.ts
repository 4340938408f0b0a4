// The rig file format. Strict everywhere: an unknown key is an error, never ignored.
import { z } from 'zod';

/** Integers say "expected integer" in errors (zod alone would say "number"). */
const int = () => z.number({ error: 'expected integer' }).int({ error: 'expected integer' });
const bdf = z.string().regex(/^([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/, 'a PCI address like 02:00.0');
const hostPort = { host: z.string().min(1), port: int().min(1).max(65535) };
const ms = int().nonnegative();
/**
 * How long a lease lives without renewal (renewed every third of it). Short enough that a
 * killed job's lease expires soon, long enough to ride out a slow controller; capped at 1 h.
 */
const leaseTtl = int().min(300, 'at least 300 ms').max(3_600_000, 'at most 1 h (3600000 ms)').default(60_000);

/** A secret is never a literal in a rig: it names where to read it from. */
const secretRef = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name') }),
  z.strictObject({ file: z.string().min(1) }),
]);
export type SecretRef = z.infer<typeof secretRef>;

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

const rtePower = z.strictObject({
  kind: z.literal('rte'),
  url: z.url(),
  relayGpio: int().nonnegative(),
  /** RTE wires the board's power and reset buttons to GPIOs too (optional). */
  powerButtonGpio: int().nonnegative().optional(),
  resetButtonGpio: int().nonnegative().optional(),
  minOffMs: ms.default(3000),
  timeoutMs: ms.default(5000),
});
const tasmotaPower = z.strictObject({
  kind: z.literal('tasmota'),
  url: z.url(),
  user: z.string().optional(),
  password: secretRef.optional(),
  minOffMs: ms.default(3000),
  timeoutMs: ms.default(5000),
});
const commandPower = z.strictObject({
  kind: z.literal('command'),
  on: z.array(z.string()).min(1),
  off: z.array(z.string()).min(1),
  state: z.array(z.string()).min(1).optional(),
  minOffMs: ms.default(3000),
  timeoutMs: ms.default(30_000),
});
const manualPower = z.strictObject({ kind: z.literal('manual'), minOffMs: ms.default(3000) });
const powerSchema = z.discriminatedUnion('kind', [rtePower, tasmotaPower, commandPower, manualPower]);

const ttyConsole = z.strictObject({
  kind: z.literal('tty'),
  path: z.string().min(1),
  baudRate: int().positive().default(115200),
});
const tcpConsole = z.strictObject({
  kind: z.literal('tcp'),
  ...hostPort,
  protocol: z.enum(['raw', 'telnet']).default('raw'),
});
const consoleSchema = z.discriminatedUnion('kind', [ttyConsole, tcpConsole]);

/** RTE SPI mux: which GPIOs switch the chip to the programmer and power it. */
const spiMux = z.strictObject({
  url: z.url(),
  voltage: z.enum(['1.8V', '3.3V']),
  vccGpio: int().nonnegative(),
  voltageGpio: int().nonnegative(),
  linesGpio: int().nonnegative(),
  settleMs: ms.default(2000),
});
const flasherSchema = z.strictObject({
  where: z.enum(['ssh', 'local']),
  /** Bench controller (e.g. the RTE), required when where = ssh. */
  controller: sshTarget.optional(),
  programmer: z.string().min(1),
  chip: z.string().min(1).optional(),
  spiMux: spiMux.optional(),
  timeoutMs: ms.default(180_000),
  restoreOnVerifyFailure: z.boolean().default(true),
  remoteDir: z.string().default('/tmp/iommu-lab'),
});

const networkBoot = z.discriminatedUnion('method', [
  /** Press a key at the firmware prompt ("N for PXE boot"). */
  z.strictObject({
    method: z.literal('key'),
    key: z.string().min(1).default('n'),
    prompt: z.string().default('N for PXE boot'),
  }),
  /** The firmware boots the network by itself (boot order). */
  z.strictObject({ method: z.literal('auto') }),
  /** Break into the iPXE shell and chain a script. */
  z.strictObject({ method: z.literal('ipxe-shell'), chain: z.string().min(1) }),
]);

const bootSchema = z.strictObject({
  network: networkBoot,
  /** What Xen is given; the run checks that iommu=verbose, loglvl=all and conring_size are present. */
  xenCommandLine: z.string().min(1),
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
  retries: int().min(0).max(10).default(1),
});

const guestType = z.enum(['hvm', 'pv']);
export const rigSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case'),
  description: z.string().optional(),
  board: z.strictObject({
    model: z.string().min(1),
    nics: z.array(z.strictObject({ name: z.string().min(1), pci: bdf })).min(1),
    flash: z.strictObject({ chip: z.string().min(1), sizeBytes: int().positive() }),
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
    z.strictObject({ kind: z.literal('local'), dir: z.string().optional(), ttlMs: leaseTtl }),
    z.strictObject({ kind: z.literal('ssh'), dir: z.string().default('/var/lock/iommu-lab'), ttlMs: leaseTtl }),
  ]),
  guests: z
    .strictObject({
      types: z.array(guestType).min(1),
      memoryMiB: int().positive().default(512),
      kernel: z.string().optional(),
      ramdisk: z.string().optional(),
      disk: z.string().optional(),
      bootTimeoutMs: ms.default(180_000),
      /** How the test host reaches a guest over its passed-through NIC. */
      ssh: sshTarget.optional(),
    })
    .optional(),
  traffic: z
    .strictObject({
      peer: z.strictObject({ ...hostPort, port: hostPort.port.default(5201) }),
      guestAddress: z.string().optional(),
      seconds: int().positive().default(10),
      threshold: z.number().positive().max(2).optional(),
      measurePv: z.boolean().default(false),
    })
    .optional(),
  /** A software bench (lib/bench/<name>-provider.ts) the session brings up before the lock. */
  provider: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a provider name (lower-case letters, digits, dashes)')
    .optional(),
});

export type RigInput = z.input<typeof rigSchema>;
export type Rig = z.output<typeof rigSchema>;
export type PowerConfig = Rig['power'];
export type ConsoleConfig = Rig['console'];
export type FlasherConfig = z.output<typeof flasherSchema>;

// The twin's faults, one record each: what goes wrong (as on a real bench), which options it
// takes, and how it is done to the twin's real parts (its RTE API, its serial port, QEMU, dom0).
// The injector (injector.ts) applies them; `iommu-lab twin fault --help` and twin/README.md list
// them from here (test/twin-unit/fault/faults.test.ts holds both), so a new fault is one record.
import { connect } from 'node:net';
import { OWN_CLIENT_ADDRESS, type SerialServer } from '../serial/server.ts';
import { HANG_GUESTS, inDom0, KILL_SSHD, PANIC_DOM0, REFUSE_PCIBACK } from './dom0.ts';

export interface FaultOptions {
  /** Power faults: how many switch requests (PATCH) it hits (default: every one until `clear`). */
  count?: number;
  /** serial-takeover: how long the other client holds the port (default 10 s). */
  holdMs?: number;
  /** dom0 faults: how long to wait for dom0 to answer SSH first (default 5 min). */
  waitMs?: number;
}

export type FaultOption = keyof FaultOptions;

/** The command-line flag and help of each option (the CLI adds which faults take it). */
export const FAULT_OPTIONS: Record<FaultOption, { flag: string; help: string; default?: string }> = {
  count: { flag: '--count <n>', help: 'how many switch requests it hits (default: all until clear)' },
  holdMs: { flag: '--hold-ms <ms>', help: 'how long the other client holds the port', default: '10000' },
  waitMs: { flag: '--wait-ms <ms>', help: 'how long to wait for dom0 SSH first', default: '300000' },
};

/** What a fault is done to: the daemon's parts. */
export interface FaultTargets {
  serial: SerialServer;
  serialPort: number;
  dom0SshPort: number;
  /** QMP `stop` of the running board; false when it is not running. */
  freezeBoard: () => Promise<boolean>;
  log?: (line: string) => void;
}

/** A power fault the RTE server meets on its next `left` switch requests. */
export type PowerFault = { kind: 'fail' | 'hang'; left: number };

export interface FaultContext extends FaultTargets {
  /** Sets (or, with undefined, ends) the power fault the injector hands the RTE server. */
  setPowerFault(p: PowerFault | undefined): void;
}

export interface TwinFault {
  describe: string;
  options: readonly FaultOption[];
  /** Resolves with what was done, rejects with why it could not be. */
  inject(c: FaultContext, o: FaultOptions): Promise<string>;
}

function powerFault(kind: PowerFault['kind']): TwinFault {
  const what = kind === 'fail' ? 'answers switch requests with HTTP 500' : 'takes switch requests and never answers';
  return {
    describe: `the power API (RTE) ${what} (--count requests, default all until clear)`,
    options: ['count'],
    async inject(c, o) {
      const left = o.count ?? Number.POSITIVE_INFINITY;
      c.setPowerFault({ kind, left });
      return `the next ${Number.isFinite(left) ? left : 'all'} power API requests ${kind === 'fail' ? 'answer 500' : 'hang'}`;
    },
  };
}

function dom0Fault(describe: string, command: string, done: string): TwinFault {
  return { describe, options: ['waitMs'], inject: (c, o) => inDom0(c.dom0SshPort, command, done, o.waitMs) };
}

/** A second user connects: the port's current client is closed (kickolduser). */
async function takeOverSerial(serialPort: number, holdMs: number): Promise<string> {
  const sock = connect({ host: '127.0.0.1', port: serialPort, localAddress: OWN_CLIENT_ADDRESS });
  await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
  sock.on('data', () => {});
  sock.on('error', () => {});
  setTimeout(() => sock.end(), holdMs).unref();
  return `serial port taken over for ${holdMs} ms`;
}

export const FAULTS = {
  'power-500': powerFault('fail'),
  'power-hang': powerFault('hang'),
  'serial-drop': {
    describe: 'the serial connection is cut (TCP reset), like a crashed ser2net or a pulled cable',
    options: [],
    async inject(c) {
      if (!(await c.serial.drop())) throw new Error('no serial client to drop');
      return 'serial client connection reset';
    },
  },
  'serial-takeover': {
    describe: 'another client takes the serial port over (ser2net kickolduser) and holds it for --hold-ms',
    options: ['holdMs'],
    inject: (c, o) => takeOverSerial(c.serialPort, o.holdMs ?? 10_000),
  },
  'ssh-drop': dom0Fault(
    "dom0's sshd dies: open SSH connections drop and new ones are refused until the next boot",
    KILL_SSHD,
    'dom0 sshd killed',
  ),
  'boot-hang': {
    describe: 'the board freezes (QMP stop): silent, relay still on',
    options: [],
    async inject(c) {
      if (!(await c.freezeBoard())) throw new Error('the board is not running');
      return 'board frozen (QMP stop)';
    },
  },
  panic: dom0Fault("dom0's kernel panics (sysrq c) — the board's failure", PANIC_DOM0, 'dom0 kernel panic triggered'),
  'pciback-refuse': dom0Fault(
    'xen-pciback cannot be loaded in dom0, so it cannot seize the NIC (waits for dom0 first)',
    REFUSE_PCIBACK,
    'xen-pciback made unloadable in dom0',
  ),
  'guest-hang': dom0Fault(
    'every guest domain is paused once created, so no guest ever boots (waits for dom0 first)',
    HANG_GUESTS,
    'guest domains are paused once created',
  ),
  clear: {
    describe: 'ends the power faults',
    options: [],
    async inject(c) {
      c.setPowerFault(undefined);
      return 'power faults cleared';
    },
  },
} satisfies Record<string, TwinFault>;

export type FaultName = keyof typeof FAULTS;

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

export const isFaultName = (n: string): n is FaultName => Object.hasOwn(FAULTS, n);

/** The faults that take `option`, for its help line. */
export const faultsTaking = (option: FaultOption): FaultName[] =>
  FAULT_NAMES.filter((n) => (FAULTS[n] as TwinFault).options.includes(option));

/** The README's list: one line per fault, with the options it takes. */
export function faultsMarkdown(): string {
  return FAULT_NAMES.map((n) => {
    const f: TwinFault = FAULTS[n];
    const flags = f.options.map((o) => ` (\`${FAULT_OPTIONS[o].flag.split(' ')[0]}\`)`).join('');
    return `- \`${n}\`${flags}: ${f.describe}`;
  }).join('\n');
}

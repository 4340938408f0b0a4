// The twin's fault injector: each fault is something that goes wrong on a real bench, done to the
// twin's real parts (its RTE API, its serial port, QEMU, dom0), so a test can prove how a real
// `iommu-lab run` copes. Served by twin/fault/server.ts; `iommu-lab twin fault <name>` calls it.
import { connect } from 'node:net';
import { OWN_CLIENT_ADDRESS, type SerialServer } from '../serial/server.ts';
import { dom0Command, HANG_GUESTS, KILL_SSHD, PANIC_DOM0, REFUSE_PCIBACK, waitForDom0 } from './dom0.ts';

export interface FaultTargets {
  serial: SerialServer;
  serialPort: number;
  dom0SshPort: number;
  /** QMP `stop` of the running board; false when it is not running. */
  freezeBoard: () => Promise<boolean>;
  log?: (line: string) => void;
}

export interface FaultOptions {
  /** Power faults: how many switch requests (PATCH) it hits (default: every one until `clear`). */
  count?: number;
  /** serial-takeover: how long the other client holds the port (default 10 s). */
  holdMs?: number;
  /** dom0 faults: how long to wait for dom0 to answer SSH first (default 5 min). */
  waitMs?: number;
}

export const FAULTS = {
  'power-500': 'the power API (RTE) answers switch requests with HTTP 500 (--count requests, default all until clear)',
  'power-hang':
    'the power API (RTE) takes switch requests and never answers (--count requests, default all until clear)',
  'serial-drop': 'the serial connection is cut (TCP reset), like a crashed ser2net or a pulled cable',
  'serial-takeover': 'another client takes the serial port over (ser2net kickolduser) and holds it for --hold-ms',
  'ssh-drop': "dom0's sshd dies: open SSH connections drop and new ones are refused until the next boot",
  'boot-hang': 'the board freezes (QMP stop): silent, relay still on',
  panic: "dom0's kernel panics (sysrq c) — the board's failure",
  'pciback-refuse': 'xen-pciback cannot be loaded in dom0, so it cannot seize the NIC (waits for dom0 first)',
  'guest-hang': 'every guest domain is paused once created, so no guest ever boots (waits for dom0 first)',
  clear: 'ends the power faults',
} as const;

export type FaultName = keyof typeof FAULTS;

export const isFaultName = (n: string): n is FaultName => Object.hasOwn(FAULTS, n);

export class FaultInjector {
  private power?: { kind: 'fail' | 'hang'; left: number };

  constructor(private readonly t: FaultTargets) {}

  /** For the RTE server: the fault a request meets, if any (counts it down). */
  powerFault = (): 'fail' | 'hang' | undefined => {
    const p = this.power;
    if (!p) return undefined;
    if (--p.left <= 0) this.power = undefined;
    this.t.log?.(`fault: power request ${p.kind === 'fail' ? 'answered 500' : 'left hanging'}`);
    return p.kind;
  };

  /** Applies a fault; resolves with what was done, rejects with why it could not be. */
  async inject(name: FaultName, o: FaultOptions = {}): Promise<string> {
    this.t.log?.(`fault: ${name} ${JSON.stringify(o)}`);
    switch (name) {
      case 'power-500':
      case 'power-hang': {
        const left = o.count ?? Number.POSITIVE_INFINITY;
        this.power = { kind: name === 'power-500' ? 'fail' : 'hang', left };
        return `the next ${Number.isFinite(left) ? left : 'all'} power API requests ${name === 'power-500' ? 'answer 500' : 'hang'}`;
      }
      case 'clear':
        this.power = undefined;
        return 'power faults cleared';
      case 'serial-drop':
        if (!(await this.t.serial.drop())) throw new Error('no serial client to drop');
        return 'serial client connection reset';
      case 'serial-takeover':
        return this.takeOverSerial(o.holdMs ?? 10_000);
      case 'boot-hang':
        if (!(await this.t.freezeBoard())) throw new Error('the board is not running');
        return 'board frozen (QMP stop)';
      case 'ssh-drop':
        return this.inDom0(KILL_SSHD, 'dom0 sshd killed', o.waitMs);
      case 'panic':
        return this.inDom0(PANIC_DOM0, 'dom0 kernel panic triggered', o.waitMs);
      case 'pciback-refuse':
        return this.inDom0(REFUSE_PCIBACK, 'xen-pciback made unloadable in dom0', o.waitMs);
      case 'guest-hang':
        return this.inDom0(HANG_GUESTS, 'guest domains are paused once created', o.waitMs);
    }
  }

  private async inDom0(command: string, done: string, waitMs = 5 * 60_000): Promise<string> {
    if (!(await waitForDom0(this.t.dom0SshPort, waitMs)))
      throw new Error(`dom0 did not answer SSH within ${waitMs} ms`);
    const r = await dom0Command(this.t.dom0SshPort, command);
    if (!r.ok) throw new Error(`dom0 refused the fault: ${r.out.slice(0, 300)}`);
    return done;
  }

  /** A second user connects: the port's current client is closed (kickolduser). */
  private async takeOverSerial(holdMs: number): Promise<string> {
    const sock = connect({ host: '127.0.0.1', port: this.t.serialPort, localAddress: OWN_CLIENT_ADDRESS });
    await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
    sock.on('data', () => {});
    sock.on('error', () => {});
    setTimeout(() => sock.end(), holdMs).unref();
    return `serial port taken over for ${holdMs} ms`;
  }
}

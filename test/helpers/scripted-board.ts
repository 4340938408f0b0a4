// A board played by real parts for testing the boot state machine: an RTE HTTP server whose
// relay starts a script on a real TCP console, and an in-process SSH dom0 whose `xl` answers
// only once the script reached dom0. The real board path is tested on the QEMU twin.
import { chmodSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { rteServer } from '../power/http-servers.ts';
import { baseRig } from '../rig/base-rig.ts';
import { startSshServer, type TestSshServer } from './ssh-server.ts';
import { tempDir } from './temp-dir.ts';

export type Script = 'healthy' | 'hang-after-xen' | 'panic' | 'silent';

const FIRMWARE =
  'PC Engines apu2\r\ncoreboot build 20251125\r\nBIOS version v4.19.0.1\r\nSeaBIOS (version rel-1.16.3)\r\nPress F10 key now for boot menu, N for PXE boot\r\n';
const IPXE = 'iPXE 1.21.1+ -- Open Source Network Boot Firmware\r\nnet0: 00:0d:b9:00:00:01\r\n';
const XEN =
  'Booting from ROM..(XEN) Xen version 4.17.7 (Debian) debug=n\r\n(XEN) AMD-Vi: IOMMU 0 Enabled.\r\n(XEN) I/O virtualisation enabled\r\n';

export class ScriptedBoard {
  readonly rte = rteServer();
  powerOns = 0;
  /** Scripts for successive power-ons; the last one repeats. */
  scripts: Script[] = ['healthy'];
  /** What the firmware prints at power-on (PC Engines' sign-on and its N prompt by default). */
  firmware = FIRMWARE;
  ssh!: TestSshServer;
  private console!: Server;
  private client?: Socket;
  private dir = tempDir('scripted-board-');
  private timers: NodeJS.Timeout[] = [];
  private poll?: NodeJS.Timeout;
  rteUrl = '';
  consolePort = 0;

  async start(): Promise<void> {
    this.rteUrl = await this.rte.start();
    this.console = createServer((s) => {
      this.client = s;
      s.on('data', (d) => this.onInput(d.toString()));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => this.console.listen(0, '127.0.0.1', r));
    this.consolePort = (this.console.address() as AddressInfo).port;
    // `xl` in dom0: answers only while the state file says dom0 is up.
    const xl = join(this.dir, 'xl');
    writeFileSync(
      xl,
      `#!/bin/sh\n[ "$(cat ${this.dir}/state 2>/dev/null)" = dom0 ] || exit 1\necho "xen_version : 4.17.7"\n`,
    );
    chmodSync(xl, 0o755);
    this.setState('off');
    process.env.SCRIPTED_DOM0_PASSWORD = 'scripted-dom0-pw';
    this.ssh = await startSshServer({ cwd: this.dir, password: 'scripted-dom0-pw' });
    process.env.PATH = `${this.dir}:${process.env.PATH}`;
    let last = 0;
    this.poll = setInterval(() => {
      const now = this.rte.gpio.get(0) ?? 0;
      if (now !== last) now ? this.powerOn() : this.powerOff();
      last = now;
    }, 10);
  }

  private setState(s: string): void {
    writeFileSync(join(this.dir, 'state'), s);
  }

  private script(): Script {
    return this.scripts[Math.min(this.powerOns - 1, this.scripts.length - 1)]!;
  }

  private say(text: string, delay = 20): void {
    this.timers.push(setTimeout(() => this.client?.write(text), delay));
  }

  private powerOn(): void {
    this.powerOns++;
    if (this.script() !== 'silent') this.say(this.firmware);
  }

  private powerOff(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.setState('off');
  }

  private onInput(text: string): void {
    if (!/n/i.test(text) || (this.rte.gpio.get(0) ?? 0) === 0) return;
    this.say(IPXE, 20);
    this.say(XEN, 60);
    const s = this.script();
    if (s === 'panic') this.say('(XEN) [  12.345678] Panic on CPU 0:\r\n(XEN) FATAL TRAP\r\n', 100);
    if (s === 'healthy') this.timers.push(setTimeout(() => this.setState('dom0'), 150));
  }

  /**
   * A rig (raw, before validation) wired to this board: its RTE relay, its console, its dom0, a
   * local lock under `dir`, no flasher. `boot` and `power` are merged over the defaults.
   */
  rig(dir: string, opts: { boot?: Record<string, unknown>; power?: Record<string, unknown> } = {}) {
    const raw = structuredClone(baseRig) as Record<string, unknown>;
    Object.assign(raw, {
      power: { kind: 'rte', url: this.rteUrl, relayGpio: 0, minOffMs: 50, timeoutMs: 2000, ...opts.power },
      console: { kind: 'tcp', host: '127.0.0.1', port: this.consolePort },
      lock: { kind: 'local', dir: join(dir, 'locks') },
      boot: {
        network: { method: 'key', key: 'n' },
        xenCommandLine: 'iommu=verbose',
        ...opts.boot,
        timeoutsMs: { firmware: 5000, ipxe: 5000, xen: 5000, dom0: 8000, ...(opts.boot?.timeoutsMs as object) },
      },
      dom0: this.dom0Target(),
    });
    delete raw.flasher;
    return raw;
  }

  /** How a rig reaches this board's dom0. */
  dom0Target(connectTimeoutMs = 1000) {
    return this.ssh.target({ connectTimeoutMs, password: { env: 'SCRIPTED_DOM0_PASSWORD' } });
  }

  async stop(): Promise<void> {
    clearInterval(this.poll);
    this.powerOff();
    this.client?.destroy();
    await new Promise((r) => this.console.close(r));
    await this.rte.stop();
    await this.ssh.close();
    process.env.PATH = process.env.PATH!.replace(`${this.dir}:`, '');
  }
}

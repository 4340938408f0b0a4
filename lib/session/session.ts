// A session opens the rig's parts once per run, in dependency order (lock → power → console;
// dom0 and controller on demand), and closes them in reverse however the run ends.

import type { Console } from '../console/types.ts';
import { progress } from '../core/progress.ts';
import { step } from '../core/step.ts';
import type { PowerSwitch } from '../power/types.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { type PartFactories, realParts } from './parts.ts';
import type { RunDir } from './run-dir.ts';
import { TeardownStack } from './teardown.ts';

export interface SessionOptions {
  runDir: RunDir;
  /** Leave the board powered at the end. */
  keepOn?: boolean;
  /** The board was found already booted (`--assume dom0`): leave its power as found. */
  assumed?: boolean;
  parts?: PartFactories;
}

export class Session {
  readonly teardown = new TeardownStack();
  private powerPart?: PowerSwitch;
  private consolePart?: Console;
  private dom0Part?: RemoteShell;
  private controllerPart?: RemoteShell;
  /** Set once this session switched the board on; decides the final power-off. */
  poweredByUs = false;
  private readonly parts: PartFactories;

  private constructor(
    readonly rig: Rig,
    readonly opts: SessionOptions,
  ) {
    this.parts = opts.parts ?? realParts;
  }

  static async open(rig: Rig, opts: SessionOptions): Promise<Session> {
    const s = new Session(rig, opts);
    try {
      await s.openParts();
    } catch (e) {
      await s.close();
      throw e;
    }
    return s;
  }

  private async openParts(): Promise<void> {
    const { rig, parts } = this;
    if (rig.twin?.autoStart) {
      progress.emit('stage', 'twin');
      await parts.ensureTwin();
    }
    progress.emit('stage', 'lock');
    const lock = await parts.lock(rig, { controller: () => this.controller() });
    await step('lock bench', { rig: rig.name, lock: lock.description }, () => lock.acquire());
    this.teardown.push('release lock', () => lock.release());

    this.powerPart = await parts.power(rig.power);
    this.teardown.push('close power switch', async () => this.powerPart?.close?.());
    this.consolePart = await parts.console(rig.console, { transcriptPath: this.opts.runDir.transcript });
    this.teardown.push('close console', async () => this.consolePart?.close());
    // Pushed last so it runs first: the console still records the board's last words.
    this.teardown.push('power off board', () => this.finalPowerOff());
  }

  private async finalPowerOff(): Promise<void> {
    if (this.opts.keepOn) {
      progress.emit('info', 'board left powered on (--keep-on)');
      return;
    }
    if (this.opts.assumed && !this.poweredByUs) {
      progress.emit('info', 'board left as it was found (--assume)');
      return;
    }
    await this.dom0Part?.close().catch(() => {});
    await step('power off board', {}, () => this.power.off());
  }

  get power(): PowerSwitch {
    if (!this.powerPart) throw new Error('session is closed');
    return this.powerPart;
  }

  get console(): Console {
    if (!this.consolePart) throw new Error('session is closed');
    return this.consolePart;
  }

  /** dom0 over SSH; connects on first use and reconnects after a reboot. */
  async dom0(timeoutMs = this.rig.dom0.connectTimeoutMs): Promise<RemoteShell> {
    if (!this.dom0Part) {
      // While dom0 boots, a port forward may accept and then stall: bound each handshake.
      const target = { ...this.rig.dom0, connectTimeoutMs: Math.min(this.rig.dom0.connectTimeoutMs, timeoutMs) };
      this.dom0Part = await this.parts.remote(target, 'dom0');
      this.teardown.push('close dom0 SSH', async () => {
        await this.dom0Part?.close();
        this.dom0Part = undefined;
      });
    } else {
      // Reuse a live connection; reconnect only one the board dropped (reboot, hang).
      const alive = await this.dom0Part.run('true', { timeoutMs: 10_000 }).then(
        (r) => r.exitCode === 0,
        () => false,
      );
      if (!alive) await this.dom0Part.reconnect(timeoutMs);
    }
    return this.dom0Part;
  }

  /** Forget the dom0 connection (the board is being power-cycled). */
  async dropDom0(): Promise<void> {
    const d = this.dom0Part;
    this.dom0Part = undefined;
    await d?.close().catch(() => {});
  }

  async controller(): Promise<RemoteShell> {
    const target = this.rig.flasher?.controller;
    if (!target) throw new Error(`rig ${this.rig.name} has no bench controller (flasher.controller)`);
    if (!this.controllerPart) {
      const c = await this.parts.remote(target, 'bench controller');
      this.controllerPart = c;
      this.teardown.push('close controller SSH', () => c.close());
    }
    return this.controllerPart;
  }

  /** Closes everything in reverse order; returns teardown failures. */
  close(): Promise<string[]> {
    return this.teardown.run();
  }
}

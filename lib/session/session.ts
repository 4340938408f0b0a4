// A session is the one way onto a bench, for a run and for every one-shot command alike: it
// starts the bench's provider, takes the lock, opens the parts asked for (power, console), opens
// dom0, the controller and the flasher on first use, and closes all of it in reverse however
// it ends. Its teardown is registered before the lock is taken (a signal while the lock is
// being taken still releases it).
import { hostname, userInfo } from 'node:os';
import type { BenchProvider } from '../bench/provider.ts';
import type { BootBench } from '../boot/bench.ts';
import type { BootFailure } from '../boot/errors.ts';
import type { Console } from '../console/types.ts';
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { step } from '../core/step.ts';
import type { Flasher } from '../flasher/part.ts';
import { type BenchHealth, type HealthStore, healthStore } from '../lock/health.ts';
import { acquireWaiting } from '../lock/wait.ts';
import type { PowerSwitch } from '../power/types.ts';
import { type BootServer, startBootServer } from '../pxe/boot-server.ts';
import { formatEntry } from '../pxe/request-log.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { boardDeath, watchBoard } from './board-watch.ts';
import { type PartFactories, realParts } from './parts.ts';
import { onShutdown } from './shutdown.ts';
import { TeardownStack } from './teardown.ts';

export type EagerPart = 'power' | 'console';

export interface SessionOptions {
  /** Parts opened at once, in this order after the lock; the rest open on first use. */
  open: EagerPart[];
  /** Where the console transcript goes (needed when the console is opened). */
  transcriptPath?: string;
  /** Sees every console chunk too (the interactive console); the transcript still gets all. */
  consoleTap?: (chunk: Buffer) => void;
  /**
   * Switch the board off at the end if this session switched it on (a run). One-shot commands
   * (`power on`, `flash`) leave the power as the command set it.
   */
  powerOffAtEnd?: boolean;
  /** Queue this long on a held bench (`--wait-lock`); 0 refuses a held bench at once. */
  waitLockMs?: number;
  /**
   * What to do with a bench its health record marks bad: 'refuse' (a run), 'warn' (a run with
   * --force), or nothing (default: the engineer's one-shot tools — power, console, flash, health —
   * are how a bench gets fixed, so they must work on it).
   */
  health?: 'refuse' | 'warn';
  /** Leave the board powered at the end (`--keep-on`). */
  keepOn?: boolean;
  /** The board was found already booted (`--assume dom0`): leave its power as found. */
  assumed?: boolean;
  /**
   * Serve the board's network boot (rig boot.server) while the session lives. Default: when the
   * console is opened, i.e. when the session may boot the board (a run, health, the bench, an
   * engineer at the console); power-only sessions (power, flash) serve nothing.
   */
  serveBoot?: boolean;
  parts?: PartFactories;
}

export class Session implements BootBench {
  readonly teardown = new TeardownStack();
  private powerPart?: PowerSwitch;
  private consolePart?: Console;
  private dom0Part?: RemoteShell;
  private controllerPart?: Promise<RemoteShell>;
  private flasherPart?: Flasher;
  /** iommu-lab's own boot server (rig boot.server), when this session serves the boot. */
  bootServer?: BootServer;
  /** Set once this session switched the board on; decides the final power-off. */
  poweredByUs = false;
  private readonly parts: PartFactories;
  private removeShutdown?: () => void;
  private healthRecord?: HealthStore;
  /** The software bench behind the rig, if any (its outside view is an extra oracle). */
  provider?: BenchProvider;
  /** Set when the bench's lease was lost: from then on this session drives nothing. */
  lost?: RigError;

  constructor(
    readonly rig: Rig,
    readonly opts: SessionOptions,
  ) {
    this.parts = opts.parts ?? realParts;
  }

  /** Opens a session; on failure everything opened so far is closed again before the error. */
  static async open(rig: Rig, opts: SessionOptions): Promise<Session> {
    const s = new Session(rig, opts);
    await s.start();
    return s;
  }

  /** Takes the bench. The instance exists before, so a caller can close a half-open session. */
  async start(): Promise<void> {
    this.removeShutdown = onShutdown(() => this.close());
    try {
      await this.openParts();
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  private async openParts(): Promise<void> {
    const { rig, parts } = this;
    if (rig.provider) {
      progress.emit('stage', rig.provider);
      this.provider = await parts.provider(rig.provider, rig);
    }
    progress.emit('stage', 'lock');
    const lock = await parts.lock(rig, { controller: () => this.controller() });
    lock.onLost?.((why) => void this.loseBench(why));
    const acquiring = acquireWaiting(lock, this.opts.waitLockMs ?? 0);
    // Pushed before the lease is ours: a teardown while acquiring waits for it, then releases.
    this.teardown.push('release lock', async () => {
      await acquiring.catch(() => {});
      await lock.release();
    });
    await step('lock bench', { rig: rig.name, lock: lock.description }, () => acquiring);
    await this.checkHealth();
    // After the lock: only the bench's holder serves its boot (the port is the bench's too).
    const serve = this.opts.serveBoot ?? this.opts.open.includes('console');
    if (serve && rig.boot.server) await this.serveBoot();
    for (const part of this.opts.open) {
      if (part === 'power') {
        this.powerPart = await parts.power(rig.power);
        this.teardown.push('close power switch', async () => this.powerPart?.close?.());
      }
      if (part === 'console') {
        if (!this.opts.transcriptPath) throw new Error('session: a console needs a transcript path');
        this.consolePart = await parts.console(rig.console, {
          transcriptPath: this.opts.transcriptPath,
          tap: this.opts.consoleTap,
        });
        this.teardown.push('close console', async () => this.consolePart?.close());
      }
    }
    // Pushed last so it runs first: the console still records the board's last words.
    if (this.opts.powerOffAtEnd && this.powerPart) this.teardown.push('power off board', () => this.finalPowerOff());
  }

  private async serveBoot(): Promise<void> {
    const server = await step('start boot server', {}, () => startBootServer(this.rig));
    this.bootServer = server;
    this.teardown.push('close boot server', () => server.close());
    progress.emit(
      'info',
      `boot server: ${server.base} (listening on ${server.listening.host}:${server.listening.port})`,
    );
    server.log.onEntry((e) => progress.emit('info', `boot server: ${formatEntry(e)}`));
  }

  private async health(): Promise<HealthStore> {
    this.healthRecord ??= healthStore(this.rig, this.rig.lock.kind === 'ssh' ? await this.controller() : undefined);
    return this.healthRecord;
  }

  /** A bench marked bad is out of service: refused until `iommu-lab health` passes (or --force). */
  private async checkHealth(): Promise<void> {
    if (!this.opts.health) return;
    const h = await (await this.health()).read();
    if (h?.state !== 'bad') return;
    const said = `bench ${this.rig.name} is marked bad since ${h.at} by ${h.by}: ${h.why}`;
    if (this.opts.health === 'warn') {
      progress.emit('warn', `${said} (used anyway: --force)`);
      return;
    }
    throw new RigError(`${said}; fix it, then \`iommu-lab health --rig ${this.rig.name}\` (or --force)`, {
      code: 'BENCH_UNHEALTHY',
      part: 'session',
    });
  }

  /** Records the bench's health where every client of it sees it. */
  async markHealth(state: BenchHealth['state'], why: string): Promise<void> {
    const by = `${userInfo().username}@${hostname()} pid ${process.pid}`;
    await (await this.health()).write({ state, at: new Date().toISOString(), why, by });
  }

  /**
   * The lease is gone (taken over, or not renewed for a TTL): another holder may own the board
   * now. Stop driving it at once — console and dom0 closed, power refused — and never switch off
   * a board that is no longer ours.
   */
  private async loseBench(why: string): Promise<void> {
    this.lost = new RigError(`lost the bench's lock while running: ${why}; stopped driving the bench`, {
      code: 'LOCK_LOST',
      part: 'lock',
    });
    progress.emit('warn', this.lost.message);
    await this.consolePart?.close().catch(() => {});
    await this.dropDom0();
  }

  private async finalPowerOff(): Promise<void> {
    // Whatever happens to the power, the dom0 connection ends with the run: an open SSH
    // session would keep the process alive after --keep-on or --assume.
    await this.dom0Part?.close().catch(() => {});
    if (this.lost) {
      progress.emit('warn', 'board not switched off: the bench belongs to another holder now');
      return;
    }
    if (this.opts.keepOn) {
      progress.emit('info', 'board left powered on (--keep-on)');
      return;
    }
    if (this.opts.assumed && !this.poweredByUs) {
      progress.emit('info', 'board left as it was found (--assume)');
      return;
    }
    await step('power off board', {}, () => this.power.off());
  }

  markPoweredOn(): void {
    this.poweredByUs = true;
  }

  get power(): PowerSwitch {
    if (this.lost) throw this.lost;
    if (!this.powerPart) throw new Error('session: the power switch is not open');
    return this.powerPart;
  }

  /** The console once opened (not after the bench was lost), else undefined: for marker lines. */
  get consoleIfOpen(): Console | undefined {
    return this.lost ? undefined : this.consolePart;
  }

  get console(): Console {
    if (this.lost) throw this.lost;
    if (!this.consolePart) throw new Error('session: the console is not open');
    return this.consolePart;
  }

  /** dom0 over SSH; connects on first use and reconnects after a reboot. */
  async dom0(timeoutMs = this.rig.dom0.connectTimeoutMs): Promise<RemoteShell> {
    if (this.lost) throw this.lost;
    if (!this.dom0Part) {
      // While dom0 boots, a port forward may accept and then stall: bound each handshake.
      const target = { ...this.rig.dom0, connectTimeoutMs: Math.min(this.rig.dom0.connectTimeoutMs, timeoutMs) };
      // Its SSH failures are judged against the console: a panic is the board's, not the lab's.
      this.dom0Part = watchBoard(await this.parts.remote(target, 'dom0'), () => this.deathOnConsole());
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

  /**
   * The board's death, once its console showed one: every later dom0 failure is that death too
   * (the console shows a panic once; the next suite must not blame the lab for a dead board).
   */
  private died?: BootFailure;
  private async deathOnConsole(): Promise<BootFailure | undefined> {
    this.died ??= await boardDeath(this.consolePart);
    return this.died;
  }

  /** Forget the dom0 connection (the board is being power-cycled). */
  async dropDom0(): Promise<void> {
    const d = this.dom0Part;
    this.dom0Part = undefined;
    await d?.close().catch(() => {});
  }

  /** The bench controller over SSH (the RTE next to the board); opened once, on first use. */
  controller(): Promise<RemoteShell> {
    const target = this.rig.flasher?.controller;
    if (!target) return Promise.reject(new Error(`rig ${this.rig.name} has no bench controller (flasher.controller)`));
    this.controllerPart ??= this.parts.remote(target, 'bench controller').then((c) => {
      this.teardown.push('close controller SSH', () => c.close());
      return c;
    });
    // A failed connect is not cached: the next use tries again.
    this.controllerPart.catch(() => (this.controllerPart = undefined));
    return this.controllerPart;
  }

  /** The flasher, bound to this bench's power switch and (for `where: ssh`) its controller. */
  async flasher(): Promise<Flasher> {
    if (!this.flasherPart) {
      const controller = this.rig.flasher?.where === 'ssh' ? await this.controller() : undefined;
      this.flasherPart = this.parts.flasher({ rig: this.rig, power: this.power, controller });
    }
    return this.flasherPart;
  }

  /** Closes everything in reverse order; returns teardown failures. Safe to call twice. */
  async close(): Promise<string[]> {
    const failures = await this.teardown.run();
    this.removeShutdown?.();
    return failures;
  }
}

// A session is the one way onto a bench, for a run and for every one-shot command alike: an
// ordered container (tbot's Machine on an ExitStack, labgrid's Target.activate/deactivate) —
// provider, lock, the caller's gate, boot server, eager parts, then parts on first use — closed
// in reverse however it ends. Health, end-of-run power and flashing are the run's (lib/run).
import type { BenchProvider } from '../bench/provider.ts';
import type { BootBench } from '../boot/bench.ts';
import type { Console } from '../console/types.ts';
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import type { PowerSwitch } from '../power/types.ts';
import type { BootServer } from '../pxe/boot-server.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { latchedDeath } from './board-watch.ts';
import { serveBoot } from './boot-serving.ts';
import { Dom0Part } from './dom0-part.ts';
import { openEagerParts } from './eager-parts.ts';
import { NamedParts } from './named-parts.ts';
import type { EagerPart, SessionOptions } from './options.ts';
import { type PartFactories, realParts } from './parts.ts';
import { onShutdown } from './shutdown.ts';
import { takeLock } from './take-lock.ts';
import { TeardownStack } from './teardown.ts';

export type { EagerPart, SessionOptions };

export class Session implements BootBench {
  readonly teardown = new TeardownStack();
  /** The software bench behind the rig, if any (its outside view is an extra oracle). */
  provider?: BenchProvider;
  /** iommu-lab's own boot server (rig boot.server), when this session serves the boot. */
  bootServer?: BootServer;
  /** Set once this session switched the board on; decides the final power-off. */
  poweredByUs = false;
  /** Set when the bench's lease was lost: from then on this session drives nothing. */
  lost?: RigError;
  private powerPart?: PowerSwitch;
  private consolePart?: Console;
  private readonly named = new NamedParts(this.teardown);
  private readonly parts: PartFactories;
  private readonly dom0Part: Dom0Part;
  private removeShutdown?: () => void;

  constructor(
    readonly rig: Rig,
    readonly opts: SessionOptions,
  ) {
    this.parts = opts.parts ?? realParts;
    const death = latchedDeath(() => this.consolePart);
    this.dom0Part = new Dom0Part(rig.dom0, this.parts.remote, death, this.teardown);
  }

  /** Opens a session; on failure what was opened is closed again before the error. */
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
    const { rig, parts, opts } = this;
    if (rig.provider) progress.emit('stage', rig.provider);
    if (rig.provider) this.provider = await parts.provider(rig.provider, rig);
    await takeLock(this, parts, opts.waitLockMs ?? 0, (why) => void this.loseBench(why));
    await opts.afterLock?.();
    // After the lock: only the bench's holder serves its boot (the port is the bench's too).
    if ((opts.serveBoot ?? opts.open.includes('console')) && rig.boot.server)
      this.bootServer = await serveBoot(rig, this.teardown);
    ({ power: this.powerPart, console: this.consolePart } = await openEagerParts(rig, this.named, parts, opts));
  }

  /** A part opened on first use by name, closed with the session (lib/session/named-parts.ts). */
  use<T>(name: string, open: () => Promise<T>, close?: (part: T) => Promise<void>): Promise<T> {
    return this.named.use(name, open, close);
  }

  /** The lease is gone (taken over, or expired): stop driving the board at once, it may be another's. */
  private async loseBench(why: string): Promise<void> {
    this.lost = new RigError(`lost the bench's lock while running: ${why}; stopped driving the bench`, {
      code: 'LOCK_LOST',
      part: 'lock',
    });
    progress.emit('warn', this.lost.message);
    await this.consolePart?.close().catch(() => {});
    await this.dropDom0();
  }

  markPoweredOn(): void {
    this.poweredByUs = true;
  }

  get power(): PowerSwitch {
    return this.opened(this.powerPart, 'the power switch');
  }

  get console(): Console {
    return this.opened(this.consolePart, 'the console');
  }

  /** The console once opened (not after the bench was lost), else undefined: for marker lines. */
  get consoleIfOpen(): Console | undefined {
    return this.lost ? undefined : this.consolePart;
  }

  private opened<T>(part: T | undefined, what: string): T {
    if (this.lost) throw this.lost;
    if (!part) throw new Error(`session: ${what} is not open`);
    return part;
  }

  /** dom0 over SSH; connects on first use and reconnects after a reboot. */
  dom0(timeoutMs = this.rig.dom0.connectTimeoutMs): Promise<RemoteShell> {
    return this.lost ? Promise.reject(this.lost) : this.dom0Part.get(timeoutMs);
  }

  /** Forget the dom0 connection (the board is being power-cycled). */
  dropDom0(): Promise<void> {
    return this.dom0Part.drop();
  }

  /** The bench controller over SSH (the RTE next to the board); opened once, on first use. */
  controller(): Promise<RemoteShell> {
    const target = this.rig.flasher?.controller;
    if (!target) return Promise.reject(new Error(`rig ${this.rig.name} has no bench controller (flasher.controller)`));
    return this.use(
      'controller SSH',
      () => this.parts.remote(target, 'bench controller'),
      (c) => c.close(),
    );
  }

  /** Closes everything in reverse order; returns teardown failures. Safe to call twice. */
  async close(): Promise<string[]> {
    const failures = await this.teardown.run();
    this.removeShutdown?.();
    return failures;
  }
}

// One guest domain from `xl create` to `xl destroy`: its config written through the tested
// builder, its SSH awaited, its console kept as evidence (also when it never answers).
import { poll, type Tries } from '../core/poll.ts';
import { progress } from '../core/progress.ts';
import { attach } from '../core/step.ts';
import { sleep } from '../core/time.ts';
import { assertCommandOk } from '../evidence/command.ts';
import { openRemote } from '../remote/ssh.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { createGuest, destroyGuest, guestConsoleLog, writeGuestConfig } from './guest.ts';
import { type GuestSpec, guestBootTimeoutMs, guestConfig } from './guest-config.ts';

export class GuestDomain {
  private constructor(
    readonly dom0: RemoteShell,
    readonly spec: GuestSpec,
    /** SSH into the guest; undefined once destroyed. */
    public shell: RemoteShell | undefined,
    /** From `xl create` to the first answered SSH command. */
    readonly bootMs: number,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /**
   * Creates the guest and waits for its SSH. A guest that never answers is destroyed before
   * the error (with its last console lines) is thrown: nothing is left running.
   */
  static async start(dom0: RemoteShell, rig: Rig, spec: GuestSpec): Promise<GuestDomain> {
    const cfg = guestConfig(rig, spec);
    await attach(`${spec.name}.cfg`, cfg);
    await writeGuestConfig(dom0, spec.name, cfg);
    const timeout = guestBootTimeoutMs(rig, spec.type);
    const t0 = Date.now();
    try {
      await assertCommandOk(await createGuest(dom0, spec.name, timeout), `xl create (${spec.type} guest)`);
      const shell = await poll(`wait for ${spec.type} guest over SSH`, { timeoutMs: timeout }, (tries) =>
        waitGuest(rig, spec.type, timeout, tries),
      );
      progress.emit(
        'info',
        `${spec.type} guest answered SSH ${((Date.now() - t0) / 1000).toFixed(0)} s after xl create`,
      );
      return new GuestDomain(dom0, spec, shell, Date.now() - t0);
    } catch (e) {
      // Outside the poll, whose tries are left out of the report: the guest's own words are evidence.
      const log = await guestConsoleLog(dom0, spec.name).catch(() => '');
      await attach(`${spec.name} console (did not come up)`, log);
      await destroyGuest(dom0, spec.name).catch(() => {});
      const tail = log.trim().split('\n').slice(-15).join('\n');
      throw new Error(`${(e as Error).message}${tail ? `\nlast guest console lines:\n${tail}` : ''}`);
    }
  }

  /** Idempotent. The console log is attached before the domain goes. */
  async destroy(): Promise<void> {
    await this.shell?.close().catch(() => {});
    this.shell = undefined;
    const log = await guestConsoleLog(this.dom0, this.name).catch(() => '');
    if (log) await attach(`${this.name} console`, log);
    await destroyGuest(this.dom0, this.name);
  }
}

async function waitGuest(rig: Rig, type: string, timeoutMs: number, tries: Tries): Promise<RemoteShell> {
  const target = rig.guests?.ssh;
  if (!target) throw new Error(`rig ${rig.name} does not say how to reach a guest (guests.ssh)`);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    tries.next();
    try {
      const g = await openRemote(target, 'guest');
      if ((await g.run('true', { timeoutMs: 10_000 })).exitCode === 0) return g;
      await g.close();
    } catch (e) {
      last = (e as Error).message.split('\n')[0]!;
    }
    tries.refused(last || 'no answer to `true`');
    progress.emit('step', `${type} guest not reachable yet (${last})`);
    await sleep(3_000);
  }
  throw new Error(`${type} guest did not answer SSH within ${timeoutMs / 1000} s (${last})`);
}

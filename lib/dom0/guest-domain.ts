// One guest domain from `xl create` to `xl destroy`: its config written through the tested
// builder, its SSH awaited, its console kept as evidence (also when it never answers).
import { RigError } from '../core/errors.ts';
import { poll, type Tries } from '../core/poll.ts';
import { progress } from '../core/progress.ts';
import { attach } from '../core/step.ts';
import { sleep } from '../core/time.ts';
import { assertCommandOk } from '../evidence/command.ts';
import { openRemote } from '../remote/ssh.ts';
import { worthLoggingIn } from '../remote/ssh-banner.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { createGuest, destroyGuest, guestConsoleLog, writeGuestConfig } from './guest.ts';
import { type GuestSpec, guestBootTimeoutMs, guestConfig } from './guest-config.ts';
import { consoleTail, guestNoAnswer, saysReady, xlState } from './guest-no-answer.ts';

export class GuestDomain {
  private constructor(
    readonly dom0: RemoteShell,
    readonly spec: GuestSpec,
    /** SSH into the guest; undefined once destroyed. */
    public shell: RemoteShell | undefined,
    /** From `xl create` to the first answered SSH command. */
    readonly bootMs: number,
    /** When it first answered (for a guest handed on to later tests). */
    readonly startedAt: number,
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
        waitGuest({ rig, dom0, name: spec.name, type: spec.type, timeoutMs: timeout }, tries),
      );
      const bootMs = Date.now() - t0;
      progress.emit('info', `${spec.type} guest answered SSH ${(bootMs / 1000).toFixed(0)} s after xl create`);
      await attach(`${spec.name} boot timeline`, await bootTimeline(shell, bootMs));
      return new GuestDomain(dom0, spec, shell, bootMs, Date.now());
    } catch (e) {
      // Outside the poll, whose tries are left out of the report: the guest's own words are evidence.
      const log = await guestConsoleLog(dom0, spec.name).catch(() => '');
      await attach(`${spec.name} console (did not come up)`, log);
      const state = await xlState(dom0, spec.name).catch(() => undefined);
      await destroyGuest(dom0, spec.name).catch(() => {});
      if (e instanceof GuestWaitTimeout)
        throw guestNoAnswer({
          waited: e.message,
          console: log,
          state,
          type: spec.type,
          // Its SSH goes through the NIC under test when it owns one and has no vif beside it.
          throughPassthrough: spec.pci.length > 0 && !spec.vifs?.length,
        });
      // The bench's own failures (dom0 gone, lock lost) keep their code: they are the lab's.
      if (e instanceof RigError) throw e;
      const tail = consoleTail(log);
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

/**
 * Where a guest's boot went: the guest's own uptime when SSH first answered is its kernel and
 * user space; the rest of the time since `xl create` is the domain build, the device model,
 * and (HVM) hvmloader and the guest BIOS.
 */
async function bootTimeline(shell: RemoteShell, bootMs: number): Promise<string> {
  const r = await shell.run("cat /proc/uptime; dmesg 2>/dev/null | grep -m1 -E 'Run /init|Freeing unused kernel'", {
    timeoutMs: 10_000,
  });
  const uptime = Number(r.stdout.split(/\s/)[0]);
  if (!Number.isFinite(uptime) || !r.stdout.trim())
    return `xl create → SSH answered: ${(bootMs / 1000).toFixed(1)} s (guest uptime unknown)`;
  const init = /\[\s*(\d+\.\d+)\]/.exec(r.stdout)?.[1];
  return [
    `xl create → SSH answered: ${(bootMs / 1000).toFixed(1)} s`,
    `before the guest kernel (domain build, device model, firmware): ${(bootMs / 1000 - uptime).toFixed(1)} s`,
    init ? `guest kernel until /init: ${Number(init).toFixed(1)} s` : 'guest kernel until /init: not in dmesg',
    `guest kernel and user space until SSH: ${uptime.toFixed(1)} s`,
  ].join('\n');
}

interface GuestWait {
  rig: Rig;
  dom0: RemoteShell;
  name: string;
  type: string;
  timeoutMs: number;
}

/**
 * The boot wait's pace (an object, so tests can shorten it): how long a guest that says it is up
 * may stay unreachable (a slow TCG guest answers in seconds), how long it may stay paused, how
 * often SSH is tried, how often dom0 is asked about the domain and its console, and how long a
 * try waits for the guest's SSH server to send its first line before it logs in (every few tries
 * it logs in regardless).
 *
 * That first line matters: a connection to a guest that has no address yet can hang instead of
 * being refused (the twin's slirp forward holds it until the client gives up, and retries the
 * guest on its own backoff: a 25 s try of a guest that came up after 17 s answered only 11 s
 * later), so tries of the full `connectTimeoutMs` made a PV guest answer 22-27 s after `xl
 * create` when it was up after 16 s. dom0 is asked less often than SSH is tried: under an
 * emulated CPU every `xl list` takes CPU from the guest's device model.
 */
export const GUEST_WAIT = {
  readyButSilentMs: 60_000,
  pausedMs: 20_000,
  retryMs: 1_000,
  dom0EveryMs: 5_000,
  bannerMs: 1_500,
  loginEveryTries: 5,
};

/** `xl list` flags of a guest that will never answer: crashed, shut down, dying. */
const STOPPED = /[csd]/;

/**
 * Tries the guest's SSH every second and, every few seconds, asks dom0 how the domain is and
 * what its console says: a guest that crashed, shut down or vanished fails at once instead of at
 * the timeout, one that says it is up but never answers fails after a minute, and a dom0 that
 * stopped answering (the bench lost) ends the wait with dom0's own error (the lab's) within
 * seconds.
 */
async function waitGuest(w: GuestWait, tries: Tries): Promise<RemoteShell> {
  const target = w.rig.guests?.ssh;
  if (!target) throw new Error(`rig ${w.rig.name} does not say how to reach a guest (guests.ssh)`);
  const t0 = Date.now();
  const deadline = t0 + w.timeoutMs;
  let last = '';
  /** When the guest's console first said it was up; since when `xl list` has shown it paused. */
  let readySince: number | undefined;
  let pausedSince: number | undefined;
  let dom0AskedAt = Number.NEGATIVE_INFINITY;
  while (Date.now() < deadline) {
    tries.next();
    try {
      // Log in once its SSH server speaks: a forward can hold a connection to a guest without
      // an address for the whole handshake deadline (lib/remote/ssh-banner.ts).
      const pace = { bannerMs: GUEST_WAIT.bannerMs, loginEvery: GUEST_WAIT.loginEveryTries };
      if (await worthLoggingIn(target.host, target.port, tries.count, pace)) {
        const g = await openRemote(target, 'guest');
        if ((await g.run('true', { timeoutMs: 10_000 })).exitCode === 0) return g;
        await g.close();
      } else last = `no SSH server answering at ${target.host}:${target.port} yet`;
    } catch (e) {
      last = (e as Error).message.split('\n')[0]!;
    }
    tries.refused(last || 'no answer to `true`');
    if (Date.now() - dom0AskedAt >= GUEST_WAIT.dom0EveryMs) {
      dom0AskedAt = Date.now();
      // Throws dom0's SSH_DROPPED when the bench went away: not the guest's failure.
      const state = await xlState(w.dom0, w.name);
      if (state === undefined || STOPPED.test(state))
        throw new GuestWaitTimeout(
          `${w.type} guest stopped ${((Date.now() - t0) / 1000).toFixed(0)} s after xl create without answering SSH (${last})`,
        );
      // Nobody here pauses it: a guest that stays paused makes no progress, however long we wait.
      pausedSince = state.includes('p') ? (pausedSince ?? Date.now()) : undefined;
      if (pausedSince !== undefined && Date.now() - pausedSince > GUEST_WAIT.pausedMs)
        throw new GuestWaitTimeout(
          `${w.type} guest has stayed paused for ${((Date.now() - pausedSince) / 1000).toFixed(0)} s without answering SSH (${last})`,
        );
      if (readySince === undefined && saysReady(await guestConsoleLog(w.dom0, w.name))) readySince = Date.now();
    }
    // Up by its console yet unreachable for a minute: the way in is broken; waiting longer
    // only delays the verdict (the leaky-IOMMU HVM guest used to wait out its 600 s).
    if (readySince !== undefined && Date.now() - readySince > GUEST_WAIT.readyButSilentMs)
      throw new GuestWaitTimeout(
        `${w.type} guest says it is up on its console, but SSH has not answered for ${((Date.now() - readySince) / 1000).toFixed(0)} s since (${last})`,
      );
    progress.emit('step', `${w.type} guest not reachable yet (${last})`);
    await sleep(GUEST_WAIT.retryMs);
  }
  throw new GuestWaitTimeout(`${w.type} guest did not answer SSH within ${w.timeoutMs / 1000} s (${last})`);
}

/** The wait ran out: told apart from a failed `xl create`, which carries its own evidence. */
class GuestWaitTimeout extends Error {}

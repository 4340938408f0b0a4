// A lock for RTE benches, held on the RTE itself (every client of the bench reaches it over SSH):
// an atomic `mkdir` of <dir>/<rig>.lock holding `owner` (the lease record) and `beat` (a counter
// the holder rewrites every TTL/3).
//
// Staleness without trusting two clocks: a contender compares the controller's own `date +%s`
// with the mtime of `beat` on the controller: both readings come from the controller's clock,
// so the test host's clock never matters. A controller clock step (an RTE without RTC syncing NTP
// after boot) could make a live lease look old, so a takeover is confirmed by reading the counter
// again one renewal interval later, timed on this process's monotonic clock: a live holder has
// bumped it by then. A step backwards only makes a dead lease look young: takeover comes late.
//
// The owner file is compared by its checksum (`cksum`) on both sides: the probe and the takeover
// script read the same bytes the same way, whatever the file holds (two lines, no newline, junk
// planted by hand), so a stale lock is always taken over once it is stale.
import { RigError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { progress } from '../core/progress.ts';
import { shq } from '../core/quote.ts';
import { sleep } from '../core/time.ts';
import type { RemoteShell } from '../remote/types.ts';
import { type LeaseRecord, lockHeld, newLease, parseLease } from './lease.ts';
import { type Renewal, startRenewal } from './renewal.ts';
import type { BenchLock } from './types.ts';

export const DEFAULT_REMOTE_DIR = '/var/lock/iommu-lab';
const TIMEOUT_MS = 15_000;

interface Seen {
  ageS?: number;
  /** `cksum` of the counter file. */
  beat: string;
  /** `cksum` of the owner file; empty when there is none. */
  ownerSum: string;
  rec?: LeaseRecord;
}

export class SshMkdirLock implements BenchLock {
  readonly description: string;
  readonly lockDir: string;
  takeover?: string;
  private held = false;
  private beat = 0;
  private renewal?: Renewal;
  private readonly ownerLine: string;

  constructor(
    private readonly rig: string,
    private readonly shell: RemoteShell,
    opts: { dir?: string; ttlMs: number; runId?: string },
    private readonly lease: LeaseRecord = newLease(opts.runId, opts.ttlMs),
  ) {
    this.lockDir = `${(opts.dir ?? DEFAULT_REMOTE_DIR).replace(/\/+$/, '')}/${rig}.lock`;
    this.description = `lock ${this.lockDir} on ${shell.description}`;
    this.ownerLine = JSON.stringify(lease);
  }

  async acquire(): Promise<void> {
    if (this.held) return;
    const l = shq(this.lockDir);
    const parent = shq(this.lockDir.replace(/\/[^/]+$/, '') || '/');
    for (let attempt = 0; attempt < 10; attempt++) {
      const out = await this.sh(
        `mkdir -p ${parent} 2>/dev/null; if err=$(mkdir ${l} 2>&1); then ${this.writeLease(l)} && echo ACQUIRED; ` +
          `elif [ -d ${l} ]; then echo HELD; ${probe(l)}; else echo "FAILED $err"; fi`,
      );
      if (out.startsWith('ACQUIRED')) return this.started();
      if (out.startsWith('FAILED'))
        throw new RigError(`${this.description}: cannot create the lock: ${out.slice(7).trim()}`, {
          code: 'LOCK_FAILED',
          phase: 'acquire',
        });
      const seen = parseProbe(out);
      if (!seen.ownerSum && seen.ageS === undefined) continue; // released while we looked
      const holder = seen.rec
        ? printable(seen.rec.owner, { max: 120 })
        : seen.ownerSum
          ? 'a run whose lease record is unreadable'
          : 'a run whose lease is not written yet';
      const ttlMs = seen.rec?.ttlMs ?? this.lease.ttlMs;
      const ageText =
        seen.ageS === undefined ? 'age unknown' : `last renewed ${seen.ageS} s ago by the controller's clock`;
      if (seen.ageS === undefined || seen.ageS * 1000 <= ttlMs)
        throw lockHeld(this.rig, this.description, holder, `${ageText}, TTL ${ttlMs / 1000} s`);
      // Looks dead: confirm on our own clock that nobody bumps the counter.
      await sleep(ttlMs / 3 + 500);
      const again = parseProbe(await this.sh(probe(l)));
      if (again.beat !== seen.beat || again.ownerSum !== seen.ownerSum)
        throw lockHeld(
          this.rig,
          this.description,
          again.rec ? printable(again.rec.owner, { max: 120 }) : holder,
          'lease renewed while we watched',
        );
      const r = await this.sh(this.takeOverScript(l, seen));
      if (r.startsWith('TAKEN')) {
        this.takeover = `took over the lock of bench ${this.rig} from ${holder} (${ageText}, TTL ${ttlMs / 1000} s)`;
        progress.emit('warn', this.takeover);
        return this.started();
      }
      await sleep(100 + Math.random() * 200);
    }
    throw lockHeld(this.rig, this.description, 'another run', 'still contended after 10 attempts');
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    this.renewal?.stop();
    const l = shq(this.lockDir);
    await this.sh(`if ${this.ours(l)}; then rm -rf ${l}; fi; echo DONE`);
  }

  private readonly lostHandlers: ((why: string) => void)[] = [];

  /** Called once if the lease is lost while held (see lib/lock/renewal.ts). */
  onLost(handler: (why: string) => void): void {
    this.lostHandlers.push(handler);
  }

  private notifyLost(why: string): void {
    for (const h of this.lostHandlers) h(why);
  }

  private started(): void {
    this.held = true;
    const l = shq(this.lockDir);
    this.renewal = startRenewal(
      this.description,
      Math.max(100, this.lease.ttlMs / 3),
      async () => {
        this.beat++;
        // Write then rename: a reader never sees an empty counter.
        const out = await this.sh(
          `if ${this.ours(l)}; then echo ${this.beat} > ${l}/beat.tmp && mv -f ${l}/beat.tmp ${l}/beat && echo OK; else echo LOST; fi`,
        );
        return out.startsWith('OK');
      },
      { ttlMs: this.lease.ttlMs, onLost: (why) => this.notifyLost(why) },
    );
  }

  private writeLease(l: string): string {
    return `printf '%s\\n' ${shq(this.ownerLine)} > ${l}/owner && echo 0 > ${l}/beat`;
  }

  private ours(l: string): string {
    return `[ "$(cat ${l}/owner 2>/dev/null)" = ${shq(this.ownerLine)} ]`;
  }

  /** Under a short mkdir mutex, so two contenders cannot both take over one dead lease. */
  private takeOverScript(l: string, dead: Seen): string {
    const m = shq(`${this.lockDir}.takeover`);
    return (
      `if ! mkdir ${m} 2>/dev/null; then ` +
      // A contender killed mid-takeover leaves the mutex; it is never legitimately held for long.
      `[ $(( $(date +%s) - $(stat -c %Y ${m} 2>/dev/null || date +%s) )) -gt 30 ] && rmdir ${m}; echo BUSY; ` +
      `else if [ "${beatOf(l)}" = ${shq(dead.beat)} ] && [ "${ownerSum(l)}" = ${shq(dead.ownerSum)} ]; then ` +
      `rm -rf ${l} && mkdir ${l} && ${this.writeLease(l)} && r=TAKEN || r=LOST; else r=CHANGED; fi; rmdir ${m}; echo $r; fi`
    );
  }

  private async sh(script: string): Promise<string> {
    const r = await this.shell.run(script, { timeoutMs: TIMEOUT_MS });
    if (r.exitCode !== 0 || r.timedOut)
      throw new RigError(
        `${this.description}: lock command failed (${r.timedOut ? 'timed out' : `exit ${r.exitCode}`}): ${printable(r.stderr.trim(), { max: 200 })}`,
        {
          code: 'LOCK_FAILED',
        },
      );
    return r.stdout;
  }
}

// The same expressions in the probe and in the takeover script: both sides read the same thing.
function ownerSum(l: string): string {
  return `$(cksum 2>/dev/null < ${l}/owner)`;
}

function beatOf(l: string): string {
  return `$(cksum 2>/dev/null < ${l}/beat)`;
}

/**
 * Prints the controller's time, the counter's checksum and mtime, the owner file's checksum and
 * its first line (at most 2 KiB: a planted file is not read whole), each on a line.
 */
function probe(l: string): string {
  return (
    `echo "now $(date +%s)"; echo "beat ${beatOf(l)}"; ` +
    `echo "mtime $(stat -c %Y ${l}/beat 2>/dev/null || stat -c %Y ${l} 2>/dev/null)"; ` +
    `echo "sum ${ownerSum(l)}"; echo "owner $(head -c 2048 ${l}/owner 2>/dev/null | head -n 1)"`
  );
}

function parseProbe(out: string): Seen {
  const field = (k: string) => new RegExp(`^${k} ?(.*)$`, 'm').exec(out)?.[1]?.trim() ?? '';
  const now = Number.parseInt(field('now'), 10);
  const mtime = Number.parseInt(field('mtime'), 10);
  return {
    ageS: Number.isFinite(now) && Number.isFinite(mtime) ? now - mtime : undefined,
    beat: field('beat'),
    ownerSum: field('sum'),
    rec: parseLease(field('owner')),
  };
}

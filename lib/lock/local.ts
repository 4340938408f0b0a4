// A lock for benches whose parts hang off this host (USB tty, Tasmota plug, the twin): a file
// created atomically with its content (link(2) of a finished temp file, so nobody reads it half
// written). A holder on this host is alive exactly while its pid runs (same boot, same process
// start time): a lease left by a killed process is taken over at once, and no clock is involved.
// Only a record from another host (a shared lock dir) falls back to the file's age, with its TTL
// capped (lease.ts MAX_TTL_MS): a planted record cannot hold the bench for ever.
import { mkdirSync } from 'node:fs';
import { chmod, link, mkdir, readFile, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RigError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { progress } from '../core/progress.ts';
import { sleep } from '../core/time.ts';
import { bootId, holderAlive, type LeaseRecord, lockHeld, newLease, parseLease } from './lease.ts';
import { type Renewal, startRenewal } from './renewal.ts';
import type { BenchLock } from './types.ts';

/**
 * Not $XDG_RUNTIME_DIR: that is per user, and two engineers on one host share the bench's USB
 * tty. Created 0755, never world-writable: nobody else can plant or delete a record in it. A
 * bench shared by several users names a directory their group shares (`lock.dir`, e.g. a setgid
 * 2770 directory made by the lab's admin); one made here refuses other users with EACCES.
 */
export const DEFAULT_LOCK_DIR = '/tmp/iommu-lab-locks';
const DIR_MODE = 0o755;

interface Found {
  rec?: LeaseRecord;
  ino: number;
  mtimeMs: number;
}

export class LocalLock implements BenchLock {
  readonly description: string;
  readonly path: string;
  /** Set when acquire() took over a dead lease: the message that was shown. */
  takeover?: string;
  private held?: LeaseRecord;
  private renewal?: Renewal;

  constructor(
    private readonly rig: string,
    opts: { dir?: string; ttlMs: number; runId?: string },
    private readonly lease = newLease(opts.runId, opts.ttlMs),
  ) {
    this.path = join(opts.dir ?? DEFAULT_LOCK_DIR, `${rig}.lock`);
    this.description = `lock file ${this.path}`;
  }

  async acquire(): Promise<void> {
    if (this.held) return;
    const tmp = `${this.path}.${this.lease.token}.tmp`;
    try {
      await this.ensureDir();
      await writeFile(tmp, `${JSON.stringify(this.lease)}\n`, { mode: 0o644 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const hint =
        code === 'EACCES' ? ' (another user owns the lock directory: give the rig a lock.dir your group shares)' : '';
      throw new RigError(`${this.description}: cannot write the lock: ${code ?? e}${hint}`, {
        code: 'LOCK_FAILED',
        phase: 'acquire',
      });
    }
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        if (await tryLink(tmp, this.path)) return this.started();
        const found = await this.read();
        if (!found) continue; // released between our link and our read
        const { live, why } = judge(found);
        const holder = found.rec ? printable(found.rec.owner, { max: 120 }) : 'an unreadable lock file';
        if (live) throw lockHeld(this.rig, this.path, holder, why);
        if (await this.takeOver(found, tmp)) {
          this.takeover = `took over the lock of bench ${this.rig} from ${holder} (${why})`;
          progress.emit('warn', this.takeover);
          return this.started();
        }
        await sleep(20 + Math.random() * 50);
      }
      throw lockHeld(this.rig, this.path, 'another run', 'still contended after 20 attempts');
    } finally {
      await unlink(tmp).catch(() => {});
    }
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.renewal?.stop();
    this.held = undefined;
    const found = await this.read();
    if (found?.rec?.token === this.lease.token) await unlink(this.path).catch(() => {});
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
    this.held = this.lease;
    // The pid decides for local holders; the mtime only informs a reader on another host.
    this.renewal = startRenewal(
      this.description,
      Math.max(50, this.lease.ttlMs / 3),
      async () => {
        const found = await this.read();
        if (found?.rec?.token !== this.lease.token) return false;
        const now = new Date();
        await utimes(this.path, now, now);
        return true;
      },
      { ttlMs: this.lease.ttlMs, onLost: (why) => this.notifyLost(why) },
    );
  }

  /** Replaces a dead lease under a short mutex, so two contenders cannot both take it over. */
  private async takeOver(dead: Found, tmp: string): Promise<boolean> {
    const mutex = `${this.path}.takeover`;
    try {
      await mkdir(mutex);
    } catch {
      // Another contender is mid-takeover (milliseconds), or died there: clear it when old.
      const s = await stat(mutex).catch(() => undefined);
      if (s && Date.now() - s.mtimeMs > 10_000) await rmdir(mutex).catch(() => {});
      return false;
    }
    try {
      const again = await this.read();
      if (!again || again.ino !== dead.ino || again.rec?.token !== dead.rec?.token) return false;
      await unlink(this.path);
      return await tryLink(tmp, this.path);
    } finally {
      await rmdir(mutex).catch(() => {});
    }
  }

  private async read(): Promise<Found | undefined> {
    try {
      const [text, s] = await Promise.all([readFile(this.path, 'utf8'), stat(this.path)]);
      return { rec: parseLease(text), ino: s.ino, mtimeMs: s.mtimeMs };
    } catch {
      return undefined;
    }
  }

  private async ensureDir(): Promise<void> {
    const dir = join(this.path, '..');
    try {
      mkdirSync(dir, { mode: DIR_MODE });
      await chmod(dir, DIR_MODE); // whatever the umask
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return void (await mkdir(dir, { recursive: true }));
      // Made world-writable by an older version: tighten it when it is ours.
      const s = await stat(dir);
      if (s.uid === process.getuid?.() && s.mode & 0o002) await chmod(dir, DIR_MODE);
    }
  }
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function judge({ rec, mtimeMs }: Found): { live: boolean; why: string } {
  // Distance either way: an mtime far in the future (a planted file, `touch -d 2100-01-01`) must
  // not look renewed for ever; a small clock skew between hosts counts the same both ways.
  const age = Math.round(Math.abs(Date.now() - mtimeMs) / 1000);
  if (!rec) return { live: age * 1000 < 60_000, why: `unreadable lock file, ${age} s old` };
  if (rec.host === hostname() && rec.bootId === bootId())
    return holderAlive(rec)
      ? { live: true, why: `pid ${rec.pid} is running, since ${rec.acquiredAt}` }
      : { live: false, why: `pid ${rec.pid} is gone` };
  if (rec.host === hostname()) return { live: false, why: 'left before this host rebooted' };
  // Another host sharing the lock dir: its pid means nothing here. The file's mtime, which the
  // holder renews, is compared with this host's clock: for a local filesystem, one clock.
  return { live: age * 1000 < rec.ttlMs, why: `lease renewed ${age} s ago, TTL ${rec.ttlMs / 1000} s` };
}

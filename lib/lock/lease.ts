// Who holds a bench: the record both lock kinds write, and what a contender needs to judge it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { RigError } from '../core/errors.ts';

export interface LeaseRecord {
  /** "user@host pid N run ID", the phrase every message shows. */
  owner: string;
  user: string;
  host: string;
  pid: number;
  /** Kernel boot id: a pid is only meaningful within one boot of one host. */
  bootId: string;
  /** Process start time in clock ticks since boot (/proc/<pid>/stat field 22): tells pid reuse apart. */
  startTicks: string;
  runId: string;
  /** Random; proves a lock file or directory is ours before we renew or remove it. */
  token: string;
  ttlMs: number;
  acquiredAt: string;
}

export const DEFAULT_TTL_MS = 60_000;
/**
 * The longest TTL a record read from disk is believed: a record written by hand (or by a buggy
 * run) with `ttlMs: 1e308` would otherwise hold the bench for ever. The rig schema's `lock.ttlMs`
 * has the same bound.
 */
export const MAX_TTL_MS = 10 * 60_000;

export function newLease(runId: string | undefined, ttlMs: number): LeaseRecord {
  const user = safeUser();
  const host = hostname();
  const run = runId ?? randomBytes(4).toString('hex');
  return {
    owner: `${user}@${host} pid ${process.pid} run ${run}`,
    user,
    host,
    pid: process.pid,
    bootId: bootId(),
    startTicks: startTicks(process.pid) ?? '',
    runId: run,
    token: randomBytes(12).toString('hex'),
    ttlMs: Math.min(ttlMs, MAX_TTL_MS),
    acquiredAt: new Date().toISOString(),
  };
}

/** Parses a record written by any version; undefined when it is not one. */
export function parseLease(text: string): LeaseRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<LeaseRecord>;
    if (typeof r.owner !== 'string' || typeof r.token !== 'string') return undefined;
    const ttl = typeof r.ttlMs === 'number' && r.ttlMs > 0 ? Math.min(r.ttlMs, MAX_TTL_MS) : DEFAULT_TTL_MS;
    return { ...r, ttlMs: ttl } as LeaseRecord;
  } catch {
    return undefined;
  }
}

export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

export function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Is the process that wrote `rec` still running on this host? */
export function holderAlive(rec: LeaseRecord): boolean {
  try {
    process.kill(rec.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const ticks = startTicks(rec.pid);
  return !rec.startTicks || ticks === undefined || ticks === rec.startTicks;
}

export function lockHeld(rig: string, where: string, holder: string, why: string): RigError {
  return new RigError(`bench ${rig} is locked by ${holder} (${why}); lock: ${where}`, {
    code: 'LOCK_HELD',
    phase: 'acquire',
  });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

// Maps a rig's `lock` to its implementation. An SSH lock lives on the bench controller (the RTE
// the flasher reaches), the one machine every client of that bench can see.
import { UsageError } from '../core/errors.ts';
import type { RemoteShell } from '../remote/types.ts';
import { DEFAULT_TTL_MS } from './lease.ts';
import { LocalLock } from './local.ts';
import type { LockConfig } from './schema.ts';
import { SshMkdirLock } from './ssh-mkdir.ts';

export interface LockDeps {
  /** The bench controller's shell; required for `lock.kind: 'ssh'`. */
  controller?: RemoteShell;
  runId?: string;
  ttlMs?: number;
}

/** A rig's lock section as written (the TTL may be left to its default). */
type LockedRig = { name: string; lock: Omit<LockConfig, 'ttlMs'> & { ttlMs?: number } };

export function openLock(rig: LockedRig, deps: LockDeps = {}): LocalLock | SshMkdirLock {
  const ttlMs = deps.ttlMs ?? rig.lock.ttlMs ?? DEFAULT_TTL_MS;
  // Rigs that describe one bench (lock.bench) share its lock.
  const bench = rig.lock.bench ?? rig.name;
  if (rig.lock.kind === 'local') return new LocalLock(bench, { dir: rig.lock.dir, ttlMs, runId: deps.runId });
  if (!deps.controller)
    throw new UsageError(
      `rig ${rig.name}: lock.kind "ssh" needs the bench controller (flasher.controller) to hold the lock`,
    );
  return new SshMkdirLock(bench, deps.controller, { dir: rig.lock.dir, ttlMs, runId: deps.runId });
}

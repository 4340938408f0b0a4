// One twin per host: the daemon holds twinPaths.lock (its pid inside). A lock whose pid is gone
// (a killed CI job) is stale and taken over, never reported as "held".
import { readFileSync } from 'node:fs';
import { RigError } from '../../lib/core/errors.ts';
import { pidLockHolder as lockHolder, tryPidLock } from '../../lib/core/pid-lock.ts';
import { processAlive } from '../../lib/core/process-alive.ts';

// The lock itself is lib's pid-file lock; this file adds the twin's names and its refusal.
export { pidLockHolder as lockHolder, releasePidLock as releaseLock } from '../../lib/core/pid-lock.ts';
export { processAlive as alive };

/** True when pid runs the twin daemon (the lock may also be held by a plain-QEMU test run). */
export function isTwinDaemon(pid: number): boolean {
  try {
    return (
      readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        // twin/daemon.ts: a daemon started before the twin's assembly moved to twin/daemon/.
        .some((a) => /twin\/(daemon\/)?daemon\.ts$/.test(a))
    );
  } catch {
    return false;
  }
}

export function acquireLock(lockFile: string, pid = process.pid): void {
  if (tryPidLock(lockFile, pid)) return;
  const holder = lockHolder(lockFile);
  throw new RigError(
    holder
      ? `another twin is running (pid ${holder}, lock ${lockFile}); run \`iommu-lab twin down\``
      : `could not take ${lockFile}`,
    { code: 'TWIN_LOCKED' },
  );
}

// One twin per host: the daemon holds twinPaths.lock (its pid inside). A lock whose pid is gone
// (a killed CI job) is stale and taken over, never reported as "held".
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { RigError } from '../../lib/core/errors.ts';
import { processAlive } from '../../lib/core/process-alive.ts';

export function lockHolder(lockFile: string): number | undefined {
  if (!existsSync(lockFile)) return undefined;
  const pid = Number(readFileSync(lockFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
}

export { processAlive as alive };

/** True when pid runs the twin daemon (the lock may also be held by a plain-QEMU test run). */
export function isTwinDaemon(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((a) => a.endsWith('twin/daemon.ts'));
  } catch {
    return false;
  }
}

export function acquireLock(lockFile: string, pid = process.pid): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = lockHolder(lockFile);
      if (holder && holder !== pid) {
        throw new RigError(`another twin is running (pid ${holder}, lock ${lockFile}); run \`iommu-lab twin down\``, {
          code: 'TWIN_LOCKED',
          part: 'twin',
        });
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new RigError(`could not take ${lockFile}`, { code: 'TWIN_LOCKED', part: 'twin' });
}

export function releaseLock(lockFile: string, pid = process.pid): void {
  if (existsSync(lockFile) && Number(readFileSync(lockFile, 'utf8').trim()) === pid) rmSync(lockFile, { force: true });
}

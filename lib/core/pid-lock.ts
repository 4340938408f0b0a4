// A pid-file lock: the file holds its holder's pid, is created exclusively, and a file whose pid
// is gone (a killed process) is stale and taken over. The twin daemon's lock and the image build
// lock are both this; what a caller does when it is held (fail, or wait) is the caller's.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { processAlive } from './process-alive.ts';

/** The live pid holding `lockFile`; undefined when there is none or it is stale. */
export function pidLockHolder(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock for `pid`: true when taken (or already `pid`'s), false when another live pid holds it. */
export function tryPidLock(lockFile: string, pid = process.pid): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = pidLockHolder(lockFile);
      if (holder && holder !== pid) return false;
      rmSync(lockFile, { force: true });
    }
  }
  return false;
}

/** Removes the lock only when `pid` holds it. */
export function releasePidLock(lockFile: string, pid = process.pid): void {
  try {
    if (Number(readFileSync(lockFile, 'utf8').trim()) === pid) rmSync(lockFile, { force: true });
  } catch {}
}

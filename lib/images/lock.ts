// One image build per folder of sets at a time: two callers (a CLI and a starting twin, or two
// shells) must not run mmdebstrap twice at once. A pid file; a lock whose pid is gone (a killed
// build) is stale and taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { RigError } from '../core/errors.ts';
import { processAlive } from '../core/process-alive.ts';
import { progress } from '../core/progress.ts';
import { sleep } from '../core/time.ts';

function holder(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when taken; false when another live process holds it. */
function tryLock(lockFile: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = holder(lockFile);
      if (pid && pid !== process.pid) return false;
      rmSync(lockFile, { force: true });
    }
  }
  return false;
}

export async function waitForBuildLock(lockFile: string, label: string, timeoutMs = 45 * 60_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (tryLock(lockFile)) return;
    progress.emit('info', `${label}: another build is running, waiting for it`);
    await sleep(2000);
  }
  throw new RigError(`another image build held ${lockFile} for ${timeoutMs / 60_000} min`, {
    code: 'IMAGES_LOCKED',
    part: 'host',
  });
}

export function releaseBuildLock(lockFile: string): void {
  rmSync(lockFile, { force: true });
}

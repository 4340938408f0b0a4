// One image build per folder of sets at a time: two callers (a CLI and a starting twin, or two
// shells) must not run mmdebstrap twice at once: a pid-file lock (lib/core/pid-lock.ts), waited for.
import { RigError } from '../core/errors.ts';
import { releasePidLock, tryPidLock } from '../core/pid-lock.ts';
import { progress } from '../core/progress.ts';
import { sleep } from '../core/time.ts';

export async function waitForBuildLock(lockFile: string, label: string, timeoutMs = 45 * 60_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (tryPidLock(lockFile)) return;
    progress.emit('info', `${label}: another build is running, waiting for it`);
    await sleep(2000);
  }
  throw new RigError(`another image build held ${lockFile} for ${timeoutMs / 60_000} min`, {
    code: 'IMAGES_LOCKED',
  });
}

export function releaseBuildLock(lockFile: string): void {
  releasePidLock(lockFile);
}

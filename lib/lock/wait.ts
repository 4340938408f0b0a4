// `run --wait-lock <s>`: queue on a held bench instead of failing at once. Says who holds it,
// re-checks with back-off (1 s doubling to 15 s), and gives up with LOCK_TIMEOUT. A queue of
// CI jobs is the CI engine's business (resource groups, lockable resources): this only waits.
import { isRigError, RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { sleep } from '../core/time.ts';
import type { BenchLock } from './types.ts';

export async function acquireWaiting(lock: BenchLock, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let pause = 1000;
  let lastHolder = '';
  for (;;) {
    try {
      return await lock.acquire();
    } catch (e) {
      if (!isRigError(e, 'LOCK_HELD') || waitMs <= 0) throw e;
      const holder = (e as Error).message;
      if (Date.now() >= deadline)
        throw new RigError(`gave up waiting ${Math.round(waitMs / 1000)} s for the bench: ${holder}`, {
          code: 'LOCK_TIMEOUT',
          phase: 'acquire',
        });
      if (holder !== lastHolder) progress.emit('info', `waiting for the bench: ${holder}`);
      lastHolder = holder;
      await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
      pause = Math.min(pause * 2, 15_000);
    }
  }
}

// The bench's lock as the first thing a session holds. Its release is registered before the
// lease is ours: a teardown while the lock is being taken waits for it, then releases it.
import { progress } from '../core/progress.ts';
import { step } from '../core/step.ts';
import { acquireWaiting } from '../lock/wait.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import type { PartFactories } from './parts.ts';
import type { TeardownStack } from './teardown.ts';

/** What takes the lock: a session (not named, so this file stays below it). */
export interface LockTaker {
  readonly rig: Rig;
  readonly teardown: TeardownStack;
  controller(): Promise<RemoteShell>;
}

export async function takeLock(
  s: LockTaker,
  parts: PartFactories,
  waitMs: number,
  onLost: (why: string) => void,
): Promise<void> {
  progress.emit('stage', 'lock');
  const lock = await parts.lock(s.rig, { controller: () => s.controller() });
  lock.onLost?.(onLost);
  const acquiring = acquireWaiting(lock, waitMs);
  s.teardown.push('release lock', async () => {
    await acquiring.catch(() => {});
    await lock.release();
  });
  await step('lock bench', { rig: s.rig.name, lock: lock.description }, () => acquiring);
}

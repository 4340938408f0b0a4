// Tools that drive the twin's endpoints directly (the e2e tests, the boot bench) take the same
// bench lock as an iommu-lab session on the twin rig, waiting their turn instead of fighting a
// running session for the relay.

import { isRigError } from '../../lib/core/errors.ts';
import { LocalLock } from '../../lib/lock/local.ts';
import { isTwinDaemon, lockHolder } from '../base/lock.ts';
import { twinBenchName, twinPaths } from '../base/paths.ts';
import { twinUp } from '../daemon/manage.ts';

/** Waits until the host's twin lock is free or held by the twin daemon (not by a plain-QEMU test). */
async function waitForTwinSlot(waitMs = 15 * 60_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const pid = lockHolder(twinPaths.lock);
    if (!pid || isTwinDaemon(pid)) return;
    if (Date.now() > deadline) throw new Error(`twin lock still held by pid ${pid} after ${waitMs} ms`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

/** The lock an iommu-lab session on the twin rig takes (local, default dir, the bench's name), not yet taken. */
export function twinBenchLock(ttlMs = 60_000): LocalLock {
  return new LocalLock(twinBenchName, { ttlMs });
}

export async function holdTwinBench(waitMs = 15 * 60_000): Promise<LocalLock> {
  const lock = twinBenchLock();
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await lock.acquire();
      await waitForTwinSlot(Math.max(0, deadline - Date.now()));
      return lock;
    } catch (e) {
      if (!isRigError(e, 'LOCK_HELD') || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

/** twinUp() for tools that share the host with plain-QEMU test runs: waits for the twin lock. */
export async function twinUpWhenFree(waitMs = 15 * 60_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    await waitForTwinSlot(Math.max(0, deadline - Date.now()));
    try {
      await twinUp();
      return;
    } catch (e) {
      if (!isRigError(e, 'TWIN_LOCKED') || Date.now() > deadline) throw e;
    }
  }
}

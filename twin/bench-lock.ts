// Tools that drive the twin's endpoints directly (the e2e tests, the boot bench) take the same
// bench lock as an iommu-lab session on the twin rig, waiting their turn instead of fighting a
// running session for the relay.
import { LocalLock } from '../lib/lock/local.ts';
import twinRig from '../rigs/apu2-twin.ts';

export async function holdTwinBench(waitMs = 15 * 60_000): Promise<LocalLock> {
  const dir = twinRig.lock.kind === 'local' ? twinRig.lock.dir : undefined;
  const lock = new LocalLock(twinRig.name, { dir, ttlMs: 60_000 });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await lock.acquire();
      return lock;
    } catch (e) {
      if ((e as { code?: string }).code !== 'LOCK_HELD' || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

// Queueing on a held bench: the second holder waits and gets the lock once the first lets go,
// or gives up with LOCK_TIMEOUT; without waiting it is refused at once. Real lock files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigError } from '../../lib/core/errors.ts';
import { LocalLock } from '../../lib/lock/local.ts';
import { acquireWaiting } from '../../lib/lock/wait.ts';

describe('lock/wait', function () {
  this.timeout(20_000);
  let dir: string;
  let first: LocalLock;
  let second: LocalLock;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-wait-'));
    first = new LocalLock('bench-9', { dir, ttlMs: 60_000, runId: 'first' });
    second = new LocalLock('bench-9', { dir, ttlMs: 60_000, runId: 'second' });
  });

  afterEach(async () => {
    await first.release();
    await second.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a held bench at once without a wait', async () => {
    await first.acquire();
    const t0 = Date.now();
    await assert.rejects(acquireWaiting(second, 0), (e: unknown) => isRigError(e, 'LOCK_HELD'));
    assert.ok(Date.now() - t0 < 1000);
  });

  it('waits for the holder and takes the bench when it is released', async () => {
    await first.acquire();
    setTimeout(() => void first.release(), 1500);
    const t0 = Date.now();
    await acquireWaiting(second, 10_000);
    assert.ok(Date.now() - t0 >= 1400, 'took the lock while it was still held');
    await assert.rejects(first.acquire(), (e: unknown) => isRigError(e, 'LOCK_HELD'));
  });

  it('gives up with LOCK_TIMEOUT naming the holder', async () => {
    await first.acquire();
    await assert.rejects(acquireWaiting(second, 1500), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'LOCK_TIMEOUT');
      assert.match(e.message, /gave up waiting 2 s for the bench: bench bench-9 is locked by/);
      return true;
    });
  });
});

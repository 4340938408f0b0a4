// The pid-file lock the twin daemon and the image builds share: taken, refused to another live
// pid, taken over from a dead one, released only by its holder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidLockHolder, releasePidLock, tryPidLock } from '../../lib/core/pid-lock.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('core/pid-lock', () => {
  it('is taken once, refused to another live pid, and freed by its holder', () => {
    const lock = join(tempDir('pid-lock-'), 'x.lock');
    assert.equal(tryPidLock(lock), true);
    assert.equal(tryPidLock(lock), true, 'its own holder takes it again');
    assert.equal(pidLockHolder(lock), process.pid);
    assert.equal(tryPidLock(lock, process.pid + 1), false);
    releasePidLock(lock, process.pid + 1);
    assert.equal(pidLockHolder(lock), process.pid, 'released by someone else');
    releasePidLock(lock);
    assert.equal(pidLockHolder(lock), undefined);
  });

  it('takes over a lock whose pid is gone, and a lock file that holds no pid', () => {
    const dir = tempDir('pid-lock-');
    const lock = join(dir, 'x.lock');
    writeFileSync(lock, `${spawnSync('true').pid}\n`);
    assert.equal(pidLockHolder(lock), undefined);
    assert.equal(tryPidLock(lock), true);
    assert.equal(readFileSync(lock, 'utf8').trim(), String(process.pid));
    writeFileSync(lock, 'garbage\n');
    assert.equal(tryPidLock(lock), true);
    releasePidLock(join(dir, 'missing.lock'));
  });
});

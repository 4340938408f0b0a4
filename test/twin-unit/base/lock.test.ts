import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigError } from '../../../lib/core/errors.ts';
import { acquireLock, isTwinDaemon, lockHolder, releaseLock } from '../../../twin/base/lock.ts';

describe('twin host lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'twin-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is held by a live pid and refused to another', () => {
    const lock = join(dir, 'twin.lock');
    acquireLock(lock);
    assert.equal(lockHolder(lock), process.pid);
    assert.throws(
      () => acquireLock(lock, process.pid + 1),
      (e: unknown) => isRigError(e, 'TWIN_LOCKED'),
    );
    releaseLock(lock);
    assert.equal(lockHolder(lock), undefined);
  });

  it('takes over a lock whose process is gone (a killed CI job)', () => {
    const lock = join(dir, 'twin.lock');
    const dead = spawnSync('true').pid;
    writeFileSync(lock, `${dead}\n`);
    assert.equal(lockHolder(lock), undefined);
    acquireLock(lock);
    assert.equal(readFileSync(lock, 'utf8').trim(), String(process.pid));
  });

  it('release leaves a lock taken by someone else alone', () => {
    const lock = join(dir, 'twin.lock');
    writeFileSync(lock, '1\n');
    releaseLock(lock);
    assert.equal(readFileSync(lock, 'utf8').trim(), '1');
  });
});

describe('twin daemon identity', () => {
  it('only a process running twin/daemon.ts counts as the twin daemon', () => {
    assert.equal(isTwinDaemon(process.pid), false);
    assert.equal(isTwinDaemon(999_999_999), false);
  });
});

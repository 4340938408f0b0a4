import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnHolder } from './spawn-holder.ts';

// Each case is a real process holding a real lock, ended the way a run can end.
describe('lock/exit-handlers', function () {
  this.timeout(30_000);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lock-exit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const end = async (kind: 'local' | 'ssh', mode: string, signal?: NodeJS.Signals) => {
    const h = spawnHolder(kind, dir, 'bench-9', 60_000, mode);
    assert.match(await h.first, /^ACQUIRED/);
    if (signal) {
      assert.ok(existsSync(join(dir, 'bench-9.lock')), 'lock taken');
      h.child.kill(signal);
    }
    const result = await h.exited;
    assert.ok(!existsSync(join(dir, 'bench-9.lock')), `lock left after ${kind} ${mode} ${signal ?? ''}`);
    return result;
  };

  it('releases on SIGTERM and SIGINT, then the process dies of the signal', async () => {
    assert.equal((await end('local', 'handlers-hold', 'SIGTERM')).signal, 'SIGTERM');
    assert.equal((await end('local', 'handlers-hold', 'SIGINT')).signal, 'SIGINT');
    assert.equal((await end('ssh', 'handlers-hold', 'SIGINT')).signal, 'SIGINT');
  });

  it('releases on process.exit() and at a normal end (the SSH lock asynchronously)', async () => {
    assert.equal((await end('local', 'handlers-exit')).code, 0);
    assert.equal((await end('ssh', 'handlers-end')).code, 0);
  });

  it('releases on an uncaught error, watching it or owning it', async () => {
    assert.equal((await end('local', 'handlers-throw')).code, 1);
    const owned = await end('ssh', 'handlers-own-throw');
    assert.equal(owned.code, 2);
    assert.match(owned.stderr, /uncaught error: Error: boom/);
  });
});

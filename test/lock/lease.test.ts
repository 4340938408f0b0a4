import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holderAlive, MAX_TTL_MS, newLease, parseLease, startTicks } from '../../lib/lock/lease.ts';

describe('lock/lease', () => {
  it('names the owner as user@host pid N run ID', () => {
    const l = newLease('r42', 1000);
    assert.match(l.owner, new RegExp(`^\\S+@\\S+ pid ${process.pid} run r42$`));
    assert.notEqual(newLease('r42', 1000).token, l.token);
  });

  it('reads the start time of a process whose name has spaces and parentheses', async () => {
    // The kernel's comm is the name of the file executed: a symlink named like that.
    const dir = mkdtempSync(join(tmpdir(), 'lease-'));
    const odd = join(dir, 'x) (y z');
    symlinkSync('/bin/sleep', odd);
    const plain = spawn('sleep', ['5'], { stdio: 'ignore' });
    const weird = spawn(odd, ['5'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      assert.match(readFileSync(`/proc/${weird.pid}/stat`, 'utf8'), /\(x\) \(y z\)/);
      const a = Number(startTicks(plain.pid!));
      const b = Number(startTicks(weird.pid!));
      // Started together: within a second (100 ticks) of each other.
      assert.ok(a > 0 && Math.abs(a - b) < 100, `start ticks ${a} vs ${b}`);
    } finally {
      plain.kill();
      weird.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sees a live holder, a dead one, and a reused pid', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
    const rec = { ...newLease('x', 1000), pid: child.pid!, startTicks: startTicks(child.pid!)! };
    assert.equal(holderAlive(rec), true);
    assert.equal(holderAlive({ ...rec, startTicks: '1' }), false, 'same pid, other start time: reused');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    assert.equal(holderAlive(rec), false);
  });

  it('parses only lease records', () => {
    assert.equal(parseLease('not json'), undefined);
    assert.equal(parseLease('{"owner":1}'), undefined);
    assert.equal(parseLease('{"owner":"a","token":"t"}')?.ttlMs, 60_000);
  });

  it('caps the TTL a record claims, and the TTL it writes', () => {
    assert.equal(parseLease('{"owner":"a","token":"t","ttlMs":1e308}')?.ttlMs, MAX_TTL_MS);
    assert.equal(parseLease('{"owner":"a","token":"t","ttlMs":-5}')?.ttlMs, 60_000);
    assert.equal(newLease('r', 1e12).ttlMs, MAX_TTL_MS);
  });
});

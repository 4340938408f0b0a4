import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigError, type RigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { sleep } from '../../lib/core/time.ts';
import { newLease } from '../../lib/lock/lease.ts';
import { LocalLock } from '../../lib/lock/local.ts';
import { openLock } from '../../lib/lock/open.ts';
import { lockHeldError } from '../helpers/no-control.ts';
import { spawnHolder } from './spawn-holder.ts';

const rig = 'bench-7';

describe('lock/local', function () {
  this.timeout(30_000);
  let dir = '';
  const locks: LocalLock[] = [];
  const lock = (ttlMs = 60_000, runId?: string) => {
    const l = openLock({ name: rig, lock: { kind: 'local', dir } }, { ttlMs, runId }) as LocalLock;
    locks.push(l);
    return l;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lock-local-'));
  });
  afterEach(async () => {
    for (const l of locks.splice(0)) await l.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets exactly one of two racing sessions in, and names the holder to the other', async () => {
    const [a, b] = [lock(60_000, 'run-a'), lock(60_000, 'run-b')];
    const results = await Promise.allSettled([a.acquire(), b.acquire()]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    const e = lost[0]!.reason as RigError;
    assert.ok(isRigError(e));
    assert.equal(e.code, 'LOCK_HELD');
    const winner = results[0]!.status === 'fulfilled' ? 'run-a' : 'run-b';
    assert.match(
      e.message,
      new RegExp(
        `^bench bench-7 is locked by \\S+@\\S+ pid ${process.pid} run ${winner} \\(pid ${process.pid} is running`,
      ),
    );
    assert.match(e.message, /lock: .*bench-7\.lock$/);
  });

  it('lets exactly one of four racing processes in', async () => {
    const holders = [0, 1, 2, 3].map(() => spawnHolder('local', dir, rig, 60_000, 'hold'));
    try {
      const lines = await Promise.all(holders.map((h) => h.first));
      assert.equal(lines.filter((l) => l.startsWith('ACQUIRED')).length, 1, lines.join('\n'));
      const winnerPid = lines.find((l) => l.startsWith('ACQUIRED'))!.split(' ')[1];
      for (const l of lines.filter((x) => x.startsWith('HELD')))
        assert.match(l, new RegExp(`LOCK_HELD|locked by \\S+ pid ${winnerPid} run child-hold`));
    } finally {
      for (const h of holders) h.child.kill('SIGKILL');
      await Promise.all(holders.map((h) => h.exited));
    }
  });

  it('takes over at once a lease left by a killed process, naming the previous owner', async () => {
    const h = spawnHolder('local', dir, rig, 60_000, 'hold');
    const pid = (await h.first).split(' ')[1];
    await assert.rejects(lock().acquire(), /LOCK_HELD|is locked by/);
    h.child.kill('SIGKILL');
    await h.exited;
    const warnings: string[] = [];
    const onWarn = (m: string) => warnings.push(m);
    progress.on('warn', onWarn);
    try {
      const l = lock(60_000, 'after');
      await l.acquire();
      assert.match(l.takeover ?? '', new RegExp(`from \\S+@\\S+ pid ${pid} run child-hold \\(pid ${pid} is gone\\)`));
      assert.deepEqual(warnings, [l.takeover]);
      assert.match(readFileSync(l.path, 'utf8'), /"runId":"after"/);
    } finally {
      progress.off('warn', onWarn);
    }
  });

  it('keeps a renewed lease of another host, and takes over one that stopped being renewed', async () => {
    const foreign = new LocalLock(rig, { dir, ttlMs: 300 }, { ...newLease('far', 300), host: 'bench-host-2' });
    locks.push(foreign);
    await foreign.acquire();
    await sleep(1000); // three TTLs: only renewal keeps it alive
    await assert.rejects(lock().acquire(), /locked by \S+@\S+ pid \d+ run far \(lease renewed 0 s ago, TTL 0.3 s\)/);
    await foreign.release();

    const stale = { ...newLease('gone', 1000), host: 'bench-host-3' };
    writeFileSync(join(dir, `${rig}.lock`), JSON.stringify(stale));
    utimesSync(join(dir, `${rig}.lock`), new Date(Date.now() - 5000), new Date(Date.now() - 5000));
    const l = lock();
    await l.acquire();
    assert.match(l.takeover ?? '', /from \S+ pid \d+ run gone \(lease renewed 5 s ago, TTL 1 s\)/);
  });

  it('releases idempotently and only its own lease', async () => {
    const a = lock();
    await a.release(); // never acquired
    await a.acquire();
    await a.acquire(); // already held: no error
    assert.ok(existsSync(a.path));
    await a.release();
    await a.release();
    assert.ok(!existsSync(a.path));
    const b = lock();
    await b.acquire();
    await a.release();
    assert.ok(existsSync(b.path), "a's second release must not remove b's lease");
  });

  it('treats an unreadable fresh lock file as held and an old one as stale', async () => {
    const path = join(dir, `${rig}.lock`);
    writeFileSync(path, 'garbage');
    await assert.rejects(lock().acquire(), /locked by an unreadable lock file/);
    utimesSync(path, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    const l = lock();
    await l.acquire();
    assert.match(l.takeover ?? '', /unreadable lock file, 120 s old/);
  });

  it('reports a lock directory it cannot write', async () => {
    writeFileSync(join(dir, 'file'), '');
    const l = new LocalLock(rig, { dir: join(dir, 'file'), ttlMs: 1000 });
    await assert.rejects(l.acquire(), (e: unknown) => isRigError(e, 'LOCK_FAILED') && /ENOTDIR|EEXIST/.test(e.message));
  });

  it('makes its lock directory 0755, never world-writable', async () => {
    const sub = join(dir, 'locks');
    const l = new LocalLock(rig, { dir: sub, ttlMs: 1000 });
    locks.push(l);
    await l.acquire();
    assert.equal(statSync(sub).mode & 0o7777, 0o755);
    assert.equal(statSync(l.path).mode & 0o022, 0, 'the lock file is writable by others');
    await l.release();
    chmodSync(sub, 0o777); // as an older version left it
    await l.acquire();
    assert.equal(statSync(sub).mode & 0o7777, 0o755);
  });

  it('caps the TTL of a planted record, and expires a foreign record by its age', async () => {
    const path = join(dir, `${rig}.lock`);
    const plant = (ttlMs: number, mtime: Date) => {
      writeFileSync(path, JSON.stringify({ ...newLease('planted', 1000), host: 'elsewhere', ttlMs }));
      utimesSync(path, mtime, mtime);
    };
    plant(1e308, new Date(Date.now() - 61 * 60_000));
    const a = lock();
    await a.acquire();
    assert.match(a.takeover ?? '', /run planted \(lease renewed 3660 s ago, TTL 600 s\)/);
    await a.release();
    // "Renewed" far in the future (touch -d 2100-01-01) is no renewal.
    plant(60_000, new Date('2100-01-01T00:00:00Z'));
    const b = lock();
    await b.acquire();
    assert.match(b.takeover ?? '', /run planted/);
  });

  it("shows a holder's owner field with its control bytes escaped", async () => {
    const evil = { ...newLease('x', 60_000), host: 'elsewhere', owner: 'mallory\x1b]0;pwned\x07\x1b[2J\x9b' };
    writeFileSync(join(dir, `${rig}.lock`), JSON.stringify(evil));
    const e = await lockHeldError(lock().acquire());
    assert.match(e.message, /locked by mallory\\e\]0;pwned\\x07\\e\[2J\\x9b \(/);
  });
});

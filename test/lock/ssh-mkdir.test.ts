import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigError, type RigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { sleep } from '../../lib/core/time.ts';
import { newLease } from '../../lib/lock/lease.ts';
import { openLock } from '../../lib/lock/open.ts';
import type { SshMkdirLock } from '../../lib/lock/ssh-mkdir.ts';
import { LocalShell } from '../../lib/remote/local.ts';
import { lockHeldError } from '../helpers/no-control.ts';
import { spawnHolder } from './spawn-holder.ts';

const rig = 'apu2-rte-3';

describe('lock/ssh-mkdir', function () {
  this.timeout(30_000);
  let root = '';
  let dir = '';
  const locks: SshMkdirLock[] = [];
  const lock = (ttlMs = 60_000, runId?: string, shell = new LocalShell()) => {
    const l = openLock({ name: rig, lock: { kind: 'ssh', dir } }, { controller: shell, ttlMs, runId }) as SshMkdirLock;
    locks.push(l);
    return l;
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lock-ssh-'));
    // A directory name that only survives correct quoting.
    dir = join(root, "var/lock/it's iommu-lab $HOME");
  });
  afterEach(async () => {
    for (const l of locks.splice(0)) await l.release();
    rmSync(root, { recursive: true, force: true });
  });

  it('needs the controller shell', () => {
    assert.throws(() => openLock({ name: rig, lock: { kind: 'ssh', dir } }), /needs the bench controller/);
  });

  it('lets exactly one of two racing sessions in, and names the holder to the other', async () => {
    const [a, b] = [lock(60_000, 'run-a'), lock(60_000, 'run-b')];
    const results = await Promise.allSettled([a.acquire(), b.acquire()]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    const e = lost.reason as RigError;
    assert.ok(isRigError(e));
    assert.equal(e.code, 'LOCK_HELD');
    const winner = results[0]!.status === 'fulfilled' ? 'run-a' : 'run-b';
    assert.match(
      e.message,
      new RegExp(`locked by \\S+@\\S+ pid ${process.pid} run ${winner} \\(last renewed [01] s ago`),
    );
    // The lock is a real directory at the literal (quoted) path.
    const owner = JSON.parse(readFileSync(join(dir, `${rig}.lock`, 'owner'), 'utf8'));
    assert.equal(owner.runId, winner);
  });

  it('renewal keeps a live lease from being taken over, quietly (no steps)', async () => {
    const a = lock(1500, 'live');
    await a.acquire();
    const steps: string[] = [];
    const onStep = (s: string) => steps.push(s);
    progress.on('step', onStep);
    await sleep(4000); // well past the TTL: only the heartbeat keeps it
    progress.off('step', onStep);
    assert.deepEqual(steps, []);
    await assert.rejects(lock(1500).acquire(), /locked by .* run live \(last renewed [01] s ago/);
    assert.ok(Number(readFileSync(join(dir, `${rig}.lock`, 'beat'), 'utf8')) >= 3);
  });

  it('takes over the lease of a killed process once it has not been renewed for the TTL', async () => {
    const h = spawnHolder('ssh', dir, rig, 1500, 'hold');
    const pid = (await h.first).split(' ')[1];
    h.child.kill('SIGKILL');
    await h.exited;
    await assert.rejects(lock(1500).acquire(), /LOCK_HELD|locked by/);
    let taken: SshMkdirLock | undefined;
    for (let i = 0; i < 20 && !taken; i++) {
      const l = lock(1500, 'next');
      try {
        await l.acquire();
        taken = l;
      } catch (e) {
        assert.equal((e as RigError).code, 'LOCK_HELD');
        await sleep(500);
      }
    }
    assert.ok(taken, 'never taken over');
    assert.match(
      taken.takeover ?? '',
      new RegExp(
        `from \\S+ pid ${pid} run child-hold \\(last renewed \\d+ s ago by the controller's clock, TTL 1.5 s\\)`,
      ),
    );
    assert.match(readFileSync(join(dir, `${rig}.lock`, 'owner'), 'utf8'), /"runId":"next"/);
  });

  it('releases idempotently, and only its own lease', async () => {
    const a = lock();
    await a.release();
    await a.acquire();
    await a.release();
    await a.release();
    assert.ok(!existsSync(join(dir, `${rig}.lock`)));
    const b = lock();
    await b.acquire();
    await a.release();
    assert.ok(existsSync(join(dir, `${rig}.lock`, 'owner')));
  });

  it('reports a lock directory that cannot be created', async () => {
    writeFileSync(join(root, 'file'), '');
    dir = join(root, 'file');
    const e = await lock()
      .acquire()
      .catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'LOCK_FAILED');
    assert.match(e.message, /cannot create the lock: mkdir: .*Not a directory/);
  });

  it('takes over a stale lock whose owner file has two lines (compares the same thing on both sides)', async () => {
    const l = join(dir, `${rig}.lock`);
    mkdirSync(l, { recursive: true });
    const dead = newLease('two-lines', 1000);
    writeFileSync(join(l, 'owner'), `${JSON.stringify(dead)}\nleft here by an older tool\n`);
    writeFileSync(join(l, 'beat'), '7\n');
    const old = new Date(Date.now() - 30_000);
    utimesSync(join(l, 'beat'), old, old);
    const t0 = performance.now();
    const next = lock(1500, 'next');
    await next.acquire();
    assert.ok(performance.now() - t0 < 5000, `took ${Math.round(performance.now() - t0)} ms`);
    assert.match(next.takeover ?? '', /run two-lines \(last renewed 3\d s ago by the controller's clock, TTL 1 s\)$/);
    assert.match(readFileSync(join(l, 'owner'), 'utf8'), /"runId":"next"/);
  });

  it("shows a holder's owner field with its control bytes escaped", async () => {
    const l = join(dir, `${rig}.lock`);
    mkdirSync(l, { recursive: true });
    writeFileSync(
      join(l, 'owner'),
      `${JSON.stringify({ ...newLease('x', 60_000), owner: 'eve\x1b[2J\x1b]0;x\x07' })}\n`,
    );
    writeFileSync(join(l, 'beat'), '0\n');
    const e = await lockHeldError(lock().acquire());
    assert.match(e.message, /locked by eve\\e\[2J\\e\]0;x\\x07 \(last renewed/);
  });
});

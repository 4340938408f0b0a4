// The one local runner, against real processes: argv passed literally, stdin, exit codes and
// signals, a timeout or an abort that kills the whole process group (also children that ignore
// SIGTERM), a program that cannot start, the output cap.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigError } from '../../lib/core/errors.ts';
import { check, exec, KILL_AFTER_MS } from '../../lib/core/exec.ts';
import { isCommandError } from '../../lib/core/result.ts';
import { liveInGroup } from '../helpers/processes.ts';

/** The group's processes once they finished exiting (closing their pipes comes a moment before). */
async function survivors(pgid: number): Promise<number[]> {
  for (let i = 0; i < 20 && liveInGroup(pgid).length; i++) await new Promise((r) => setTimeout(r, 50));
  return liveInGroup(pgid);
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );

describe('core/exec', () => {
  it('returns the one result shape, each argument passed literally (no shell)', async () => {
    const r = await exec(['sh', '-c', 'printf "%s|" "$@"; echo err >&2; exit 4', 'sh', 'a b', "it's", '$HOME']);
    assert.deepEqual(
      { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, timedOut: r.timedOut, signal: r.signal },
      { stdout: "a b|it's|$HOME|", stderr: 'err\n', exitCode: 4, timedOut: false, signal: undefined },
    );
    assert.equal(r.command, `sh -c 'printf "%s|" "$@"; echo err >&2; exit 4' sh 'a b' 'it'\\''s' '$HOME'`);
    assert.ok(r.durationMs >= 0 && Number.isInteger(r.durationMs));
  });

  it('feeds stdin when given, else gives /dev/null; takes cwd and env', async () => {
    assert.equal((await exec(['cat'], { input: 'hello\n' })).stdout, 'hello\n');
    assert.equal((await exec(['cat'], { input: Buffer.from([0xc3, 0xa9]) })).stdout, 'é');
    assert.equal((await exec(['cat'])).stdout, '');
    const r = await exec(['sh', '-c', 'pwd; echo "$IOMMU_LAB_X"'], {
      cwd: '/tmp',
      env: { IOMMU_LAB_X: 'y', PATH: process.env.PATH },
    });
    assert.equal(r.stdout, '/tmp\ny\n');
  });

  it('reports death by a signal', async () => {
    const r = await exec(['sh', '-c', 'kill -TERM $$']);
    assert.deepEqual([r.exitCode, r.signal, r.timedOut], [null, 'SIGTERM', false]);
  });

  it('on timeout kills the whole group, SIGKILL for what ignores SIGTERM', async () => {
    // The shell and its child both ignore SIGTERM (the child inherits the ignored disposition).
    const script = 'trap "" TERM; sleep 30 & echo $$; wait; echo never';
    const r = await exec(['sh', '-c', script], { timeoutMs: 300 });
    assert.deepEqual([r.timedOut, r.exitCode, r.signal], [true, null, undefined]);
    assert.ok(r.durationMs >= 300 + KILL_AFTER_MS - 50 && r.durationMs < 3000, `took ${r.durationMs} ms`);
    const pgid = Number(r.stdout.trim());
    assert.ok(pgid > 1, r.stdout);
    assert.deepEqual(await survivors(pgid), [], 'nothing of the group survives');
    assert.ok(!r.stdout.includes('never'));
  });

  it('an abort kills the group and rejects with INTERRUPTED', async () => {
    const ac = new AbortController();
    const p = exec(['sh', '-c', 'echo $$ > "$0"; sleep 30 | cat', join(tmpdir(), `iommu-lab-abort-${process.pid}`)], {
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(new Error('SIGINT')), 300);
    const e = await rejection(p);
    const pgid = Number(readFileSync(join(tmpdir(), `iommu-lab-abort-${process.pid}`), 'utf8'));
    rmSync(join(tmpdir(), `iommu-lab-abort-${process.pid}`));
    assert.ok(pgid > 1);
    assert.deepEqual(await survivors(pgid), []);
    assert.ok(isRigError(e, 'INTERRUPTED'), String(e));
    assert.match(e.message, /interrupted: Error: SIGINT/);
    await assert.rejects(exec(['true'], { signal: ac.signal }), (x: unknown) => isRigError(x, 'INTERRUPTED'));
  });

  it('a program that cannot start is a clear EXEC_SPAWN error, not a result', async () => {
    const missing = await rejection(exec(['/nonexistent/pdu-ctl', 'on']));
    assert.ok(isRigError(missing, 'EXEC_SPAWN'), String(missing));
    assert.equal(missing.message, 'cannot start `/nonexistent/pdu-ctl on`: ENOENT (not installed, or not on PATH?)');
    const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-exec-'));
    try {
      writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
      chmodSync(join(dir, 'tool'), 0o644);
      const denied = await rejection(exec([join(dir, 'tool')]));
      assert.ok(isRigError(denied, 'EXEC_SPAWN'));
      assert.match(denied.message, /: EACCES$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps only the last maxBytes of each stream', async () => {
    const r = await exec(['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" a; printf END; echo e >&2'], {
      maxBytes: 1000,
    });
    assert.equal(r.exitCode, 0);
    const [marker, kept] = r.stdout.split('\n');
    assert.equal(marker, '[... 99003 bytes of earlier output dropped]');
    assert.equal(kept, `${'a'.repeat(997)}END`);
    assert.equal(r.stderr, 'e\n');
  });

  it('does not wait for a daemon that keeps its pipes open after it exits', async function () {
    this.timeout(10_000);
    const r = await exec(['sh', '-c', 'sleep 30 & echo $!']);
    const pid = Number(r.stdout.trim());
    try {
      assert.equal(r.exitCode, 0);
      assert.ok(r.durationMs < 4000, `took ${r.durationMs} ms`);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });

  it('check() throws a CommandError carrying the result', async () => {
    assert.equal((await check(['true'])).exitCode, 0);
    const e = await rejection(check(['sh', '-c', 'echo boom >&2; exit 3'], { where: 'tool' }));
    assert.ok(isCommandError(e));
    assert.equal(e.result.exitCode, 3);
    assert.equal(e.message, "tool: `sh -c 'echo boom >&2; exit 3'` exited 3\nboom");
  });
});

// The local RemoteShell: same result shape and timeout semantics as SSH, on this host.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerSecret } from '../../lib/core/redact.ts';
import { isCommandError } from '../../lib/core/result.ts';
import { LocalShell } from '../../lib/remote/local.ts';
import { liveInGroup } from '../helpers/processes.ts';

describe('remote/local', () => {
  const shell = new LocalShell();

  it('returns exit code, stdout, stderr and stdin like the SSH shell', async () => {
    const r = await shell.run('read x; echo "got $x"; echo warn >&2; exit 4', { input: 'abc\n' });
    assert.deepEqual(
      { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut },
      { exitCode: 4, stdout: 'got abc\n', stderr: 'warn\n', timedOut: false },
    );
    assert.equal(r.command, 'read x; echo "got $x"; echo warn >&2; exit 4');
  });

  it('times out and kills the whole pipeline (process group)', async () => {
    const r = await shell.run('echo $$; sleep 5 | cat; echo never', { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.ok(r.durationMs >= 300 && r.durationMs < 3000, `took ${r.durationMs} ms`);
    const pgid = Number(r.stdout.trim());
    assert.ok(pgid > 1);
    assert.deepEqual(liveInGroup(pgid), []);
  });

  it('reports death by signal', async () => {
    const r = await shell.run('kill -TERM $$');
    assert.deepEqual([r.exitCode, r.signal, r.timedOut], [null, 'SIGTERM', false]);
  });

  it('check() throws a CommandError whose message masks secrets', async () => {
    const secret = `s3cr3t-${randomBytes(6).toString('hex')}`;
    registerSecret(secret);
    await assert.rejects(shell.check(`echo ${secret} >&2; false`), (e: unknown) => {
      assert.ok(isCommandError(e));
      assert.equal(e.result.exitCode, 1);
      assert.ok(!e.message.includes(secret), e.message);
      assert.match(e.message, /\*\*\*/);
      return true;
    });
  });

  it('upload/download copy files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iommu-lab-local-'));
    try {
      const data = randomBytes(100_000);
      await writeFile(join(dir, 'a'), data);
      await shell.upload(join(dir, 'a'), join(dir, 'b'));
      await shell.download(join(dir, 'b'), join(dir, 'c'));
      assert.ok(data.equals(await readFile(join(dir, 'c'))));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

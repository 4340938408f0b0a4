// runIdempotent against a real ssh2 server that drops every connection on its first command.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RigError } from '../../lib/core/errors.ts';
import { runIdempotent } from '../../lib/remote/run-again-on-drop.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import { startSshServer, type TestSshServer } from '../helpers/ssh-server.ts';

const PW_ENV = 'IOMMU_LAB_TEST_RUN_AGAIN_PW';

describe('remote/run-again-on-drop', () => {
  let server: TestSshServer;
  beforeEach(async () => {
    process.env[PW_ENV] = randomBytes(12).toString('hex');
    server = await startSshServer({ password: process.env[PW_ENV] });
  });
  afterEach(() => server.close());

  it('a read cut by a dropped connection is made again on a new connection and answers', async () => {
    const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'guest');
    setTimeout(() => server.dropConnections(), 200);
    const r = await runIdempotent(shell, 'sleep 1; echo read', { timeoutMs: 10_000, reconnectMs: 5_000 });
    assert.equal(r.stdout, 'read\n');
    assert.equal(server.execs.filter((c) => c.command.includes('echo read')).length, 2, 'run once, dropped, run again');
    await shell.close();
  });

  it('gives up after its tries, with the drop (or the failed way back) as the lab error', async () => {
    const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'guest');
    const timer = setInterval(() => server.dropConnections(), 150);
    try {
      await assert.rejects(runIdempotent(shell, 'sleep 2', { tries: 2, reconnectMs: 5_000 }), (e: unknown) => {
        // Dropped every 150 ms: the last try's drop, or the reconnect itself cut (SSH_CONNECT).
        assert.ok(e instanceof RigError && ['SSH_DROPPED', 'SSH_CONNECT'].includes(e.code), String(e));
        return true;
      });
      assert.ok(server.execs.filter((c) => c.command.includes('sleep 2')).length <= 2, 'no more than its tries');
    } finally {
      clearInterval(timer);
      await shell.close();
    }
  });

  it('a failing command is not a drop: it is not run again', async () => {
    const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'guest');
    const r = await runIdempotent(shell, 'echo no >&2; exit 3');
    assert.equal(r.exitCode, 3);
    assert.equal(server.execs.filter((c) => c.command.includes('exit 3')).length, 1);
    await shell.close();
  });
});

// The SSH RemoteShell against a real in-process ssh2 server running real `sh -c` commands.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isRigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { registerSecret } from '../../lib/core/redact.ts';
import { isCommandError } from '../../lib/core/result.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import { liveInGroup } from '../helpers/processes.ts';
import { startSshServer, type TestSshServer } from '../helpers/ssh-server.ts';

const PW_ENV = 'IOMMU_LAB_TEST_SSH_PASSWORD';

describe('remote/ssh: commands', () => {
  let server: TestSshServer;
  let shell: RemoteShell;
  before(async () => {
    process.env[PW_ENV] = randomBytes(12).toString('hex');
    server = await startSshServer({ password: process.env[PW_ENV], killOnClose: false });
    shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'dom0');
  });
  after(async () => {
    await shell?.close();
    await server?.close();
  });

  it('returns exit code, stdout and stderr separately', async () => {
    const r = await shell.run('echo out; echo err >&2; exit 3');
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.equal(r.timedOut, false);
    assert.equal(r.command, 'echo out; echo err >&2; exit 3');
    assert.ok(r.durationMs >= 0);
  });

  it('feeds input to stdin and gives EOF after it', async () => {
    const r = await shell.run('tr a-z A-Z; echo "[$?]"', { input: 'hello\nboard\n' });
    assert.equal(r.stdout, 'HELLO\nBOARD\n[0]\n');
    // Without input, stdin is at EOF at once: `cat` must not hang.
    const empty = await shell.run('cat; echo done', { timeoutMs: 5000 });
    assert.deepEqual([empty.stdout, empty.timedOut], ['done\n', false]);
  });

  it('keeps binary-safe large output', async () => {
    const r = await shell.run('head -c 1000000 /dev/zero | tr "\\0" x');
    assert.equal(r.stdout.length, 1_000_000);
    assert.match(r.stdout, /^x+$/);
  });

  it('reports a command killed by a signal', async () => {
    const r = await shell.run('kill -KILL $$');
    assert.equal(r.exitCode, null);
    assert.equal(r.signal, 'SIGKILL');
    assert.equal(r.timedOut, false);
  });

  it('check() throws CommandError carrying the result', async () => {
    await assert.rejects(shell.check('echo nope >&2; exit 7'), (e: unknown) => {
      assert.ok(isCommandError(e));
      assert.equal(e.result.exitCode, 7);
      assert.match(e.message, /exited 7/);
      assert.match(e.message, /nope/);
      return true;
    });
    assert.equal((await shell.check('true')).exitCode, 0);
  });

  it('times out: timedOut, exitCode null, and the remote process group is gone', async () => {
    const before = server.execs.length;
    const r = await shell.run('sleep 5; echo never', { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.ok(r.durationMs >= 300 && r.durationMs < 3000, `took ${r.durationMs} ms`);
    assert.equal(r.stdout, '');
    const rec = server.execs[before];
    // The server keeps commands alive on channel close here, so only our signal can have killed it.
    assert.deepEqual(rec.signals, ['TERM']);
    assert.deepEqual(liveInGroup(rec.pid), []);
    // The connection is still usable.
    assert.equal((await shell.run('echo ok')).stdout, 'ok\n');
  });

  it('shows commands in steps with secrets masked', async () => {
    const secret = `tok-${randomBytes(8).toString('hex')}`;
    registerSecret(secret);
    const steps: string[] = [];
    const onStep = (name: string) => steps.push(name);
    progress.on('step', onStep);
    try {
      const r = await shell.run(`echo ${secret} | wc -c`);
      assert.equal(r.stdout.trim(), String(secret.length + 1)); // the real command ran unmasked
    } finally {
      progress.off('step', onStep);
    }
    assert.deepEqual(steps, ['dom0: echo *** | wc -c']);
  });

  it('runs commands concurrently on one connection', async () => {
    const rs = await Promise.all([1, 2, 3, 4].map((n) => shell.run(`sleep 0.2; echo ${n}`)));
    assert.deepEqual(
      rs.map((r) => r.stdout),
      ['1\n', '2\n', '3\n', '4\n'],
    );
  });
});

describe('remote/ssh: a connection lost mid-command', () => {
  let server: TestSshServer;
  beforeEach(async () => {
    process.env[PW_ENV] = randomBytes(12).toString('hex');
    server = await startSshServer({ password: process.env[PW_ENV] });
  });
  afterEach(() => server.close());

  it('a dropped connection is SSH_DROPPED naming the host, never a success', async () => {
    const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'dom0');
    const pending = shell.run('sleep 3; echo finished');
    setTimeout(() => server.dropConnections(), 200);
    await assert.rejects(pending, (e: unknown) => {
      assert.ok(isRigError(e));
      assert.equal(e.code, 'SSH_DROPPED');
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${server.port}`));
      assert.match(e.message, /sleep 3/);
      return true;
    });
    // Later commands fail the same clear way until reconnect().
    await assert.rejects(shell.run('true'), { code: 'SSH_DROPPED' });
    await shell.reconnect(5000);
    assert.equal((await shell.run('echo back')).stdout, 'back\n');
    await shell.close();
  });

  it('a hung board (no answer at all) is noticed by keepalives', async () => {
    const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'dom0', {
      keepaliveIntervalMs: 100,
      keepaliveCountMax: 2,
    });
    const pending = shell.run('sleep 10');
    // Hung while the command runs (not before: the next test).
    await server.whenExec('sleep 10');
    server.freeze();
    await assert.rejects(pending, (e: unknown) => {
      assert.ok(isRigError(e));
      assert.equal(e.code, 'SSH_DROPPED');
      assert.match(e.message, /connection dropped \(Keepalive timeout\) while running `sleep 10`/);
      return true;
    });
    await shell.close();
  });

  it("a board that hangs before the command's channel opens says why too (keepalives)", async () => {
    const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'dom0', {
      keepaliveIntervalMs: 100,
      keepaliveCountMax: 2,
    });
    server.freeze();
    const e = await shell.run('sleep 11').then(
      () => assert.fail('a hung board ran the command'),
      (x: unknown) => x,
    );
    assert.ok(isRigError(e, 'SSH_DROPPED'), String(e));
    // It was "connection lost", without the cause, when the channel had not opened yet.
    assert.match(e.message, /connection dropped \(Keepalive timeout\) while running `sleep 11`/);
    assert.ok(!server.execs.some((x) => x.command.includes('sleep 11')), 'the command never reached the board');
    await shell.close();
  });
});

describe('remote/ssh: reconnect', () => {
  it('waits for the server to come back on the same port (a reboot)', async () => {
    process.env[PW_ENV] = randomBytes(12).toString('hex');
    const first = await startSshServer({ password: process.env[PW_ENV] });
    const shell = await openRemote(first.target({ password: { env: PW_ENV } }), 'dom0');
    assert.equal((await shell.run('echo one')).stdout, 'one\n');
    await first.close();
    let second: TestSshServer | undefined;
    // The "board" is down for 700 ms, then boots with the same host key on the same port.
    const reboot = new Promise<void>((resolve) =>
      setTimeout(async () => {
        second = await startSshServer({ password: process.env[PW_ENV], port: first.port, hostKey: first.hostKey });
        resolve();
      }, 700),
    );
    await shell.reconnect(10_000);
    await reboot;
    assert.equal((await shell.run('echo two')).stdout, 'two\n');
    assert.equal(second!.execs.length, 1);
    await shell.close();
    await second!.close();
  });

  it('gives up after its deadline with the last cause (refused)', async () => {
    const server = await startSshServer({ password: 'not-used-here' });
    process.env[PW_ENV] = 'not-used-here';
    const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'dom0');
    await server.close();
    const t0 = Date.now();
    await assert.rejects(shell.reconnect(800), (e: unknown) => {
      assert.ok(isRigError(e));
      assert.equal(e.code, 'SSH_REFUSED');
      assert.match(e.message, /not back after/);
      return true;
    });
    assert.ok(Date.now() - t0 < 3000);
  });
});

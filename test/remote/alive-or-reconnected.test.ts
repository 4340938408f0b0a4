// On the real SSH path: the test SSH server, killed and started again on the same port as a
// rebooted dom0 would be.
import assert from 'node:assert/strict';
import { aliveOrReconnected } from '../../lib/remote/alive-or-reconnected.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import { startSshServer, type TestSshServer } from '../helpers/ssh-server.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('remote/alive-or-reconnected: one connection across a reboot', function () {
  this.timeout(30_000);
  let server: TestSshServer | undefined;
  afterEach(async () => server?.close());

  it('reuses a live connection and reconnects one the machine dropped', async () => {
    const cwd = tempDir('alive-');
    process.env.ALIVE_TEST_PW = 'alive-pw';
    server = await startSshServer({ cwd, password: 'alive-pw' });
    const target = server.target({ connectTimeoutMs: 2000, password: { env: 'ALIVE_TEST_PW' } });
    const shell = await openRemote(target, 'dom0');
    try {
      assert.equal(await aliveOrReconnected(shell, 5000), shell);
      assert.equal((await shell.run('echo first')).stdout.trim(), 'first');
      const { port, hostKey } = server;
      await server.close();
      server = await startSshServer({ cwd, password: 'alive-pw', port, hostKey });
      assert.equal(await aliveOrReconnected(shell, 5000), shell);
      assert.equal((await shell.run('echo again')).stdout.trim(), 'again');
    } finally {
      await shell.close();
    }
  });
});

// The same shell against a real OpenSSH sshd: what benches run. Proves the behaviours the
// in-process server only imitates: signal delivery after stdin EOF kills the remote process
// group on timeout, internal-sftp transfers, exit signals.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRemote } from '../../lib/remote/ssh.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import { canRunOpenSsh, type OpenSshServer, startOpenSsh } from '../helpers/openssh-server.ts';
import { liveInGroup } from '../helpers/processes.ts';

describe('remote/ssh against OpenSSH sshd', () => {
  let sshd: OpenSshServer;
  let shell: RemoteShell;
  before(async function () {
    if (!canRunOpenSsh()) this.skip(); // needs root and openssh-server
    sshd = await startOpenSsh();
    shell = await openRemote(sshd.target(), 'bench');
  });
  after(async () => {
    await shell?.close();
    await sshd?.close();
  });

  it('runs commands with exit codes, stderr and stdin', async () => {
    const r = await shell.run('cat; echo err >&2; exit 5', { input: 'in\n' });
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [5, 'in\n', 'err\n']);
  });

  it('a timeout kills the remote process group', async () => {
    // sshd makes the command's shell a session leader: its pid is the group to check.
    // Generous: starting a session on a loaded machine (a TCG twin beside it) took over 1.5 s.
    const r = await shell.run('echo $$; sleep 30 | cat; echo never', { timeoutMs: 5000 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    const pgid = Number(r.stdout.trim().split('\n')[0]);
    assert.ok(pgid > 1, r.stdout);
    // sshd reaps asynchronously; give it a moment.
    for (let i = 0; i < 20 && liveInGroup(pgid).length > 0; i++) await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(liveInGroup(pgid), []);
  });

  it('reports a command killed by a signal', async () => {
    const r = await shell.run('kill -KILL $$');
    assert.deepEqual([r.exitCode, r.signal], [null, 'SIGKILL']);
  });

  it('transfers over internal-sftp byte-exact', async () => {
    const data = randomBytes(1024 * 1024 + 7);
    const src = join(sshd.dir, 'src.bin');
    await writeFile(src, data);
    await shell.upload(src, join(sshd.dir, 'up.bin'));
    await shell.download(join(sshd.dir, 'up.bin'), join(sshd.dir, 'down.bin'));
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(sha(await readFile(join(sshd.dir, 'down.bin'))), sha(data));
  });
});

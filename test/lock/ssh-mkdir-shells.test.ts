// The SSH lock's scripts on the shells a bench controller really has: BusyBox (an RTE's Yocto
// image: ash and BusyBox applets only) and a real OpenSSH sshd reached through the ssh2 shell.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shq } from '../../lib/core/quote.ts';
import type { CommandResult } from '../../lib/core/result.ts';
import { newLease } from '../../lib/lock/lease.ts';
import { openLock } from '../../lib/lock/open.ts';
import type { SshMkdirLock } from '../../lib/lock/ssh-mkdir.ts';
import { LocalShell } from '../../lib/remote/local.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import type { RemoteShell, RunOptions } from '../../lib/remote/types.ts';
import { canRunOpenSsh, type OpenSshServer, startOpenSsh } from '../helpers/openssh-server.ts';

/** Runs every command under BusyBox ash with nothing but BusyBox applets on PATH. */
class BusyBoxShell extends LocalShell {
  constructor(private readonly bin: string) {
    super();
  }
  override run(command: string, opts?: RunOptions): Promise<CommandResult> {
    return super.run(`PATH=${shq(this.bin)} exec /usr/bin/busybox sh -c ${shq(command)}`, opts);
  }
}

async function exercise(dir: string, shells: [RemoteShell, RemoteShell]): Promise<void> {
  const open = (shell: RemoteShell, runId: string) =>
    openLock(
      { name: 'apu2-rte', lock: { kind: 'ssh', dir } },
      { controller: shell, ttlMs: 60_000, runId },
    ) as SshMkdirLock;
  const a = open(shells[0], 'a');
  const b = open(shells[1], 'b');
  await a.acquire();
  await assert.rejects(b.acquire(), /locked by \S+ pid \d+ run a \(last renewed [01] s ago by the controller's clock/);
  await a.release();
  assert.ok(!existsSync(join(dir, 'apu2-rte.lock')));
  await b.acquire();
  await b.release();
  // A lease whose holder died an hour ago (beat not rewritten since), taken over.
  const l = join(dir, 'apu2-rte.lock');
  mkdirSync(l);
  writeFileSync(
    join(l, 'owner'),
    `${JSON.stringify({ ...newLease('dead', 1000), owner: 'ci@bench-2 pid 999999 run dead' })}\n`,
  );
  writeFileSync(join(l, 'beat'), '7\n');
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(join(l, 'beat'), hourAgo, hourAgo);
  const c = open(shells[0], 'c');
  await c.acquire();
  assert.match(
    c.takeover ?? '',
    /from \S+ pid 999999 run dead \(last renewed 360\d s ago by the controller's clock, TTL 1 s\)/,
  );
  assert.match(readFileSync(join(l, 'owner'), 'utf8'), /"runId":"c"/);
  await c.release();
}

describe('lock/ssh-mkdir on real controller shells', function () {
  this.timeout(30_000);
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lock-shells-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('works with BusyBox ash and applets only', async function () {
    if (!existsSync('/usr/bin/busybox')) this.skip();
    const bin = join(root, 'bin');
    mkdirSync(bin);
    for (const applet of ['sh', 'mkdir', 'rmdir', 'rm', 'mv', 'cat', 'date', 'stat', 'printf', 'echo', '['])
      symlinkSync('/usr/bin/busybox', join(bin, applet));
    const shell = new BusyBoxShell(bin);
    assert.match((await shell.run('stat --version')).stderr, /BusyBox/);
    await exercise(join(root, "lock dir's"), [shell, new BusyBoxShell(bin)]);
  });

  it('works through ssh2 against OpenSSH sshd', async function () {
    if (!canRunOpenSsh()) this.skip(); // needs root and openssh-server
    let sshd: OpenSshServer | undefined;
    const shells: RemoteShell[] = [];
    try {
      sshd = await startOpenSsh();
      shells.push(await openRemote(sshd.target(), 'controller'), await openRemote(sshd.target(), 'controller'));
      await exercise(join(root, 'var lock'), shells as [RemoteShell, RemoteShell]);
    } finally {
      for (const s of shells) await s.close();
      await sshd?.close();
    }
  });
});

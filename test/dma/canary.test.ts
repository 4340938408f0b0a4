// The canary's background life over a real OpenSSH server: held while the test runs commands,
// reporting only when released, and nothing left running afterwards. A shell script stands in
// for dom0-canary (which needs a Xen PV dom0); it speaks the same two JSON lines.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dom0Canary, withCanary } from '../../lib/dma/canary.ts';
import { installHelper } from '../../lib/dma/install.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import { canRunOpenSsh, type OpenSshServer, startOpenSsh } from '../helpers/openssh-server.ts';

const READY =
  '{"probe":"dom0-canary","ok":true,"pfn":"0x1234","mfn":"0x5678","machineAddress":"0x5678000","pattern":"494f4d4d5543414e0102030405060708","pageSize":4096,"method":"m2p-scan"}';

function fakeCanary(dir: string, released: string): string {
  const path = join(dir, 'fake-canary');
  writeFileSync(path, `#!/bin/sh\necho '${READY}'\necho $$ > ${dir}/fake.pid\ncat >/dev/null\necho '${released}'\n`, {
    mode: 0o755,
  });
  return path;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pids of fifo holders (`sleep 86400`) running on this machine now. */
function holders(): string[] {
  return execFileSync('sh', ['-c', 'pgrep -f "[s]leep 86400" || true'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

/** The holders writing into `dir` (their stdout is the fifo there): this test's, not a parallel run's. */
function holdersIn(dir: string): string[] {
  return holders().filter((p) => {
    try {
      return readlinkSync(`/proc/${p}/fd/1`).startsWith(`${dir}/`);
    } catch {
      return false;
    }
  });
}

describe('dma/canary over OpenSSH', function () {
  this.timeout(60_000);
  let server: OpenSshServer;
  let shell: RemoteShell;
  // The tests' own place on this host, never /tmp/iommu-lab: the twin's SSH flasher (its
  // controller is this host) keeps its uploads there (#24 T2).
  const canaryDir = () => join(server.dir, 'canary');

  before(async function () {
    if (!canRunOpenSsh()) this.skip();
    server = await startOpenSsh();
    shell = await openRemote(server.target(), 'dom0');
  });
  after(async () => {
    await shell?.close();
    await server?.close();
  });

  it('holds the page until released, then reports whether it changed, and leaves nothing running', async () => {
    const bin = fakeCanary(
      server.dir,
      '{"probe":"dom0-canary","event":"released","intact":false,"firstChange":64,"stayed":true,"bytes":"00"}',
    );
    const before = new Set(holdersIn(canaryDir()));
    const canary = await Dom0Canary.hold(shell, bin, undefined, canaryDir());
    assert.ok(existsSync(join(canaryDir(), 'holder.pid')), 'the canary does not keep its files where it was told');
    assert.equal(canary.ready.machineAddress, '0x5678000');
    const pid = Number(readFileSync(join(server.dir, 'fake.pid'), 'utf8'));
    // Commands in between do not end it: its stdin is held by the fifo writer, not by a channel.
    assert.equal((await shell.run('true')).exitCode, 0);
    assert.ok(alive(pid), 'the canary ended before it was released');
    assert.equal(holdersIn(canaryDir()).filter((p) => !before.has(p)).length, 1, 'no fifo holder of its own');
    const { output } = await canary.release();
    assert.equal(output.released?.intact, false);
    assert.equal(output.released?.firstChange, 64);
    // It exits by itself after its last line, and is killed anyway: allow it two seconds to go.
    for (let i = 0; i < 20 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!alive(pid), 'the canary still runs after release');
    // Only holders this test started: other runs on the machine (parallel checkouts) may hold their own.
    assert.deepEqual(
      holdersIn(canaryDir()).filter((p) => !before.has(p)),
      [],
    );
  });

  it('withCanary releases the page also when the body fails, and hands back its account when it does not', async () => {
    const bin = fakeCanary(
      server.dir,
      '{"probe":"dom0-canary","event":"released","intact":true,"firstChange":null,"stayed":true,"bytes":"00"}',
    );
    await assert.rejects(
      withCanary(
        shell,
        bin,
        async () => {
          throw new Error('probe failed');
        },
        undefined,
        canaryDir(),
      ),
      /probe failed/,
    );
    const pid = Number(readFileSync(join(server.dir, 'fake.pid'), 'utf8'));
    for (let i = 0; i < 20 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!alive(pid), 'the canary still runs after the body failed');
    const ok = await withCanary(shell, bin, async (ready) => ready.machineAddress, undefined, canaryDir());
    assert.deepEqual([ok.value, ok.ready.machineAddress, ok.released?.intact], ['0x5678000', '0x5678000', true]);
    assert.equal(ok.outside, null, 'no bench view was asked for');
  });

  it("withCanary looks at the held page from outside the board after the body, at the canary's machine address", async () => {
    const bin = fakeCanary(
      server.dir,
      '{"probe":"dom0-canary","event":"released","intact":true,"firstChange":null,"stayed":true,"bytes":"00"}',
    );
    const pattern = '494f4d4d5543414e0102030405060708';
    const reads: string[] = [];
    let bodyDone = false;
    const view = (page: Buffer) => ({
      observer: 'QEMU',
      async readMachineMemory(address: bigint, length: number) {
        assert.ok(bodyDone, 'looked before the body ended');
        reads.push(`0x${address.toString(16)}+${length}`);
        return page;
      },
    });
    const body = async () => {
      bodyDone = true;
    };
    const intact = await withCanary(shell, bin, body, view(Buffer.from(pattern.repeat(256), 'hex')), canaryDir());
    assert.deepEqual(intact.outside, { observer: 'QEMU', firstChange: null, intact: true });
    const hit = Buffer.from(pattern.repeat(256), 'hex');
    hit.fill(0, 2048, 2112);
    bodyDone = false;
    const changed = await withCanary(shell, bin, body, view(hit), canaryDir());
    assert.deepEqual(changed.outside, { observer: 'QEMU', firstChange: 2048, intact: false });
    assert.deepEqual(reads, ['0x5678000+4096', '0x5678000+4096']);
    const failing = await withCanary(
      shell,
      bin,
      body,
      {
        observer: 'QEMU',
        readMachineMemory: async () => {
          throw new Error('the board is not running');
        },
      },
      canaryDir(),
    );
    assert.deepEqual(failing.outside, {
      observer: 'QEMU',
      firstChange: null,
      intact: null,
      error: 'the board is not running',
    });
    assert.equal(failing.released?.intact, true, 'a failed look still releases the canary');
  });

  it('a canary that says nothing is an error naming it, and is stopped', async () => {
    const path = join(server.dir, 'mute-canary');
    writeFileSync(path, `#!/bin/sh\necho "privcmd: no" >&2\nsleep 30\n`, { mode: 0o755 });
    await assert.rejects(
      Dom0Canary.hold(shell, path, 1_500, canaryDir()),
      /dom0-canary did not hold a page.*privcmd: no/,
    );
    // A signalled process takes a moment to go: allow it two seconds, no more.
    let left = '';
    for (let i = 0; i < 20; i++) {
      // This test's canary only (its folder is unique): another run's may be alive right now.
      left = spawnSync('pgrep', ['-f', `${server.dir}/[m]ute-canary`], { encoding: 'utf8' }).stdout.trim();
      if (!left) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(left, '', 'the mute canary still runs');
  });

  it('installs a helper through base64 and it runs there (dma-probe prints its usage, exit 2)', async () => {
    const remote = await installHelper(shell, 'dma-probe', join(server.dir, 'helpers'));
    assert.equal(remote, join(server.dir, 'helpers', 'dma-probe'));
    const r = await shell.run(`${remote} --bogus`);
    assert.equal(r.exitCode, 2, r.stderr);
    assert.match(r.stderr, /usage: dma-probe --device/);
  });
});

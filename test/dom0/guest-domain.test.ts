// GuestDomain.start's wait watches dom0 between SSH tries: a guest that stopped fails at once
// (the board's GUEST_NO_ANSWER), a dom0 that went away ends the wait with dom0's own error (the
// lab's) within seconds, and a guest still running is waited for until the timeout. The guest's
// SSH is a closed loopback port (refused at once); dom0 is a scripted shell.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { carriedDiagnoses } from '../../lib/core/carried-diagnoses.ts';
import { RigError } from '../../lib/core/errors.ts';
import type { CommandResult } from '../../lib/core/result.ts';
import { GUEST_WAIT, GuestDomain } from '../../lib/dom0/guest-domain.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import type { Rig } from '../../lib/rig/schema.ts';

const ok = (stdout = ''): CommandResult => ({
  command: 'scripted',
  exitCode: 0,
  stdout,
  stderr: '',
  durationMs: 1,
  timedOut: false,
});

function dom0With(xlList: () => CommandResult, console = ''): { shell: RemoteShell; log: string[] } {
  const log: string[] = [];
  const shell: RemoteShell = {
    description: 'dom0 (scripted)',
    async run(command) {
      log.push(command);
      if (/^xl list /.test(command)) return xlList();
      if (/console\/guest-/.test(command)) return ok(console);
      return ok();
    },
    async check(command) {
      return this.run(command);
    },
    async upload() {},
    async download() {},
    async reconnect() {},
    async close() {},
  };
  return { shell, log };
}

const listing = (state: string) => ok(`Name ID Mem VCPUs State Time(s)\niommu-lab-pv 3 256 1 ${state} 1.0\n`);

/** A loopback port nobody listens on (taken, then freed): the guest's SSH, refused at once. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** Runs fn with the boot wait's pace changed, and puts it back however fn ends. */
async function withGuestWait(o: Partial<typeof GUEST_WAIT>, fn: () => Promise<void>): Promise<void> {
  const saved = { ...GUEST_WAIT };
  Object.assign(GUEST_WAIT, o);
  try {
    await fn();
  } finally {
    Object.assign(GUEST_WAIT, saved);
  }
}

describe('dom0/guest-domain: the guest boot wait', () => {
  let rig: Rig;
  before(async () => {
    process.env.IOMMU_LAB_TEST_GUEST_PW = 'not-used';
    rig = {
      name: 'scripted',
      guests: {
        types: ['pv'],
        memoryMiB: 256,
        kernel: '/usr/lib/iommu-lab/guest/vmlinuz',
        bootTimeoutMs: 6_000,
        ssh: {
          host: '127.0.0.1',
          port: await closedPort(),
          user: 'root',
          password: { env: 'IOMMU_LAB_TEST_GUEST_PW' },
          connectTimeoutMs: 1_000,
        },
      },
    } as unknown as Rig;
  });

  it('a guest that crashed fails at once, not at the timeout: GUEST_NO_ANSWER naming its state', async () => {
    const dom0 = dom0With(() => listing('-b--c-'));
    const t0 = Date.now();
    await assert.rejects(GuestDomain.start(dom0.shell, rig, { name: 'iommu-lab-pv', type: 'pv', pci: [] }), (e) => {
      assert.ok(e instanceof RigError, String((e as Error).stack));
      assert.equal(e.code, 'GUEST_NO_ANSWER');
      assert.match(e.message, /stopped .* after xl create/);
      assert.match(e.message, /crashed/);
      return true;
    });
    assert.ok(Date.now() - t0 < 4_000, `took ${Date.now() - t0} ms`);
  });

  it('dom0 gone while the guest boots ends the wait with dom0 own error (SSH_DROPPED), in seconds', async () => {
    const dom0 = dom0With(() => {
      throw new RigError('dom0 root@127.0.0.1:2223: connection lost while running `xl list`', {
        code: 'SSH_DROPPED',
        part: 'remote',
      });
    });
    const t0 = Date.now();
    await assert.rejects(GuestDomain.start(dom0.shell, rig, { name: 'iommu-lab-pv', type: 'pv', pci: [] }), {
      code: 'SSH_DROPPED',
    });
    assert.ok(Date.now() - t0 < 4_000, `took ${Date.now() - t0} ms`);
  });

  it("up by its console but silent through its passed-through NIC: the board's NIC_NO_TRAFFIC, before the timeout", async () => {
    await withGuestWait({ readyButSilentMs: 1_500, dom0EveryMs: 0 }, async () => {
      const dom0 = dom0With(() => listing('-b----'), 'iommu-lab: guest ready (eth0 10.0.2.15/24)\n');
      const t0 = Date.now();
      await assert.rejects(
        GuestDomain.start(dom0.shell, rig, { name: 'iommu-lab-pv', type: 'pv', pci: ['02:00.0'] }),
        (e) => {
          assert.ok(!(e instanceof RigError), 'the board failing the test, not the lab');
          assert.deepEqual(
            carriedDiagnoses(e as Error).map((d) => d.code),
            ['NIC_NO_TRAFFIC'],
          );
          assert.match((e as Error).message, /says it is up on its console, but SSH has not answered/);
          return true;
        },
      );
      assert.ok(Date.now() - t0 < 6_000, `took ${Date.now() - t0} ms: the timeout, not the early verdict`);
    });
  });

  it('a guest that stays paused fails once it has been paused for a while, not at the timeout', async () => {
    await withGuestWait({ pausedMs: 1_000, dom0EveryMs: 0 }, async () => {
      const dom0 = dom0With(() => listing('--p---'));
      const t0 = Date.now();
      await assert.rejects(GuestDomain.start(dom0.shell, rig, { name: 'iommu-lab-pv', type: 'pv', pci: [] }), (e) => {
        assert.ok(e instanceof RigError);
        assert.equal(e.code, 'GUEST_NO_ANSWER');
        assert.match(e.message, /stayed paused for \d+ s/);
        return true;
      });
      assert.ok(Date.now() - t0 < 5_500, `took ${Date.now() - t0} ms: the timeout, not the early verdict`);
    });
  });

  it('a guest still running is waited for until the timeout', async () => {
    const dom0 = dom0With(() => listing('-b----'));
    const t0 = Date.now();
    await assert.rejects(GuestDomain.start(dom0.shell, rig, { name: 'iommu-lab-pv', type: 'pv', pci: [] }), (e) => {
      assert.ok(e instanceof RigError);
      assert.match(e.message, /did not answer SSH within 6 s/);
      return true;
    });
    assert.ok(Date.now() - t0 >= 6_000);
    assert.ok(dom0.log.filter((c) => /^xl list /.test(c)).length >= 2, 'dom0 asked between tries');
  });

  /** Accepts and never speaks (as slirp's hostfwd does while the guest cannot be reached), or speaks SSH's first line only. */
  async function forward(
    say = '',
  ): Promise<{ port: number; accepted: () => number; logins: () => number; close: () => Promise<void> }> {
    const held: Socket[] = [];
    /** Connections whose client spoke first: ssh2 sends its identification line at once. */
    let logins = 0;
    const srv = createServer((s) => {
      held.push(s);
      s.once('data', (d: Buffer) => {
        if (d.toString('latin1').startsWith('SSH-')) logins++;
      });
      if (say) s.write(say);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return {
      port: (srv.address() as { port: number }).port,
      accepted: () => held.length,
      logins: () => logins,
      close: async () => {
        for (const s of held) s.destroy();
        await new Promise((r) => srv.close(r));
      },
    };
  }

  /** A forward (see forward()) for fn, under the boot wait's pace o; closed however fn ends. */
  async function withForward(
    say: string,
    o: Partial<typeof GUEST_WAIT>,
    fn: (fwd: Awaited<ReturnType<typeof forward>>) => Promise<void>,
  ): Promise<void> {
    const fwd = await forward(say);
    try {
      await withGuestWait(o, () => fn(fwd));
    } finally {
      await fwd.close();
    }
  }

  /** Boots a guest whose SSH is `port` and that never answers; resolves once the wait gave up. */
  async function waitOnSilentGuest(port: number, connectTimeoutMs: number, bootTimeoutMs: number) {
    const slow = structuredClone(rig);
    Object.assign(slow.guests!.ssh!, { port, connectTimeoutMs, hostKey: { acceptAny: true } });
    slow.guests!.bootTimeoutMs = bootTimeoutMs;
    const dom0 = dom0With(() => listing('-b----'));
    await assert.rejects(
      GuestDomain.start(dom0.shell, slow, { name: 'iommu-lab-pv', type: 'pv', pci: [] }),
      /did not answer SSH/,
    );
  }

  it("a forward that holds the connection (the twin's slirp, before the guest has an address) costs a short wait per try, not the login's deadline", async () => {
    await withForward('', { bannerMs: 300, retryMs: 100, dom0EveryMs: 0, loginEveryTries: 1_000 }, async (fwd) => {
      await waitOnSilentGuest(fwd.port, 10_000, 2_000);
      assert.ok(fwd.accepted() >= 4, `only ${fwd.accepted()} tries in 2 s: each waited the rig's 10 s deadline`);
    });
  });

  it("once the guest's SSH server speaks, the login gets the rig's whole handshake deadline", async () => {
    // Sends its first line, then nothing: a slow key exchange.
    await withForward(
      'SSH-2.0-dropbear_2022.83\r\n',
      { bannerMs: 300, retryMs: 100, dom0EveryMs: 0, loginEveryTries: 1_000 },
      async (fwd) => {
        const t0 = Date.now();
        await waitOnSilentGuest(fwd.port, 2_000, 1_000);
        // One line-check connection, then one login held for its 2 s (not the 300 ms line wait).
        assert.equal(fwd.accepted(), 2);
        assert.ok(Date.now() - t0 >= 1_900, `the login gave up after ${Date.now() - t0} ms`);
      },
    );
  });

  it('a server that never speaks first (a front end waiting for the client) still gets a login every few tries', async () => {
    await withForward('', { bannerMs: 200, retryMs: 100, dom0EveryMs: 0, loginEveryTries: 3 }, async (fwd) => {
      await waitOnSilentGuest(fwd.port, 500, 2_500);
      assert.ok(fwd.logins() >= 1, `no login in ${fwd.accepted()} connections`);
      assert.ok(fwd.logins() < fwd.accepted(), 'every try logged in: the first line was not waited for');
    });
  });
});

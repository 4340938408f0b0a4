// waitDom0 logs in only once dom0's SSH server speaks: a forward that accepts and holds the
// connection (the twin's slirp before dom0 has an address) costs a short wait per try, not the
// login's whole handshake deadline, and a server that speaks gets that whole deadline.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import type { BootBench } from '../../lib/boot/bench.ts';
import { emptyRecord } from '../../lib/boot/record.ts';
import { DOM0_LOGIN_PACE, waitDom0 } from '../../lib/boot/transitions.ts';
import { RigError } from '../../lib/core/errors.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { baseRig } from '../rig/base-rig.ts';

/** A console that stays quiet (but not silent for long): each wait on it just times out. */
function quietConsole() {
  return {
    description: 'scripted console',
    async expect(_re: RegExp, o: { timeout: number }) {
      await new Promise((r) => setTimeout(r, Math.min(o.timeout, 20)));
      throw new RigError('timeout', { code: 'CONSOLE_TIMEOUT' });
    },
    silentForMs: () => 0,
    pending: () => '',
    discard() {},
    tail: () => '',
  };
}

describe('boot/waitDom0: the dom0 SSH tries', function () {
  this.timeout(30_000);

  it('holds no login on a silent forward, and logs in with the whole deadline once the server speaks', async () => {
    // Holds the first two connections without a word (dom0 without an address), then speaks.
    const sockets: Socket[] = [];
    const forward = createServer((s) => {
      sockets.push(s);
      if (sockets.length > 2) s.write('SSH-2.0-dropbear_2022.83\r\n');
    });
    await new Promise<void>((r) => forward.listen(0, '127.0.0.1', r));
    const logins: number[] = [];
    const rig = validateRig(structuredClone(baseRig), 'x.ts');
    Object.assign(rig.dom0, { host: '127.0.0.1', port: (forward.address() as { port: number }).port });
    const bench = {
      rig,
      console: quietConsole(),
      async dom0(timeoutMs: number) {
        logins.push(timeoutMs);
        return {
          async run() {
            return { command: 'xl info', exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false };
          },
        } as unknown as RemoteShell;
      },
      async dropDom0() {},
    } as unknown as BootBench;
    try {
      const t0 = Date.now();
      await waitDom0(bench, emptyRecord());
      const took = Date.now() - t0;
      assert.deepEqual(logins, [4_000], 'one login, with the whole deadline, once the server spoke');
      assert.equal(sockets.length, 3);
      // Two held tries cost their short wait each (plus the idle second between tries).
      assert.ok(took < 2 * (DOM0_LOGIN_PACE.bannerMs + 1_000) + 2_000, `took ${took} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => forward.close(r));
    }
  });
});

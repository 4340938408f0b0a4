// A session that boots the board serves its boot (rig boot.server) from after the lock until it
// closes, however it ends; one-shot sessions serve nothing.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { isRigError } from '../../lib/core/errors.ts';
import type { Rig } from '../../lib/rig/schema.ts';
import { Session } from '../../lib/session/session.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { makeImageSet, pxeRig } from '../pxe/image-set.ts';

function status(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/boot.ipxe' }, (r) => {
      r.resume();
      resolve(r.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

function localRig(port = 0): Rig {
  const rig = pxeRig(makeImageSet(), {}, port);
  rig.lock = { kind: 'local', dir: join(tempDir('boot-lock-'), 'locks'), ttlMs: 60_000 };
  return rig;
}

describe('session/boot server', () => {
  it('serves the boot while the session lives and stops when it closes', async () => {
    const s = await Session.open(localRig(), { open: [], serveBoot: true });
    const port = s.bootServer!.listening.port;
    try {
      assert.equal(await status(port), 200);
    } finally {
      assert.deepEqual(await s.close(), []);
    }
    await assert.rejects(status(port), /ECONNREFUSED/);
  });

  it('serves by default when the session opens the console (it may boot the board: run, health, bench)', async () => {
    const serial = createServer((c) => c.on('error', () => {}));
    await new Promise<void>((r) => serial.listen(0, '127.0.0.1', r));
    const rig = localRig();
    rig.console = { kind: 'tcp', host: '127.0.0.1', port: (serial.address() as AddressInfo).port, protocol: 'raw' };
    const s = await Session.open(rig, { open: ['console'], transcriptPath: join(tempDir('boot-console-'), 'c.log') });
    try {
      assert.equal(await status(s.bootServer!.listening.port), 200);
    } finally {
      await s.close();
      serial.close();
    }
  });

  it('serves nothing for a session that does not boot (power, flash)', async () => {
    const s = await Session.open(localRig(), { open: [] });
    try {
      assert.equal(s.bootServer, undefined);
    } finally {
      await s.close();
    }
  });

  it('a taken port fails the open with PXE_PORT_IN_USE and releases the lock', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const rig = localRig((taken.address() as AddressInfo).port);
    try {
      const e = await Session.open(rig, { open: [], serveBoot: true }).catch((x: unknown) => x);
      assert.ok(isRigError(e, 'PXE_PORT_IN_USE'), String(e));
      // The lock was released: the next session takes the bench at once.
      rig.boot.server!.listen.port = 0;
      const again = await Session.open(rig, { open: [], serveBoot: true });
      await again.close();
    } finally {
      taken.close();
    }
  });
});

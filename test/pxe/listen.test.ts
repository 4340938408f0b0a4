// A port already taken is one line naming the process that holds it; a foreign address says so.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { isRigError } from '../../lib/core/errors.ts';
import { startBootServer } from '../../lib/pxe/boot-server.ts';
import { listeningInodes } from '../../lib/pxe/port-holder.ts';
import { makeImageSet, pxeRig } from './image-set.ts';

/** Another process listening on 127.0.0.1: prints its port once it is bound. */
async function holder(): Promise<{ child: ChildProcess; port: number }> {
  const code = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>console.log(s.address().port));";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, port: Number(line.toString().trim()) };
}

describe('pxe/listen', () => {
  it('names the holder of a port in use (pid and name), in one line', async () => {
    const { child, port } = await holder();
    try {
      const e = await startBootServer(pxeRig(makeImageSet(), {}, port)).then(
        (s) => s.close().then(() => assert.fail('listened on a taken port')),
        (x: unknown) => x,
      );
      assert.ok(isRigError(e, 'PXE_PORT_IN_USE'), String(e));
      assert.equal(e.part, 'pxe');
      assert.equal(
        e.message,
        `boot server: 127.0.0.1:${port} is in use, held by pid ${child.pid} (node): stop it, or change boot.server.listen.port`,
      );
    } finally {
      child.kill();
    }
  });

  it('says the address is not this host for one it cannot bind', async () => {
    const rig = pxeRig(makeImageSet());
    rig.boot.server!.listen.host = '192.0.2.77';
    const e = await startBootServer(rig).catch((x: unknown) => x);
    assert.ok(isRigError(e, 'PXE_LISTEN'), String(e));
    assert.match(
      e.message,
      /^boot server: cannot listen on 192\.0\.2\.77:0 \(EADDRNOTAVAIL\): give an address of this host/,
    );
  });

  it('reads listening sockets of a port from /proc/net/tcp text, not connected ones', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0',
      '   1: 0100007F:1F90 0100007F:D3A2 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1 0 20 4 30 10 -1',
      '   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0 100 0 0 10 0',
    ].join('\n');
    assert.deepEqual(listeningInodes(table, 8080), ['4242']);
    assert.deepEqual(listeningInodes(table, 80), ['4444']);
    assert.deepEqual(listeningInodes(table, 81), []);
  });
});

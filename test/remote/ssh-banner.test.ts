// sshSpeaks: true once a server sends its identification line, false for a refused port, a
// forward that accepts and stays silent (within the wait, not the OS's TCP timeout), or a server
// that closes without a line.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { sshSpeaks } from '../../lib/remote/ssh-banner.ts';

async function serve(onConnect: (s: Socket) => void): Promise<{ port: number; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    onConnect(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server, sockets };
}

async function stop(x: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const s of x.sockets) s.destroy();
  await new Promise((r) => x.server.close(r));
}

describe('remote/ssh-banner', () => {
  it('a server that sends its identification line speaks (also after other lines, and in pieces)', async () => {
    const x = await serve((s) => {
      s.write('please wait\r\nSS');
      setTimeout(() => s.write('H-2.0-dropbear_2022.83\r\n'), 50);
    });
    try {
      assert.equal(await sshSpeaks('127.0.0.1', x.port, 2_000), true);
    } finally {
      await stop(x);
    }
  });

  it('a forward that accepts and says nothing does not, and the answer comes at the wait, not later', async () => {
    const x = await serve(() => {});
    try {
      const t0 = Date.now();
      assert.equal(await sshSpeaks('127.0.0.1', x.port, 300), false);
      assert.ok(Date.now() - t0 < 1_500, `took ${Date.now() - t0} ms`);
    } finally {
      await stop(x);
    }
  });

  it('a refused port, and a server closing without the line, do not', async () => {
    const closer = await serve((s) => s.end('not ssh\r\n'));
    const port = closer.port;
    try {
      assert.equal(await sshSpeaks('127.0.0.1', port, 2_000), false);
    } finally {
      await stop(closer);
    }
    assert.equal(await sshSpeaks('127.0.0.1', port, 2_000), false);
  });
});

import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { SerialServer } from '../../../twin/serial/server.ts';

function client(port: number): Promise<{ sock: Socket; data: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const sock = connect(port, '127.0.0.1', () => resolve({ sock, data: () => buf, closed }));
    const closed = new Promise<void>((r) => sock.on('close', () => r()));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
    });
    sock.on('error', reject);
  });
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('twin serial port on TCP (ser2net raw, kickolduser)', () => {
  let server: SerialServer;
  const typed: string[] = [];
  beforeEach(async () => {
    typed.length = 0;
    server = new SerialServer({ port: 0, onInput: (d) => typed.push(d.toString('latin1')) });
    await server.listen();
  });
  afterEach(() => server.close());

  it('carries board output to the client and client input to the board', async () => {
    const a = await client(server.port);
    await until(() => server.connected);
    server.write(Buffer.from('PC Engines apu2\r\n'));
    a.sock.write('n');
    await until(() => a.data().includes('PC Engines apu2') && typed.join('') === 'n');
    a.sock.destroy();
  });

  it('a new client kicks the old one: its socket is closed and output goes to the new one only', async () => {
    const a = await client(server.port);
    await until(() => server.connected);
    const b = await client(server.port);
    await a.closed;
    server.write(Buffer.from('after-kick'));
    b.sock.write('x');
    await until(() => b.data().includes('after-kick') && typed.join('') === 'x');
    assert.equal(a.data(), '');
    b.sock.destroy();
  });

  it('output with no client is dropped, like a UART nobody reads', async () => {
    server.write(Buffer.from('lost'));
    const a = await client(server.port);
    await until(() => server.connected);
    server.write(Buffer.from('seen'));
    await until(() => a.data().includes('seen'));
    assert.equal(a.data(), 'seen');
    a.sock.destroy();
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultInjector } from '../../../twin/fault/injector.ts';
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

  describe('the record of what each client was sent (for the fault matrix)', () => {
    let rec: string;
    let recorded: SerialServer;
    const files = () =>
      readdirSync(rec)
        .sort()
        .map((f) => readFileSync(join(rec, f), 'latin1'));
    beforeEach(async () => {
      rec = mkdtempSync(join(tmpdir(), 'serial-sent-'));
      recorded = new SerialServer({ port: 0, onInput: () => {}, recordDir: rec });
      await recorded.listen();
    });
    afterEach(() => recorded.close());

    it('records exactly the bytes each client received, one file per connection, nothing while nobody listens', async () => {
      recorded.write(Buffer.from('nobody'));
      const a = await client(recorded.port);
      await until(() => recorded.connected);
      recorded.write(Buffer.from('to-a \xff', 'latin1'));
      await until(() => a.data() === 'to-a \xff');
      const b = await client(recorded.port);
      await a.closed;
      recorded.write(Buffer.from('to-b'));
      await until(() => b.data() === 'to-b');
      assert.deepEqual(files(), ['to-a \xff', 'to-b']);
      b.sock.destroy();
    });

    it('a dropped client (serial-drop) gets a reset after what it was sent has arrived; the record matches it', async () => {
      const a = await client(recorded.port);
      a.sock.removeAllListeners('error');
      const reset = new Promise<string>((r) => a.sock.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? '')));
      await until(() => recorded.connected);
      recorded.write(Buffer.from('x'.repeat(200_000)));
      assert.equal(await recorded.drop(), true);
      assert.equal(await reset, 'ECONNRESET');
      assert.equal(a.data().length, 200_000);
      assert.equal(files()[0]!.length, 200_000);
      recorded.write(Buffer.from('after'));
      assert.equal(files().join('').includes('after'), false);
    });

    it("the twin's own client (serial-takeover) kicks the run's client and is not recorded", async () => {
      const faults = new FaultInjector({
        serial: recorded,
        serialPort: recorded.port,
        dom0SshPort: 1,
        freezeBoard: async () => false,
      });
      const a = await client(recorded.port);
      await until(() => recorded.connected);
      recorded.write(Buffer.from('before'));
      await faults.inject('serial-takeover', { holdMs: 200 });
      await a.closed;
      recorded.write(Buffer.from('stolen'));
      assert.equal(a.data(), 'before');
      assert.deepEqual(files(), ['before']);
    });
  });
});

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { openConsole } from '../../lib/console/open.ts';
import { TELNET as T } from '../../lib/console/telnet.ts';
import { transcriptBody } from '../../lib/console/transcript.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const dir = tempDir('console-tcp-');
let n = 0;
const transcriptPath = () => join(dir, `t${n++}.log`);
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** A real TCP server on 127.0.0.1; `onClient` drives each connection. */
async function serve(onClient: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    s.setNoDelay(true);
    onClient(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

const tcp = (port: number, protocol: 'raw' | 'telnet' = 'raw') => ({
  kind: 'tcp' as const,
  host: '127.0.0.1',
  port,
  protocol,
});

describe('console/tcp', () => {
  it('raw: reads what the server sends from the first byte, sends text back', async () => {
    const got: Buffer[] = [];
    const { server, port } = await serve(async (s) => {
      s.on('data', (d) => got.push(d));
      s.write('SeaBIOS (version rel-1.16.0)\r\n'); // before the client even waits for anything
      await tick(400);
      for (const ch of 'Press F10 key now for boot menu\r\n') s.write(ch);
    });
    const c = await openConsole(tcp(port), { transcriptPath: transcriptPath(), settleMs: 100 });
    try {
      assert.equal(c.description, `ser2net raw 127.0.0.1:${port}`);
      const m = await c.expect(/Press (F\d+) key/, { name: 'boot menu prompt', timeout: 3000 });
      assert.equal(m.groups[0], 'F10');
      assert.match(m.before, /^SeaBIOS/);
      await c.sendSlowly('n\r', { chunk: 1, delayMs: 5 });
      await tick(50);
      assert.equal(Buffer.concat(got).toString(), 'n\r');
    } finally {
      await c.close();
      server.close();
    }
  });

  it('telnet: strips IAC split across segments, negotiates, escapes 0xFF on send', async () => {
    const got: Buffer[] = [];
    const { server, port } = await serve(async (s) => {
      s.on('data', (d) => got.push(d));
      const bytes = [
        T.IAC,
        T.WILL,
        T.SGA,
        T.IAC,
        T.WILL,
        T.ECHO,
        ...Buffer.from('(XEN) x'),
        T.IAC,
        T.IAC,
        ...Buffer.from('y\r\n'),
      ];
      for (const b of bytes) {
        s.write(Buffer.from([b]));
        await tick(1);
      }
    });
    const c = await openConsole(tcp(port, 'telnet'), { transcriptPath: transcriptPath(), settleMs: 50 });
    try {
      const m = await c.expect(/x\xffy/, { name: 'data with 0xFF', timeout: 3000 });
      assert.equal(m.before, '(XEN) ');
      await c.send('\xff'); // U+00FF is two UTF-8 bytes: c3 bf, no IAC
      await c.sendSlowly('a');
      await tick(50);
      const all = [...Buffer.concat(got)];
      assert.deepEqual(all.slice(0, 12), [T.IAC, T.WILL, 0, T.IAC, T.DO, 0, T.IAC, T.WILL, 3, T.IAC, T.DO, 3]);
      assert.ok(all.join(',').includes([T.IAC, T.DO, T.ECHO].join(',')), 'accepted the server echo');
      assert.deepEqual(all.slice(-3), [0xc3, 0xbf, 0x61]);
    } finally {
      await c.close();
      server.close();
    }
  });

  it('a refused connection says so at open time', async () => {
    const { server, port } = await serve(() => {});
    await new Promise((r) => server.close(r));
    const err = await openConsole(tcp(port), { transcriptPath: transcriptPath() }).catch((e) => e);
    assert.ok(isRigError(err));
    assert.equal(err.code, 'CONSOLE_REFUSED');
    assert.match(err.message, new RegExp(`ser2net at 127\\.0\\.0\\.1:${port} refused the connection`));
  });

  it('a server that accepts then drops us (ser2net: port in use) is a busy console at open time', async () => {
    const { server, port } = await serve((s) => s.end('Port already in use\r\n'));
    const err = await openConsole(tcp(port), { transcriptPath: transcriptPath() }).catch((e) => e);
    server.close();
    assert.equal(err.code, 'CONSOLE_BUSY');
    assert.match(err.message, /ser2net refused: port in use \(it said "Port already in use"\)/);
  });

  it('a server closing the connection mid-run is reported as a takeover, not as a timeout', async () => {
    let client: Socket | undefined;
    const { server, port } = await serve((s) => {
      client = s;
      s.write('login: ');
    });
    const c = await openConsole(tcp(port), { transcriptPath: transcriptPath(), settleMs: 50 });
    try {
      const waiting = c.expect('# ', { name: 'shell prompt', timeout: 10_000 });
      await tick(20);
      client?.end();
      const err = await waiting.catch((e) => e);
      assert.equal(err.code, 'CONSOLE_TAKEN_OVER');
      assert.match(err.message, /another client took over the console/);
      assert.match(err.consoleTail, /login:/);
    } finally {
      await c.close();
      server.close();
    }
  });

  it('streams 10 MB with patterns armed: every marker found, transcript byte-exact', async () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 100; i++) {
      parts.push(Buffer.from(`(XEN) [${i}] ${'noise '.repeat(16000)}\r\n`, 'latin1'));
      parts.push(Buffer.from([0x00, 0xff, 0x80, 0x0a])); // line noise, kept as is
      parts.push(Buffer.from(`MARKER ${i} END\r\n`));
    }
    const data = Buffer.concat(parts);
    const { server, port } = await serve(async (s) => {
      await tick(60);
      for (let i = 0; i < data.length; i += 65536) s.write(data.subarray(i, i + 65536));
    });
    const path = transcriptPath();
    const c = await openConsole(tcp(port), { transcriptPath: path, settleMs: 50 });
    try {
      for (let i = 0; i < 100; i++) {
        const m = await c.expect(new RegExp(`MARKER (${i}) END`), {
          name: `marker ${i}`,
          timeout: 10_000,
          silenceMs: 5000,
        });
        assert.equal(m.groups[0], String(i));
      }
    } finally {
      await c.close();
      server.close();
    }
    assert.ok(data.length > 9_500_000);
    assert.ok(transcriptBody(readFileSync(path)).equals(data), 'transcript is byte-exact');
  });

  describe('against the real ser2net', () => {
    let ser2net: ChildProcess | undefined;
    let socat: ChildProcess | undefined;
    const port = 20000 + (process.pid % 20000);
    before(async () => {
      const pty = join(dir, 'board');
      socat = spawn('socat', [`pty,raw,echo=0,link=${pty}`, `pty,raw,echo=0,link=${pty}-peer`]);
      await tick(300);
      const cfg = join(dir, 'ser2net.yaml');
      writeFileSync(
        cfg,
        [
          `connection: &kick\n  accepter: tcp,127.0.0.1,${port}\n  connector: serialdev,${pty},115200n81,local\n  options:\n    kickolduser: true`,
          `connection: &nokick\n  accepter: telnet,127.0.0.1,${port + 1}\n  connector: serialdev,${pty}-peer,115200n81,local`,
        ].join('\n'),
      );
      ser2net = spawn('ser2net', ['-n', '-c', cfg], { stdio: 'ignore' });
      await tick(500);
    });
    after(() => {
      ser2net?.kill();
      socat?.kill();
    });

    it('a second client on a port without kickolduser: ser2net refused, port in use', async () => {
      const first = await openConsole(tcp(port + 1, 'telnet'), { transcriptPath: transcriptPath() });
      try {
        const err = await openConsole(tcp(port + 1, 'telnet'), { transcriptPath: transcriptPath() }).catch((e) => e);
        assert.equal(err.code, 'CONSOLE_BUSY');
        assert.match(err.message, /ser2net refused: port in use/);
      } finally {
        await first.close();
      }
    });

    it('with kickolduser, the first client is told another client took over', async () => {
      const first = await openConsole(tcp(port), { transcriptPath: transcriptPath() });
      const waiting = first.expect('never', { name: 'board output', timeout: 10_000 }).catch((e) => e);
      const second = await openConsole(tcp(port), { transcriptPath: transcriptPath() });
      try {
        const err = await waiting;
        assert.equal(err.code, 'CONSOLE_TAKEN_OVER');
      } finally {
        await first.close();
        await second.close();
      }
    });
  });
});

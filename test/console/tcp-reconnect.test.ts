// ser2net closes a console that has been quiet for its `timeout` (the RTE's old
// `13541:telnet:600:…`). The console dials again and the transcript goes on whole: no byte lost,
// none doubled, no telnet negotiation in it. A close while the board talks is not an idle
// drop, and a redial that fails is a lost console. Against a small telnet server that behaves
// as ser2net 4.3 does (the negotiation it sends was recorded from ser2net 4.3.11), and against
// the real ser2net with a 2 s timeout.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { openConsole } from '../../lib/console/open.ts';
import { TELNET as T } from '../../lib/console/telnet.ts';
import { transcriptBody } from '../../lib/console/transcript.ts';
import { progress } from '../../lib/core/progress.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const dir = tempDir('console-reconnect-');
let n = 0;
const transcriptPath = () => join(dir, `t${n++}.log`);
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** What ser2net 4.3.11's telnet accepter sends on connect (captured with a raw socket). */
const SER2NET_HELLO = Buffer.from([
  T.IAC,
  T.WILL,
  T.SGA,
  T.IAC,
  T.DO,
  T.SGA,
  T.IAC,
  T.WILL,
  T.ECHO,
  T.IAC,
  T.DONT,
  T.ECHO,
  T.IAC,
  T.DO,
  T.BINARY,
  T.IAC,
  T.WILL,
  T.BINARY,
]);

/**
 * A ser2net-like telnet port: negotiation first, then the board's bytes (`board.print`); closes a
 * connection after `idleMs` without a byte either way, as ser2net's timeout does. Received bytes
 * (telnet stripped of nothing: the raw wire) are kept per connection.
 */
async function fakeSer2net(idleMs: number) {
  const conns: { socket: Socket; got: Buffer[]; activity: () => void }[] = [];
  let refuse = false;
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    if (refuse) {
      socket.resume(); // read the client's FIN, so the socket closes
      socket.end('Port already in use\r\n');
      return;
    }
    let timer: NodeJS.Timeout;
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(() => socket.end(), idleMs);
    };
    const c = { socket, got: [] as Buffer[], activity };
    conns.push(c);
    socket.on('data', (d) => {
      c.got.push(d);
      activity();
    });
    socket.on('close', () => clearTimeout(timer));
    socket.write(SER2NET_HELLO);
    activity();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const current = () => conns.at(-1)!;
  return {
    port,
    conns,
    /** The board prints on the current connection (as ser2net forwards it), bumping the idle timer. */
    print: (text: string | Buffer) => {
      current().socket.write(text);
      current().activity();
    },
    refuseNext: () => {
      refuse = true;
    },
    /** The server kicks the current client now (kickolduser, or a restart). */
    drop: () => current().socket.end(),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const telnet = (port: number) => ({ kind: 'tcp' as const, host: '127.0.0.1', port, protocol: 'telnet' as const });

/** The progress warnings emitted while body runs. */
async function warnings<T>(body: (warned: string[]) => Promise<T>): Promise<{ result: T; warned: string[] }> {
  const warned: string[] = [];
  const on = (m: string) => warned.push(m);
  progress.on('warn', on);
  try {
    return { result: await body(warned), warned };
  } finally {
    progress.off('warn', on);
  }
}

describe('console/tcp: reconnect after ser2net closes an idle console', function () {
  this.timeout(30_000);

  it('redials after an idle drop: transcript whole and without telnet bytes, writes go to the new connection', async () => {
    const s2n = await fakeSer2net(400);
    const path = transcriptPath();
    const c = await openConsole(telnet(s2n.port), { transcriptPath: path, settleMs: 50, idleReconnectMs: 300 });
    try {
      const { warned } = await warnings(async () => {
        s2n.print('(XEN) Freed 604kB init memory\r\nroot@dom0:~# ');
        await c.expect('root@dom0:~# ', { name: 'dom0 prompt', timeout: 3000 });
        // Quiet: the server times the connection out and the console dials again.
        for (let i = 0; i < 100 && s2n.conns.length < 2; i++) await tick(20);
        assert.equal(s2n.conns.length, 2, 'a second connection was made');
        await tick(100); // settled
        s2n.print(Buffer.from([0x41, T.IAC, T.IAC, 0x42, 0x0d, 0x0a])); // A, an escaped 0xFF, B
        await c.expect(/A\xffB\r\n/, { name: 'output after the redial', timeout: 3000 });
        await c.send('xl list\r');
        await tick(50);
      });
      assert.ok(
        warned.some((w) => /closed the console after \d+ s quiet .*reconnected in \d+ ms/.test(w)),
        warned.join('\n'),
      );
      // The command went out on the new connection, after the telnet handshake.
      const wire = Buffer.concat(s2n.conns[1]!.got).toString('latin1');
      // BINARY was agreed both ways: a bare CR goes out as it is.
      assert.ok(wire.endsWith('xl list\r'), JSON.stringify(wire));
      assert.equal(Buffer.concat(s2n.conns[0]!.got).toString('latin1').includes('xl list'), false);
    } finally {
      await c.close();
      await s2n.close();
    }
    const body = transcriptBody(readFileSync(path));
    assert.equal(body.toString('latin1'), '(XEN) Freed 604kB init memory\r\nroot@dom0:~# A\xffB\r\n');
    assert.equal(body.includes(Buffer.from([T.IAC, T.WILL])), false, 'no negotiation in the transcript');
  });

  it('a close while the board is talking is not an idle drop: the console is taken over, no redial', async () => {
    const s2n = await fakeSer2net(60_000);
    const c = await openConsole(telnet(s2n.port), {
      transcriptPath: transcriptPath(),
      settleMs: 50,
      idleReconnectMs: 300,
    });
    try {
      const waiting = c.expect('login:', { name: 'login prompt', timeout: 10_000 }).catch((e) => e);
      s2n.print('Loading Linux 6.1.0-28-amd64 ...\r\n');
      await tick(50);
      s2n.drop();
      const e = await waiting;
      assert.equal(e.code, 'CONSOLE_TAKEN_OVER');
      await tick(400);
      assert.equal(s2n.conns.length, 1, 'no second connection');
    } finally {
      await c.close();
      await s2n.close();
    }
  });

  it('an idle drop whose redial is refused is a lost console, naming why', async () => {
    const s2n = await fakeSer2net(300);
    const c = await openConsole(telnet(s2n.port), {
      transcriptPath: transcriptPath(),
      settleMs: 50,
      idleReconnectMs: 200,
      redialAttempts: 2,
    });
    try {
      s2n.refuseNext();
      const e = await c.expect('never', { name: 'board output', timeout: 10_000 }).catch((x) => x);
      assert.equal(e.code, 'CONSOLE_LOST');
      assert.match(e.message, /closed the console after \d+ s quiet and it could not be reopened: .*port in use/);
    } finally {
      await c.close();
      await s2n.close();
    }
  });

  describe('against the real ser2net (timeout: 2)', () => {
    let ser2net: ChildProcess | undefined;
    let socat: ChildProcess | undefined;
    const port = 20000 + ((process.pid + 7919) % 20000);
    const pty = join(dir, 'board');
    before(async () => {
      socat = spawn('socat', [`pty,raw,echo=0,link=${pty}`, `pty,raw,echo=0,link=${pty}-peer`]);
      await tick(300);
      const cfg = join(dir, 'ser2net-timeout.yaml');
      writeFileSync(
        cfg,
        `connection: &idle\n  accepter: telnet,127.0.0.1,${port}\n  timeout: 2\n  connector: serialdev,${pty},115200n81,local\n`,
      );
      ser2net = spawn('ser2net', ['-n', '-c', cfg], { stdio: 'ignore' });
      await tick(500);
    });
    after(() => {
      ser2net?.kill();
      socat?.kill();
    });

    it('the board prints before and after ser2net timed the console out: the transcript has every byte once', async () => {
      const path = transcriptPath();
      const board = (text: string) => writeFileSync(`${pty}-peer`, text);
      const c = await openConsole(telnet(port), { transcriptPath: path, idleReconnectMs: 1500 });
      try {
        const { warned } = await warnings(async (seen) => {
          board('before the idle drop\r\n');
          await c.expect('before the idle drop', { name: 'first line', timeout: 3000 });
          // ser2net counts whole seconds: it closes 2-3 s after the last byte.
          for (let i = 0; i < 60 && !seen.length; i++) await tick(100);
          board('after the idle drop\r\n');
          await c.expect('after the idle drop', { name: 'second line', timeout: 3000 });
        });
        assert.equal(warned.length, 1, warned.join('\n'));
      } finally {
        await c.close();
      }
      assert.equal(
        transcriptBody(readFileSync(path)).toString('latin1'),
        'before the idle drop\r\nafter the idle drop\r\n',
      );
    });
  });
});

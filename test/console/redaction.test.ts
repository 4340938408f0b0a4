// A board that prints a secret on its serial console (a login echo, a kernel command line with a
// password): what the console hands out for errors and reports has it masked, and a peer's escape
// sequences are shown, not obeyed. Over a real TCP socket, as a ser2net port.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { openConsole } from '../../lib/console/open.ts';
import { RigError } from '../../lib/core/errors.ts';
import { clearSecrets, registerSecret } from '../../lib/core/redact.ts';

const SECRET = 'dom0-Pa55word';

describe('console: secrets and escapes from the board', () => {
  let dir = '';
  let server: Server;
  let port = 0;
  let board: (s: Socket) => void = () => {};
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-redact-'));
    server = createServer((s) => board(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => registerSecret(SECRET));
  afterEach(() => clearSecrets());

  const open = (name: string) =>
    openConsole({ kind: 'tcp', host: '127.0.0.1', port, protocol: 'raw' }, { transcriptPath: join(dir, name) });

  it('masks the secret in a timeout error, its console tail, matches and tail()', async () => {
    board = (s) => {
      s.write(`dom0 login: root\r\nPassword: ${SECRET.slice(0, 6)}`);
      setTimeout(() => s.write(`${SECRET.slice(6)}\r\nLogin incorrect\r\n`), 50);
    };
    const c = await open('a.log');
    try {
      const m = await c.expect('Login incorrect', { name: 'login result', timeout: 3000 });
      assert.equal(m.before, 'dom0 login: root\r\nPassword: ***\r\n');
      const e = await c.expect('never', { name: 'shell prompt', timeout: 200 }).catch((x: unknown) => x);
      assert.ok(e instanceof RigError);
      assert.match(e.consoleTail ?? '', /Password: \*\*\*\nLogin incorrect/);
      assert.doesNotMatch(inspect(e, { depth: 10 }), new RegExp(SECRET));
      assert.doesNotMatch(c.tail(), new RegExp(SECRET));
    } finally {
      await c.close();
    }
  });

  it('escapes control sequences the board sent in the tail of an error', async () => {
    board = (s) => s.write('Booting\x1b]0;owned\x07\x1b[2J\x9b6n\r\n');
    const c = await open('b.log');
    try {
      const e = await c.expect('never', { name: 'Xen banner', timeout: 300 }).catch((x: unknown) => x);
      assert.ok(e instanceof RigError);
      assert.doesNotMatch(e.message, /[\x1b\x07\x9b]/);
      assert.match(e.consoleTail ?? '', /Booting\\e\]0;owned\\x07\\e\[2J/);
    } finally {
      await c.close();
    }
  });
});

// The twin's observer door over a real unix socket: the bytes the board hands over come back
// unchanged to the client, and bad requests and a board that cannot read are refused in words.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replyError, unixRequest } from '../../twin/base/unix-http.ts';
import { serveObserver } from '../../twin/observe/server.ts';

describe('twin/observe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'observe-'));
  const socket = join(dir, 'observe.sock');
  const asked: string[] = [];
  let server: Server;

  before(async () => {
    server = await serveObserver(
      {
        async readPhysical(address, length) {
          asked.push(`${address.toString(16)}/${length}`);
          if (address === 0xdead000n) throw new Error('the board is not running');
          return Buffer.from(Array.from({ length }, (_, i) => (Number(address) + i) & 0xff));
        },
      },
      socket,
    );
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers GET /memory with the raw bytes the board read at that address', async () => {
    const r = await unixRequest(socket, 'GET', '/memory?address=0x7a3c5010&length=4096');
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 4096);
    assert.deepEqual([...r.body.subarray(0, 3)], [0x10, 0x11, 0x12]);
    assert.equal(r.body[4095], (0x10 + 4095) & 0xff);
    assert.deepEqual(asked.at(-1), '7a3c5010/4096');
  });

  it('refuses bad addresses and lengths before the board is asked, and says what the board could not do', async () => {
    const before = asked.length;
    for (const q of [
      'address=7a3c5000&length=16',
      'address=0x7a3c5000&length=0',
      'address=0x1&length=70000',
      'address=0x1;id&length=1',
    ])
      assert.equal((await unixRequest(socket, 'GET', `/memory?${q}`)).status, 400, q);
    assert.equal((await unixRequest(socket, 'POST', '/memory?address=0x1&length=1')).status, 404);
    assert.equal(asked.length, before, 'the board was asked for a refused request');
    const off = await unixRequest(socket, 'GET', '/memory?address=0xdead000&length=16');
    assert.equal(off.status, 409);
    assert.equal(replyError(off), 'the board is not running');
  });
});

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { isRigError, type RigError } from '../../lib/core/errors.ts';
import { clearSecrets, registerSecret } from '../../lib/core/redact.ts';
import { RETRIES, requestJson, requestText, safeUrl } from '../../lib/power/http-client.ts';
import { assertNoControlBytes } from '../helpers/no-control.ts';
import { refusedUrl, TestServer } from './http-servers.ts';

const target = (timeoutMs = 1000) => ({ name: 'test switch', timeoutMs });

async function rejects(p: Promise<unknown>): Promise<RigError> {
  const e = await p.then(
    () => assert.fail('expected a rejection'),
    (err: unknown) => err,
  );
  assert.ok(isRigError(e), `expected RigError, got ${inspect(e)}`);
  return e;
}

describe('power/http-client', () => {
  const server = new TestServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  let url = '';
  before(async () => {
    url = await server.start();
  });
  after(() => server.stop());
  beforeEach(() => {
    server.reset();
  });
  afterEach(() => clearSecrets());

  it('retries an idempotent request after HTTP 500 and returns the later answer', async () => {
    server.queue.push('error500', 'error500');
    assert.deepEqual(await requestJson(target(), { url: `${url}/a`, idempotent: true }), { ok: true });
    assert.equal(server.seen.length, 3);
  });

  it('gives up on an idempotent request after the bounded retries, naming the switch and the reply', async () => {
    server.mode = 'error500';
    const e = await rejects(requestText(target(), { url: `${url}/a`, idempotent: true }));
    assert.equal(server.seen.length, RETRIES + 1);
    assert.equal(e.code, 'POWER_HTTP');
    assert.equal(e.part, 'power');
    assert.match(
      e.message,
      /^test switch: GET http:\/\/127\.0\.0\.1:\d+\/a → HTTP 500 Internal Server Error \(3 attempts\): internal error while handling \/a$/,
    );
  });

  it('never retries a request that is not idempotent', async () => {
    server.queue.push('error500');
    const e = await rejects(requestText(target(), { method: 'PATCH', url: `${url}/p`, json: {}, idempotent: false }));
    assert.equal(server.seen.length, 1);
    assert.equal(e.code, 'POWER_HTTP');
    assert.match(e.message, /PATCH .*\/p → HTTP 500/);
  });

  it('reports a server that never answers as a timeout', async () => {
    server.mode = 'hang';
    const e = await rejects(requestText(target(200), { url: `${url}/h`, idempotent: false }));
    assert.equal(e.code, 'POWER_TIMEOUT');
    assert.match(e.message, /no reply to GET .*\/h within 200 ms/);
  });

  it('reports a refused connection as unreachable, without a stack in the message', async () => {
    const e = await rejects(requestText(target(), { url: `${await refusedUrl()}/x`, idempotent: true, phase: 'on' }));
    assert.equal(e.code, 'POWER_UNREACHABLE');
    assert.equal(e.phase, 'on');
    assert.match(e.message, /cannot reach GET .*: ECONNREFUSED \(3 attempts\)$/);
    assert.doesNotMatch(e.message, /\n\s+at /);
  });

  it('retries a refused connection: a switch that comes up between attempts is reached', async () => {
    // On Node >= 24.20 got's own retry stopped after the first refusal (ERR_SOCKET_CLOSED_BEFORE_CONNECTION).
    const down = await refusedUrl();
    const port = Number(new URL(down).port);
    const late = createServer((_req, res) => res.end('"up"'));
    // The first attempt is refused at once; the next comes 200 ms later.
    const up = setTimeout(() => late.listen(port, '127.0.0.1'), 60);
    try {
      assert.deepEqual(await requestJson(target(), { url: `${down}/x`, idempotent: true }), 'up');
    } finally {
      clearTimeout(up);
      await new Promise((r) => late.close(r));
    }
  });

  it('tries a refused connection once when the request is not idempotent', async () => {
    const e = await rejects(
      requestText(target(), { method: 'PATCH', url: `${await refusedUrl()}/x`, json: {}, idempotent: false }),
    );
    assert.equal(e.code, 'POWER_UNREACHABLE');
    assert.match(e.message, /cannot reach PATCH .*: ECONNREFUSED$/);
  });

  it('reports a reply that is not JSON as a bad reply with an excerpt', async () => {
    server.mode = 'notJson';
    const e = await rejects(requestJson(target(), { url: `${url}/j`, idempotent: true }));
    assert.equal(e.code, 'POWER_BAD_REPLY');
    assert.match(e.message, /not JSON: <html>login<\/html>/);
  });

  it('uses the part it is given in error codes', async () => {
    server.mode = 'error500';
    const e = await rejects(requestText({ ...target(), part: 'flasher' }, { url, idempotent: false }));
    assert.equal(e.code, 'FLASHER_HTTP');
    assert.equal(e.part, 'flasher');
  });

  it('keeps passwords out of the error, its cause and its inspection', async () => {
    registerSecret('s3cret-registered');
    server.mode = 'error500';
    const e = await rejects(
      requestText(target(), { url: `${url}/cm?password=s3cret-registered&token=unregistered-tok`, idempotent: false }),
    );
    const all = inspect(e, { depth: 20, showHidden: true });
    assert.match(all, /HTTP 500/);
    assert.doesNotMatch(all, /s3cret-registered/);
    assert.doesNotMatch(all, /unregistered-tok/);
  });

  it('masks credential query parameters and URL passwords even when unregistered', () => {
    assert.equal(safeUrl('http://u:pw@h/cm?user=a&password=b&cmnd=x'), 'http://u:***@h/cm?user=a&password=***&cmnd=x');
  });

  it("shows a peer's control bytes and escape sequences as escapes, never raw", async () => {
    const hostile = new TestServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('\x1b]0;owned\x07\x1b[2J\x9b6n gone');
    });
    const at = await hostile.start();
    try {
      const e = await rejects(requestText(target(), { url: `${at}/x`, idempotent: false }));
      assertNoControlBytes(e.message);
      assert.match(e.message, /\\e\]0;owned\\x07\\e\[2J\\x9b6n gone/);
    } finally {
      await hostile.stop();
    }
  });
});

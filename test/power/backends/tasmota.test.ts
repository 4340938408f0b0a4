import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { isRigError } from '../../../lib/core/errors.ts';
import { clearSecrets } from '../../../lib/core/redact.ts';
import { openPower } from '../../../lib/power/open.ts';
import { tasmotaServer } from '../http-servers.ts';

const PASSWORD = 'pl&ug pass#1';

describe('power/tasmota', () => {
  const server = tasmotaServer('admin', PASSWORD);
  let url = '';
  const cfg = () => ({
    kind: 'tasmota' as const,
    url,
    user: 'admin',
    password: { env: 'TEST_TASMOTA_PASSWORD' },
    minOffMs: 100,
    timeoutMs: 500,
  });
  before(async () => {
    url = await server.start();
  });
  after(() => server.stop());
  beforeEach(() => {
    process.env.TEST_TASMOTA_PASSWORD = PASSWORD;
    server.seen.length = 0;
    server.mode = 'ok';
    server.power.on = false;
  });
  afterEach(() => {
    delete process.env.TEST_TASMOTA_PASSWORD;
    clearSecrets();
  });

  it('switches the plug with Power On / Power Off and reads Power', async () => {
    const p = await openPower(cfg());
    assert.match(p.description, /^Tasmota plug at /);
    await p.on();
    assert.equal(server.power.on, true);
    assert.equal(await p.state(), 'on');
    await p.cycle();
    assert.equal(server.power.on, true);
    assert.deepEqual(
      server.seen.map((s) => new URL(s.url, 'http://x').searchParams.get('cmnd')),
      ['Power On', 'Power', 'Power Off', 'Power On'],
    );
    assert.match(server.seen[0]!.url, /^\/cm\?user=admin&password=pl%26ug%20pass%231&cmnd=Power%20On$/);
  });

  it('reports a refused password without showing it', async () => {
    process.env.TEST_TASMOTA_PASSWORD = 'wrong-password';
    const e = await (await openPower(cfg())).on().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_BAD_REPLY');
    assert.match(e.message, /refused the request: Need user=<username>&password=<password>/);
    assert.doesNotMatch(inspect(e, { depth: 20 }), /wrong-password/);
  });

  it('keeps the password out of an HTTP error whose body echoes the URL', async () => {
    server.mode = 'error500';
    const e = await (await openPower(cfg())).off().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_HTTP');
    assert.match(e.message, /^Tasmota plug at .*: GET .*\/cm\?user=admin&password=\*\*\*&cmnd=Power\+Off → HTTP 500/);
    const all = inspect(e, { depth: 20, showHidden: true });
    assert.doesNotMatch(all, /pl&ug pass#1|pl%26ug%20pass%231/);
  });

  it('keeps the password out of a reply that echoes the query in any encoding', async () => {
    server.mode = 'echoQuery';
    const e = await (await openPower(cfg())).state().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_BAD_REPLY');
    assert.match(e.message, /password=\*\*\*/);
    const all = inspect(e, { depth: 20, showHidden: true });
    assert.doesNotMatch(all, /pl(&|%26)ug/i);
  });

  it('calls an answer without POWER a bad reply', async () => {
    server.mode = 'wrongShape';
    const e = await (await openPower(cfg())).state().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.match(e.message, /expected \{"POWER":"ON"\|"OFF"\}, got \{"Command":"Unknown"\}/);
  });

  it('reports a plug that did not switch', async () => {
    server.mode = 'ignoreWrites';
    const e = await (await openPower(cfg())).on().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.match(e.message, /switched on, but it reports off/);
    assert.equal(e.code, 'POWER_NOT_APPLIED');
  });

  it('needs the password variable set before it opens', async () => {
    delete process.env.TEST_TASMOTA_PASSWORD;
    await assert.rejects(openPower(cfg()), (e: unknown) => isRigError(e, 'SECRET_MISSING'));
  });
});

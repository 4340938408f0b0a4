// The Shelly backend against a real HTTP server speaking the Gen2 RPC calls it uses; it is also
// the proof that a power switch costs one backend file: nothing else was registered for it.
import assert from 'node:assert/strict';
import { isRigError } from '../../../lib/core/errors.ts';
import { openPower } from '../../../lib/power/open.ts';
import { validateRig } from '../../../lib/rig/load.ts';
import { baseRig } from '../../rig/base-rig.ts';
import { reply, TestServer } from '../http-servers.ts';

function shellyServer() {
  const relay = { on: false };
  const server = new TestServer((req, res, how) => {
    const u = new URL(req.url, 'http://x');
    if (u.searchParams.get('id') !== '1') return reply(res, 404, { code: -105, message: 'no such switch' });
    if (u.pathname === '/rpc/Switch.Set') {
      const was = relay.on;
      if (how !== 'ignoreWrites') relay.on = u.searchParams.get('on') === 'true';
      return reply(res, 200, { was_on: was });
    }
    if (u.pathname === '/rpc/Switch.GetStatus')
      return reply(res, 200, how === 'wrongShape' ? { id: 1, state: 'on' } : { id: 1, output: relay.on, apower: 4.2 });
    return reply(res, 404, { code: -114, message: 'no such method' });
  });
  return Object.assign(server, { relay });
}

describe('power/shelly', () => {
  const server = shellyServer();
  let url = '';
  before(async () => (url = await server.start()));
  after(() => server.stop());
  beforeEach(() => server.reset());
  const cfg = () => ({ kind: 'shelly', url, switchId: 1, minOffMs: 50, timeoutMs: 2000 });

  it('is a rig power kind as soon as its file exists', () => {
    const rig = validateRig(
      // A plug has no power button: its rig flashes in G3.
      {
        ...structuredClone(baseRig),
        power: { kind: 'shelly', url: 'http://10.0.0.9' },
        flasher: { ...structuredClone(baseRig.flasher), powerState: 'G3' },
      },
      'r.json',
    );
    assert.deepEqual(rig.power, {
      kind: 'shelly',
      url: 'http://10.0.0.9',
      switchId: 0,
      minOffMs: 3000,
      timeoutMs: 5000,
    });
    assert.throws(
      () =>
        validateRig({ ...structuredClone(baseRig), power: { kind: 'shelly', url: 'http://x', relay: 1 } }, 'r.json'),
      /power: unknown key "relay"/,
    );
  });

  it('switches on and off through the driver, each switch verified by a status read', async () => {
    const p = await openPower(cfg());
    await p.on();
    assert.equal(server.relay.on, true);
    assert.equal(await p.state(), 'on');
    await p.off();
    assert.equal(server.relay.on, false);
    assert.deepEqual(
      server.seen.map((s) => new URL(s.url, 'http://x').pathname.replace('/rpc/', '')),
      ['Switch.Set', 'Switch.GetStatus', 'Switch.GetStatus', 'Switch.Set', 'Switch.GetStatus'],
    );
  });

  it('reports a relay that did not move (the driver verifies, the backend only sets)', async () => {
    server.mode = 'ignoreWrites';
    const e = await (await openPower(cfg())).on().catch((x: unknown) => x);
    assert.ok(isRigError(e, 'POWER_NOT_APPLIED'), String(e));
    assert.match(e.message, /^Shelly switch 1 at http:\/\/127\.0\.0\.1:\d+: switched on, but it reports off/);
  });

  it('calls a status without "output" a bad reply', async () => {
    server.mode = 'wrongShape';
    const e = await (await openPower(cfg())).state().catch((x: unknown) => x);
    assert.ok(isRigError(e, 'POWER_BAD_REPLY'), String(e));
  });
});

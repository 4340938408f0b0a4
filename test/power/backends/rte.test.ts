import assert from 'node:assert/strict';
import { isRigError } from '../../../lib/core/errors.ts';
import { openPower } from '../../../lib/power/open.ts';
import { rteServer } from '../http-servers.ts';

describe('power/rte', () => {
  const server = rteServer();
  let url = '';
  const cfg = () => ({ kind: 'rte' as const, url, relayGpio: 0, minOffMs: 150, timeoutMs: 500 });
  before(async () => {
    url = await server.start();
  });
  after(() => server.stop());
  beforeEach(() => {
    server.reset();
    server.gpio.clear();
  });

  it('switches the relay GPIO and reads its state back', async () => {
    const p = await openPower(cfg());
    assert.match(p.description, /^RTE relay GPIO 0 at /);
    assert.equal(await p.state(), 'off');
    await p.on();
    assert.equal(server.gpio.get(0), 1);
    assert.equal(await p.state(), 'on');
    await p.off();
    assert.equal(server.gpio.get(0), 0);
    assert.equal(await p.state(), 'off');
  });

  it('stays off for at least minOffMs during a cycle', async () => {
    const p = await openPower(cfg());
    await p.cycle();
    const patches = server.seen.filter((s) => s.method === 'PATCH');
    assert.deepEqual(
      patches.map((s) => JSON.parse(s.body).state),
      [0, 1],
    );
    assert.ok(patches[1]!.at - patches[0]!.at >= 150, `off for ${patches[1]!.at - patches[0]!.at} ms`);
    assert.equal(server.gpio.get(0), 1);
  });

  it('presses the reset button when the rig wires one', async () => {
    await (await openPower({ ...cfg(), resetButtonGpio: 8 })).reset!();
    assert.equal(server.seen.length, 1);
    assert.equal(server.seen[0]!.url, '/api/v1/gpio/8');
    assert.deepEqual(JSON.parse(server.seen[0]!.body), { state: 1, direction: 'out', time: 1 });
  });

  it('holds the power button with one PATCH whose RteCtrl `time` is the hold in whole seconds', async () => {
    const p = await openPower({ ...cfg(), powerButtonGpio: 9 });
    const t0 = performance.now();
    await p.pressPowerButton!(1500);
    assert.ok(performance.now() - t0 >= 2000 - 15, 'resolves once RteCtrl has released it (2 s)');
    assert.equal(server.seen.length, 1);
    assert.equal(server.seen[0]!.url, '/api/v1/gpio/9');
    assert.deepEqual(JSON.parse(server.seen[0]!.body), { state: 1, direction: 'out', time: 2 });
  });

  it('has no power button unless the rig wires one', async () => {
    assert.equal((await openPower(cfg())).pressPowerButton, undefined);
  });

  it('cycles the relay for reset() when there is no reset button', async () => {
    await (await openPower(cfg())).reset!();
    assert.deepEqual(
      server.seen.filter((s) => s.method === 'PATCH').map((s) => s.url),
      ['/api/v1/gpio/0', '/api/v1/gpio/0'],
    );
  });

  it('turns a dead RTE into a RigError naming the relay', async () => {
    server.mode = 'error500';
    const e = await (await openPower(cfg())).on().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_HTTP');
    assert.match(e.message, /^RTE relay GPIO 0 at http:\/\/127\.0\.0\.1:\d+: PATCH .* → HTTP 500/);
  });

  it('does not retry a button press (a second press would undo it)', async () => {
    server.mode = 'error500';
    const p = await openPower({ ...cfg(), resetButtonGpio: 9 });
    await assert.rejects(p.reset!(), (e: unknown) => isRigError(e, 'POWER_HTTP'));
    assert.equal(server.seen.length, 1);
  });
});

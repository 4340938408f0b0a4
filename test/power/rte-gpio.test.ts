import assert from 'node:assert/strict';
import { isRigError } from '../../lib/core/errors.ts';
import { OC_HIGH_Z, OC_LOW, RteGpio } from '../../lib/power/rte-gpio.ts';
import { rteServer } from './http-servers.ts';

describe('power/rte-gpio', () => {
  const server = rteServer();
  let url = '';
  before(async () => {
    url = await server.start();
  });
  after(() => server.stop());
  beforeEach(() => {
    server.reset();
    server.gpio.clear();
  });

  it('reads the numeric state modulo 2', async () => {
    const gpio = new RteGpio(url);
    server.gpio.set(3, 1);
    server.gpio.set(4, 2);
    assert.equal(await gpio.get(3), 1);
    assert.equal(await gpio.get(4), 0);
    assert.equal(server.seen[0]!.url, '/api/v1/gpio/3');
  });

  it('sets a level with the PATCH body RteCtrl expects', async () => {
    await new RteGpio(`${url}/`).set(2, OC_LOW);
    assert.equal(server.seen[0]!.method, 'PATCH');
    assert.equal(server.seen[0]!.url, '/api/v1/gpio/2');
    assert.deepEqual(JSON.parse(server.seen[0]!.body), { state: 1, direction: 'out', time: 0 });
    assert.equal(server.gpio.get(2), 1);
  });

  it('pulses for whole seconds and resolves once RteCtrl has flipped the line back', async () => {
    server.gpio.set(8, OC_HIGH_Z);
    await new RteGpio(url).pulse(8, OC_LOW, 300);
    assert.deepEqual(JSON.parse(server.seen[0]!.body), { state: 1, direction: 'out', time: 1 });
    assert.equal(server.gpio.get(8), 0);
  });

  it('calls a reply without a numeric state a bad reply, naming the switch', async () => {
    server.mode = 'wrongShape';
    const e = await new RteGpio(url, { name: 'RTE mux', part: 'flasher' }).get(1).catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'FLASHER_BAD_REPLY');
    assert.match(
      e.message,
      /^RTE mux: unexpected reply to GET .*\/api\/v1\/gpio\/1: expected \{"state": <integer>\}, got \{"id":1,"value":"high"\}$/,
    );
  });

  it('reports a GPIO that does not take the level', async () => {
    server.mode = 'ignoreWrites';
    const e = await new RteGpio(url).setAndVerify(0, 1).catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_NOT_APPLIED');
    assert.match(e.message, /GPIO 0 reads 0 after being set to 1/);
  });
});

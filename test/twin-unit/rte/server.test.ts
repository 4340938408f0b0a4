import assert from 'node:assert/strict';
import { twinGpio } from '../../../twin/base/gpio-map.ts';
import { GpioBank } from '../../../twin/rte/gpio-bank.ts';
import { RteServer } from '../../../twin/rte/server.ts';

describe('twin RTE REST API (real HTTP on 127.0.0.1)', () => {
  let bank: GpioBank;
  let server: RteServer;
  let base: string;
  const changes: [number, number][] = [];

  beforeEach(async () => {
    bank = new GpioBank(twinGpio);
    bank.on('change', (id, s) => changes.push([id, s]));
    changes.length = 0;
    server = new RteServer({ bank, port: 0 });
    await server.listen();
    base = `http://127.0.0.1:${server.port}/api/v1/gpio`;
  });
  afterEach(async () => {
    bank.close();
    await server.close();
  });

  const patch = (id: number | string, body: unknown) =>
    fetch(`${base}/${id}`, { method: 'PATCH', body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('lists 20 GPIOs in RteCtrl shape, relay off at start', async () => {
    const res = await fetch(base);
    assert.equal(res.status, 200);
    const pins = (await res.json()) as { id: number; state: number; description: string; direction: string }[];
    assert.equal(pins.length, 20);
    assert.deepEqual(pins[0], { id: 0, state: 0, description: 'relay', direction: 'out' });
    assert.equal(pins[twinGpio.reset].description, 'apu_rst');
  });

  it('PATCH {state, direction, time:0} sets the relay and answers with the new pin state', async () => {
    const res = await patch(0, { state: 1, direction: 'out', time: 0 });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: 0, state: 1, description: 'relay', direction: 'out' });
    assert.equal(((await (await fetch(`${base}/0`)).json()) as { state: number }).state, 1);
    assert.deepEqual(changes, [[0, 1]]);
  });

  it('a `time` pulse (seconds) inverts the pin afterwards, like pressing the reset button', async () => {
    const res = await patch(twinGpio.reset, { state: 1, direction: 'out', time: 1 });
    assert.equal(((await res.json()) as { state: number }).state, 1);
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(((await (await fetch(`${base}/${twinGpio.reset}`)).json()) as { state: number }).state, 0);
    assert.deepEqual(changes, [
      [twinGpio.reset, 1],
      [twinGpio.reset, 0],
    ]);
  });

  it('accepts "high"/"low" as well as 1/0', async () => {
    await patch(0, { state: 'high' });
    assert.equal(bank.get(0).state, 1);
    await patch(0, { state: 'low' });
    assert.equal(bank.get(0).state, 0);
  });

  it('bad parameters are 403 {"error":"bad parameters"}, unknown ids 404 {"error":"id not found"}', async () => {
    for (const body of ['{nope', '{"state":2}', '{"state":1,"time":-1}', '{"state":1,"time":0.5}', '[1]']) {
      const res = await patch(0, body);
      assert.equal(res.status, 403, body);
      assert.deepEqual(await res.json(), { error: 'bad parameters' });
    }
    for (const id of [20, 'x']) {
      const res = await patch(id, { state: 1 });
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { error: 'id not found' });
      assert.equal((await fetch(`${base}/${id}`)).status, 404);
    }
    assert.deepEqual(changes, []);
  });

  it('a fault answers switch requests with 500 or leaves them hanging, reads still work', async () => {
    const faults: ('fail' | 'hang' | undefined)[] = ['fail', 'hang'];
    await server.close();
    server = new RteServer({ bank, port: 0, fault: () => faults.shift() });
    await server.listen();
    base = `http://127.0.0.1:${server.port}/api/v1/gpio`;
    assert.equal((await fetch(`${base}/0`)).status, 200, 'a read met the fault');
    assert.equal((await patch(0, { state: 1 })).status, 500);
    const hung = await Promise.race([
      patch(0, { state: 1 }).then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('hanging'), 300)),
    ]);
    assert.equal(hung, 'hanging');
    assert.equal(bank.get(0).state, 0, 'a faulted switch switched');
    assert.equal((await patch(0, { state: 1 })).status, 200);
  });
});

// The SPI mux sequence against a real RTE REST API (the twin's RteCtrl server on 127.0.0.1),
// driven by the real RteGpio and RtePower clients.
import assert from 'node:assert/strict';
import { withFlashAccess } from '../../lib/flasher/spi-mux.ts';
import { openPower } from '../../lib/power/open.ts';
import { RteGpio } from '../../lib/power/rte-gpio.ts';
import { GpioBank } from '../../twin/rte/gpio-bank.ts';
import { RteServer } from '../../twin/rte-server.ts';

const MAP = { relay: 0, reset: 8, power: 9, spiLines: 1, spiVcc: 2, spiVoltage: 3 };

describe('SPI mux on a real RTE API', () => {
  let bank: GpioBank;
  let server: RteServer;
  let url: string;
  beforeEach(async () => {
    bank = new GpioBank(MAP);
    server = new RteServer({ bank, port: 0 });
    await server.listen();
    url = `http://127.0.0.1:${server.port}`;
    bank.set(MAP.relay, 1); // board running
  });
  afterEach(() => server.close());

  const deps = async () => ({
    power: await openPower({ kind: 'rte', url, relayGpio: MAP.relay, minOffMs: 50, timeoutMs: 2000 }),
    gpio: new RteGpio(url, { part: 'flasher' }),
    mux: { url, voltage: '3.3V' as const, vccGpio: 2, voltageGpio: 3, linesGpio: 1, settleMs: 10 },
    minOffMs: 50,
  });

  it('relay off, 3.3 V, Vcc, lines during the flash; all released and the relay back on after', async () => {
    const changes: string[] = [];
    bank.on('change', (id, s) => changes.push(`${id}=${s}`));
    await withFlashAccess(await deps(), async () => {
      assert.deepEqual(
        [0, 1, 2, 3].map((id) => bank.get(id).state),
        [0, 1, 1, 1],
      );
    });
    assert.deepEqual(
      [0, 1, 2, 3].map((id) => bank.get(id).state),
      [1, 0, 0, 0],
    );
    assert.deepEqual(changes, ['0=0', '3=1', '2=1', '1=1', '1=0', '2=0', '3=0', '0=1']);
  });

  it('a failing flash still releases the lines and Vcc over HTTP', async () => {
    await assert.rejects(
      withFlashAccess(await deps(), async () => {
        throw new Error('flashrom failed');
      }),
      /flashrom failed/,
    );
    assert.equal(bank.get(1).state, 0);
    assert.equal(bank.get(2).state, 0);
  });
});

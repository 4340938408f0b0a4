import assert from 'node:assert/strict';
import { isRigError } from '../../lib/core/errors.ts';
import { type SpiMuxConfig, withFlashAccess } from '../../lib/flasher/spi-mux.ts';
import type { GpioValue } from '../../lib/power/rte-gpio.ts';
import type { PowerState, PowerSwitch } from '../../lib/power/types.ts';

const MUX: SpiMuxConfig = {
  url: 'http://127.0.0.1:1',
  voltage: '3.3V',
  vccGpio: 2,
  voltageGpio: 3,
  linesGpio: 1,
  settleMs: 0,
};

/** A bench that records every action and fails the n-th one (once, or for good). */
function bench(failAt: number, permanent = false) {
  const log: string[] = [];
  const gpio: Record<number, GpioValue> = { 1: 0, 2: 0, 3: 0 };
  let power: PowerState = 'on';
  let n = 0;
  const act = (what: string, fn: () => void) => {
    n++;
    if (n === failAt || (permanent && n > failAt && log.at(-1)?.startsWith(`FAIL ${what}`))) {
      log.push(`FAIL ${what}`);
      throw new Error(`injected failure at ${what}`);
    }
    log.push(what);
    fn();
  };
  const sw: PowerSwitch = {
    description: 'fake relay',
    on: async () => act('power on', () => (power = 'on')),
    off: async () => act('power off', () => (power = 'off')),
    cycle: async () => {},
    state: async () => power,
  };
  const port = { set: async (id: number, v: GpioValue) => act(`gpio ${id}=${v}`, () => (gpio[id] = v)) };
  return { log, gpio, sw, port, power: () => power, count: () => n };
}

describe('SPI mux sequence', () => {
  it('switches in the safe order and puts everything back', async () => {
    const b = bench(0);
    let during: Record<number, GpioValue> = {};
    await withFlashAccess({ power: b.sw, gpio: b.port, mux: MUX, minOffMs: 0 }, async () => {
      during = { ...b.gpio };
      assert.equal(b.power(), 'off', 'board off while flashing');
    });
    assert.deepEqual(during, { 1: 1, 2: 1, 3: 1 }, 'lines, Vcc and 3.3 V selected during the flash');
    assert.deepEqual(b.log, [
      'power off',
      'gpio 3=1',
      'gpio 2=1',
      'gpio 1=1',
      'gpio 1=0',
      'gpio 2=0',
      'gpio 3=0',
      'power on',
    ]);
    assert.equal(b.power(), 'on');
  });

  it('selects 1.8 V as high-z', async () => {
    const b = bench(0);
    await withFlashAccess({ power: b.sw, gpio: b.port, mux: { ...MUX, voltage: '1.8V' }, minOffMs: 0 }, async () => {
      assert.equal(b.gpio[3], 0);
      assert.equal(b.gpio[2], 1);
    });
  });

  // 8 actions in a good run; a transient failure at any of them must leave lines and Vcc released.
  for (let failAt = 1; failAt <= 8; failAt++) {
    it(`leaves no SPI line switched when action ${failAt} fails once`, async () => {
      const b = bench(failAt);
      let ran = false;
      await withFlashAccess({ power: b.sw, gpio: b.port, mux: MUX, minOffMs: 0 }, async () => {
        ran = true;
      }).catch(() => undefined);
      assert.equal(b.gpio[1], 0, `lines released (log: ${b.log.join(', ')})`);
      assert.equal(b.gpio[2], 0, 'Vcc off');
      assert.equal(ran, failAt > 4, 'the flash runs only after a complete switch-over');
    });
  }

  it('releases everything when the flash itself throws, and rethrows its error', async () => {
    const b = bench(0);
    await assert.rejects(
      withFlashAccess({ power: b.sw, gpio: b.port, mux: MUX, minOffMs: 0 }, async () => {
        throw new Error('flashrom exploded');
      }),
      /flashrom exploded/,
    );
    assert.deepEqual([b.gpio[1], b.gpio[2], b.power()], [0, 0, 'on']);
  });

  it('reports lines that cannot be released as SPI_MUX_STUCK, outranking the flash error', async () => {
    const b = bench(5, true); // action 5 = lines back, failing every retry
    await assert.rejects(
      withFlashAccess({ power: b.sw, gpio: b.port, mux: MUX, minOffMs: 0 }, async () => {
        throw new Error('flashrom exploded');
      }),
      (e: unknown) => isRigError(e, 'SPI_MUX_STUCK') && /will not boot/.test(e.message),
    );
    assert.equal(b.gpio[2], 0, 'Vcc still cut even though the lines failed');
  });
});

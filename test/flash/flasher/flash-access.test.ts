// The flash access sequence on a scripted bench that records every action and fails the n-th one:
// the order (S5 and G3), what holds while flashrom runs, and that nothing is left switched.
import assert from 'node:assert/strict';
import { type FlashAccessDeps, withFlashAccess } from '../../../flash/flasher/flash-access.ts';
import type { SpiMuxConfig } from '../../../flash/flasher/spi-mux.ts';
import { isRigError } from '../../../lib/core/errors.ts';
import type { GpioValue } from '../../../lib/power/rte-gpio.ts';
import type { PowerState, PowerSwitch } from '../../../lib/power/types.ts';

// osfv rte.py numbering: SPI_ON 1, SPI_VOLTAGE 2, SPI_VCC 3, CMOS 11; testing-trenchboot WP 12.
const MUX: SpiMuxConfig = {
  url: 'http://127.0.0.1:1',
  voltage: '3.3V',
  vccGpio: 3,
  voltageGpio: 2,
  linesGpio: 1,
  voltageSettleMs: 0,
  vccSettleMs: 0,
  settleMs: 0,
};
const URL = 'http://127.0.0.1:1';
const S5 = { powerOnWaitMs: 0, holdMs: 6000, afterHoldMs: 0 };

/** A bench that records every action and fails the n-th one (once, or for good). */
function bench(failAt: number, permanent = false, opts: { button?: boolean; power?: PowerState } = {}) {
  const log: string[] = [];
  const gpio: Record<number, GpioValue> = { 1: 0, 2: 0, 3: 0, 11: 0, 12: 1 };
  let power: PowerState = opts.power ?? 'on';
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
    pressPowerButton: opts.button === false ? undefined : async (ms) => act(`press ${ms}`, () => {}),
  };
  const port = { set: async (id: number, v: GpioValue) => act(`gpio ${id}=${v}`, () => (gpio[id] = v)) };
  return { log, gpio, sw, port, power: () => power };
}

const g3 = (b: ReturnType<typeof bench>, extra: Partial<FlashAccessDeps['flasher']> = {}): FlashAccessDeps => ({
  power: b.sw,
  gpio: b.port,
  flasher: { powerState: 'G3', s5: S5, spiMux: MUX, ...extra },
  minOffMs: 0,
});
const s5 = (b: ReturnType<typeof bench>, extra: Partial<FlashAccessDeps['flasher']> = {}): FlashAccessDeps => ({
  power: b.sw,
  gpio: b.port,
  flasher: {
    powerState: 'S5',
    s5: S5,
    writeProtect: { url: URL, gpio: 12 },
    cmosReset: { url: URL, gpio: 11, holdMs: 0, delayMs: 0 },
    ...extra,
  },
  minOffMs: 0,
});

describe('flash access in S5 (the apu2 default)', () => {
  it('relay on, power button held, WP released, mux on; after the write mux off, CMOS cleared, board on again', async () => {
    const b = bench(0);
    let during: Record<number, GpioValue> = {};
    await withFlashAccess(
      s5(b, { spiMux: MUX }),
      async () => {
        during = { ...b.gpio };
        assert.equal(b.power(), 'on', 'S5: the board keeps its power');
      },
      { write: true },
    );
    assert.deepEqual(during, { 1: 1, 2: 1, 3: 1, 11: 0, 12: 0 }, 'lines, 3.3 V, Vcc and WP free during the flash');
    assert.deepEqual(b.log, [
      'power on',
      'press 6000',
      'gpio 12=0',
      'gpio 2=1',
      'gpio 3=1',
      'gpio 1=1',
      'gpio 3=0',
      'gpio 1=0',
      'gpio 2=0',
      'gpio 11=1',
      'gpio 11=0',
      'press 1000',
    ]);
  });

  it('RTE v1.0 (no mux): only the power button and WP before, CMOS after; a board found off is left off', async () => {
    const b = bench(0, false, { power: 'off' });
    await withFlashAccess(s5(b), async () => {}, { write: true });
    assert.deepEqual(b.log, ['power on', 'press 6000', 'gpio 12=0', 'gpio 11=1', 'gpio 11=0', 'power off']);
  });

  it('a read clears no CMOS', async () => {
    const b = bench(0, false, { power: 'off' });
    await withFlashAccess(s5(b), async () => {});
    assert.deepEqual(b.log, ['power on', 'press 6000', 'gpio 12=0', 'power off']);
  });

  it('without a power button it refuses before touching anything (FLASH_NO_POWER_BUTTON)', async () => {
    const b = bench(0, false, { button: false, power: 'off' });
    let ran = false;
    await assert.rejects(
      withFlashAccess(s5(b), async () => {
        ran = true;
      }),
      (e: unknown) => isRigError(e, 'FLASH_NO_POWER_BUTTON'),
    );
    assert.equal(ran, false);
    assert.deepEqual(b.log, ['power off'], 'only the power state put back as found');
  });

  it('a CMOS pin that cannot be released is BENCH_NOT_RESTORED, after the mux went back', async () => {
    const b = bench(11, true, { power: 'off' }); // action 11 = gpio 11=0 (with the mux)
    await assert.rejects(
      withFlashAccess(s5(b, { spiMux: MUX }), async () => {}, { write: true }),
      (e: unknown) => isRigError(e, 'BENCH_NOT_RESTORED') && /CMOS clear \(GPIO 11\)/.test(e.message),
    );
    assert.deepEqual([b.gpio[1], b.gpio[3]], [0, 0]);
  });

  it('a WP pin that cannot be released stops the flash before the chip is touched', async () => {
    const b = bench(3, true, { power: 'off' }); // action 3 = gpio 12=0
    let ran = false;
    await assert.rejects(
      withFlashAccess(s5(b, { spiMux: MUX }), async () => {
        ran = true;
      }),
      /injected failure at gpio 12=0/,
    );
    assert.equal(ran, false);
    assert.equal(b.gpio[1], 0, 'mux never switched');
    assert.equal(b.log.at(-1), 'power off');
  });
});

describe('flash access in G3 (when the rig asks)', () => {
  it('relay off, then mux; back in the safe order and the relay on again', async () => {
    const b = bench(0);
    let during: Record<number, GpioValue> = {};
    await withFlashAccess(g3(b), async () => {
      during = { ...b.gpio };
      assert.equal(b.power(), 'off', 'board off while flashing');
    });
    assert.deepEqual(during, { 1: 1, 2: 1, 3: 1, 11: 0, 12: 1 }, 'lines, 3.3 V and Vcc during the flash');
    assert.deepEqual(b.log, [
      'power off',
      'gpio 2=1',
      'gpio 3=1',
      'gpio 1=1',
      'gpio 3=0',
      'gpio 1=0',
      'gpio 2=0',
      'power on',
    ]);
  });

  it('never presses the power button', async () => {
    const b = bench(0);
    await withFlashAccess(g3(b, { spiMux: undefined }), async () => {}, { write: true });
    assert.deepEqual(b.log, ['power off', 'power on']);
  });

  // 8 actions in a good run; a transient failure at any of them must leave lines and Vcc released.
  for (let failAt = 1; failAt <= 8; failAt++) {
    it(`leaves no SPI line switched when action ${failAt} fails once`, async () => {
      const b = bench(failAt);
      let ran = false;
      await withFlashAccess(g3(b), async () => {
        ran = true;
      }).catch(() => undefined);
      assert.equal(b.gpio[1], 0, `lines released (log: ${b.log.join(', ')})`);
      assert.equal(b.gpio[3], 0, 'Vcc off');
      assert.equal(ran, failAt > 4, 'the flash runs only after a complete switch-over');
    });
  }

  it('releases everything when the flash itself throws, and rethrows its error', async () => {
    const b = bench(0);
    await assert.rejects(
      withFlashAccess(g3(b), async () => {
        throw new Error('flashrom exploded');
      }),
      /flashrom exploded/,
    );
    assert.deepEqual([b.gpio[1], b.gpio[3], b.power()], [0, 0, 'on']);
  });

  it('reports lines that cannot be released as SPI_MUX_STUCK, outranking the flash error', async () => {
    const b = bench(6, true); // action 6 = lines back, failing every retry
    await assert.rejects(
      withFlashAccess(g3(b), async () => {
        throw new Error('flashrom exploded');
      }),
      (e: unknown) => isRigError(e, 'SPI_MUX_STUCK') && /will not boot/.test(e.message),
    );
    assert.equal(b.gpio[3], 0, 'Vcc cut before the lines, even though the lines failed');
  });
});

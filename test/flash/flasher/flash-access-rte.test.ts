// The flash access sequence against a real RTE REST API (the twin's RteCtrl server on 127.0.0.1,
// whose `time` flips a pin back as RteCtrl does), driven by the real RteGpio and RTE power
// clients: the order of every GPIO edge and the waits between them, as OSFV's rte.py does them.
import assert from 'node:assert/strict';
import { type FlashAccessDeps, withFlashAccess } from '../../../flash/flasher/flash-access.ts';
import { openPower } from '../../../lib/power/open.ts';
import { RteGpio } from '../../../lib/power/rte-gpio.ts';
import { GpioBank, RteServer, rteV11Mux } from '../../../twin/index.ts';

// RteCtrl.cfg / osfv rte.py numbering.
const MAP = { relay: 0, reset: 8, power: 9, cmos: 11, wp: 12, spiMux: rteV11Mux };
const WAIT = { powerOn: 120, afterHold: 80, voltage: 60, vcc: 70, lines: 150, cmosDelay: 40, cmosHold: 90 };
/** Timer slack: a wait may end a little early on a loaded host, never much. */
const EARLY = 15;

describe('flash access on a real RTE API', () => {
  let bank: GpioBank;
  let server: RteServer;
  let url: string;
  let edges: { pin: string; at: number }[];
  beforeEach(async () => {
    bank = new GpioBank(MAP);
    server = new RteServer({ bank, port: 0 });
    await server.listen();
    url = `http://127.0.0.1:${server.port}`;
    bank.set(MAP.wp, 1); // WP held, as a bench may leave it
    edges = [];
    bank.on('change', (id, s) => edges.push({ pin: `${id}=${s}`, at: performance.now() }));
  });
  afterEach(async () => {
    bank.close();
    await server.close();
  });

  const deps = async (powerState: 'S5' | 'G3', mux: boolean): Promise<FlashAccessDeps> => ({
    power: await openPower({
      kind: 'rte',
      url,
      relayGpio: MAP.relay,
      powerButtonGpio: MAP.power,
      minOffMs: 50,
      timeoutMs: 2000,
    }),
    gpio: new RteGpio(url, { part: 'flasher' }),
    flasher: {
      powerState,
      // 1 s: RteCtrl's `time` is whole seconds (the rig's default is OSFV's 6 s).
      s5: { powerOnWaitMs: WAIT.powerOn, holdMs: 1000, afterHoldMs: WAIT.afterHold },
      writeProtect: { url, gpio: MAP.wp },
      cmosReset: { url, gpio: MAP.cmos, holdMs: WAIT.cmosHold, delayMs: WAIT.cmosDelay },
      spiMux: mux
        ? {
            url,
            voltage: '3.3V',
            vccGpio: 3,
            voltageGpio: 2,
            linesGpio: 1,
            voltageSettleMs: WAIT.voltage,
            vccSettleMs: WAIT.vcc,
            settleMs: WAIT.lines,
          }
        : undefined,
    },
    minOffMs: 50,
  });

  /** ms from the edge `a` to the edge `b`. */
  const gap = (a: string, b: string) => {
    const ia = edges.findIndex((e) => e.pin === a);
    const ib = edges.findIndex((e, i) => i > ia && e.pin === b);
    assert.ok(ia >= 0 && ib > ia, `${a} then ${b} in ${edges.map((e) => e.pin).join(' ')}`);
    return edges[ib].at - edges[ia].at;
  };

  it('S5 write: relay on, wait, button held (RteCtrl time), wait, WP free, mux on with its waits; mux off Vcc first, CMOS held, relay back off', async () => {
    let during: number[] = [];
    let bodyAt = 0;
    await withFlashAccess(
      await deps('S5', true),
      async () => {
        bodyAt = performance.now();
        during = [MAP.relay, MAP.power, MAP.wp, 1, 2, 3].map((id) => bank.get(id).state);
      },
      { write: true },
    );
    assert.deepEqual(during, [1, 0, 0, 1, 1, 1], 'relay on, button released, WP free, lines/3.3 V/Vcc');
    assert.deepEqual(
      edges.map((e) => e.pin),
      ['0=1', '9=1', '9=0', '12=0', '2=1', '3=1', '1=1', '3=0', '1=0', '2=0', '11=1', '11=0', '0=0'],
    );
    assert.ok(gap('0=1', '9=1') >= WAIT.powerOn - EARLY, 'waits after power comes');
    const hold = gap('9=1', '9=0');
    assert.ok(hold >= 1000 - EARLY && hold < 1500, `button held 1 s by RteCtrl, not ${hold} ms`);
    assert.ok(gap('9=0', '12=0') >= WAIT.afterHold - EARLY, 'waits after the hold');
    assert.ok(gap('2=1', '3=1') >= WAIT.voltage - EARLY, 'voltage settles before Vcc');
    assert.ok(gap('3=1', '1=1') >= WAIT.vcc - EARLY, 'Vcc settles before the lines');
    const lines = edges.find((e) => e.pin === '1=1')?.at ?? 0;
    assert.ok(bodyAt - lines >= WAIT.lines - EARLY, 'the lines settle before flashrom');
    assert.ok(gap('2=0', '11=1') >= WAIT.cmosDelay - EARLY, 'a pause before the CMOS clear');
    assert.ok(gap('11=1', '11=0') >= WAIT.cmosHold - EARLY, 'CMOS held low');
    assert.equal(bank.get(MAP.relay).state, 0, 'found off, left off');
  });

  it('S5 with the board running: no relay edge, the hold forces S5, a short press starts it again', async () => {
    bank.set(MAP.relay, 1);
    edges.length = 0;
    await withFlashAccess(await deps('S5', false), async () => {}, { write: false });
    assert.deepEqual(
      edges.map((e) => e.pin),
      ['9=1', '9=0', '12=0', '9=1', '9=0'],
    );
    assert.equal(bank.get(MAP.relay).state, 1);
  });

  it('G3 (asked for): relay off, wait, mux; the power button never moves; relay back on', async () => {
    bank.set(MAP.relay, 1);
    edges.length = 0;
    await withFlashAccess(await deps('G3', true), async () => {
      assert.deepEqual(
        [MAP.relay, 1, 2, 3].map((id) => bank.get(id).state),
        [0, 1, 1, 1],
      );
    });
    assert.deepEqual(
      edges.map((e) => e.pin),
      ['0=0', '12=0', '2=1', '3=1', '1=1', '3=0', '1=0', '2=0', '0=1'],
    );
    assert.ok(gap('0=0', '12=0') >= 50 - EARLY, 'the rig minimum off time');
  });

  it('a failing flash still releases Vcc and the lines over HTTP', async () => {
    await assert.rejects(
      withFlashAccess(await deps('S5', true), async () => {
        throw new Error('flashrom failed');
      }),
      /flashrom failed/,
    );
    assert.deepEqual(
      [1, 3].map((id) => bank.get(id).state),
      [0, 0],
    );
  });
});

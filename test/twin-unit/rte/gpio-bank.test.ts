import assert from 'node:assert/strict';
import twinRig from '../../../rigs/apu2-twin.ts';
import { twinGpio } from '../../../twin/base/gpio-map.ts';
import { GpioBank } from '../../../twin/rte/gpio-bank.ts';

describe('twin RTE GPIO bank', () => {
  it('takes its GPIO numbers from rigs/apu2-twin.ts', () => {
    const mux = twinRig.flasher?.spiMux;
    assert.ok(mux && twinRig.power.kind === 'rte');
    assert.deepEqual(
      [twinGpio.relay, twinGpio.spiLines, twinGpio.spiVcc, twinGpio.spiVoltage],
      [twinRig.power.relayGpio, mux.linesGpio, mux.vccGpio, mux.voltageGpio],
    );
    const bank = new GpioBank(twinGpio);
    assert.equal(bank.get(mux.linesGpio).description, 'spi_lines');
    assert.equal(bank.get(mux.vccGpio).description, 'spi_vcc');
  });

  it('emits a change only when the level changes', () => {
    const bank = new GpioBank(twinGpio);
    const seen: number[] = [];
    bank.on('change', (_id, s) => seen.push(s));
    bank.set(0, 1);
    bank.set(0, 1);
    bank.set(0, 0);
    assert.deepEqual(seen, [1, 0]);
  });

  it('a new PATCH cancels a pending pulse', async () => {
    const bank = new GpioBank(twinGpio);
    bank.set(8, 1, { timeSec: 1 });
    bank.set(8, 1);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(bank.get(8).state, 1);
    bank.close();
  });
});

import assert from 'node:assert/strict';
import twinRig from '../../../rigs/apu2-twin.ts';
import { rteV11Mux, twinGpio } from '../../../twin/base/gpio-map.ts';
import { GpioBank } from '../../../twin/rte/gpio-bank.ts';

describe('twin RTE GPIO bank', () => {
  it('names its pins as RteCtrl does, at the numbers rigs/apu2-twin.ts uses', () => {
    const f = twinRig.flasher;
    assert.ok(f && twinRig.power.kind === 'rte');
    const bank = new GpioBank(twinGpio);
    // 3mdeb/meta-rte recipes-go/3mdeb-rtectrl/3mdeb-rtectrl/RteCtrl.cfg
    assert.equal(bank.get(twinRig.power.relayGpio as number).description, 'relay');
    assert.equal(bank.get(twinRig.power.powerButtonGpio as number).description, 'apu_pwr');
    assert.equal(bank.get(f.cmosReset?.gpio as number).description, 'apu_clr_cmos');
    assert.equal(bank.get(f.writeProtect?.gpio as number).description, 'apu_wp');
    assert.equal(bank.get(1).description, 'oc3', 'no mux: GPIO 1 is a plain OC output');
  });

  it('names the mux pins where the bench has an RTE v1.1 mux', () => {
    const bank = new GpioBank({ ...twinGpio, spiMux: rteV11Mux });
    assert.deepEqual(
      [1, 2, 3].map((id) => bank.get(id).description),
      ['spi_lines', 'spi_voltage', 'spi_vcc'],
    );
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
